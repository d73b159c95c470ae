// The pipeline's stages and how each is named across the product (SPEC §5, §7).

export const UNIT_STAGES = ["meta", "summaries", "arcs", "guides", "chapters", "cover", "chapter_image"] as const;
export const STAGES = [...UNIT_STAGES, "book"] as const;
/** What `book` runs, in order. */
export const BOOK_STAGES = ["meta", "summaries", "arcs", "guides", "chapters", "cover"] as const;

export type UnitStage = (typeof UNIT_STAGES)[number];
export type Stage = (typeof STAGES)[number];

type StageInfo = {
  label: string;
  /** generation_logs.generation_type, as in the original. */
  generationType: "meta" | "summaries" | "story_arcs" | "chapter_guide" | "chapter" | "image";
  /** Prefix of the credit_config actions (`<action>_input`, `<action>_output`, or `image`). */
  action: "meta" | "summary" | "arcs" | "chapter_guide" | "chapter" | "image";
  /** Row of stage_config holding its model, tier and predicted output tokens. */
  configKey: "meta" | "summaries" | "arcs" | "guides" | "chapters" | "images";
  creditType: "text" | "image";
  perChapter: boolean;
};

export const STAGE_INFO: Record<UnitStage, StageInfo> = {
  meta: { label: "Characters & places", generationType: "meta", action: "meta", configKey: "meta", creditType: "text", perChapter: false },
  summaries: { label: "Outline", generationType: "summaries", action: "summary", configKey: "summaries", creditType: "text", perChapter: false },
  arcs: { label: "Story arcs", generationType: "story_arcs", action: "arcs", configKey: "arcs", creditType: "text", perChapter: false },
  guides: { label: "Beats", generationType: "chapter_guide", action: "chapter_guide", configKey: "guides", creditType: "text", perChapter: true },
  chapters: { label: "Chapters", generationType: "chapter", action: "chapter", configKey: "chapters", creditType: "text", perChapter: true },
  cover: { label: "Cover", generationType: "image", action: "image", configKey: "images", creditType: "image", perChapter: false },
  chapter_image: { label: "Chapter images", generationType: "image", action: "image", configKey: "images", creditType: "image", perChapter: true },
};

export const STAGE_CONFIG_KEYS = ["meta", "summaries", "arcs", "guides", "chapters", "images"] as const;
export const CREDIT_ACTIONS = [
  "image",
  ...(["meta", "summary", "arcs", "chapter_guide", "chapter"] as const).flatMap((a) => [`${a}_input`, `${a}_output`]),
] as const;
