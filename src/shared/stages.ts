// The pipeline's stages and how each is named across the product: the one table the Worker, the
// engine and the client read. What a stage does is described in src/core/stages (its prompt,
// prediction, output) and src/queues/stages (what it reads and writes); docs/ARCHITECTURE.md
// lists every file a new stage touches.

export const UNIT_STAGES = [
  "meta",
  "summaries",
  "arcs",
  "contracts",
  "guides",
  "chapters",
  "digests",
  "boundaries",
  "audit",
  "cover",
  "chapter_image",
] as const;
export const STAGES = [...UNIT_STAGES, "book"] as const;
/**
 * What `book` runs, in order. Contracts only in a hybrid book; a book with memory writes its
 * digests and boundary rewrites as part of its chapters step (docs/MEMORY.md).
 */
export const BOOK_STAGES = ["meta", "summaries", "arcs", "contracts", "guides", "chapters", "cover"] as const;

export type UnitStage = (typeof UNIT_STAGES)[number];
export type Stage = (typeof STAGES)[number];

/** Rows of stage_config (model, price tier, predicted output tokens): one per stage, images shared. */
export const STAGE_CONFIG_KEYS = ["meta", "summaries", "arcs", "contracts", "guides", "chapters", "digests", "boundaries", "audit", "images"] as const;
export type StageConfigKey = (typeof STAGE_CONFIG_KEYS)[number];

/** Prefixes of the credit_config actions of text stages (`<action>_input`, `<action>_output`). */
export const TEXT_ACTIONS = ["meta", "summary", "arcs", "contract", "chapter_guide", "chapter", "digest", "boundary", "audit"] as const;
export type TextAction = (typeof TEXT_ACTIONS)[number];

export const CREDIT_ACTIONS = ["image", ...TEXT_ACTIONS.flatMap((a) => [`${a}_input` as const, `${a}_output` as const])] as const;
export type CreditAction = (typeof CREDIT_ACTIONS)[number];

type StageInfo = {
  label: string;
  /** generation_logs.generation_type, as in the original app. */
  generationType: "meta" | "summaries" | "story_arcs" | "contracts" | "chapter_guide" | "chapter" | "digest" | "boundary" | "audit" | "image";
  /** Prefix of its credit_config actions, or `image`. */
  action: TextAction | "image";
  configKey: StageConfigKey;
  creditType: "text" | "image";
  perChapter: boolean;
};

export const STAGE_INFO: Record<UnitStage, StageInfo> = {
  meta: { label: "Characters & places", generationType: "meta", action: "meta", configKey: "meta", creditType: "text", perChapter: false },
  summaries: { label: "Outline", generationType: "summaries", action: "summary", configKey: "summaries", creditType: "text", perChapter: false },
  arcs: { label: "Story arcs", generationType: "story_arcs", action: "arcs", configKey: "arcs", creditType: "text", perChapter: false },
  contracts: { label: "Chapter contracts", generationType: "contracts", action: "contract", configKey: "contracts", creditType: "text", perChapter: false },
  guides: { label: "Beats", generationType: "chapter_guide", action: "chapter_guide", configKey: "guides", creditType: "text", perChapter: true },
  chapters: { label: "Chapters", generationType: "chapter", action: "chapter", configKey: "chapters", creditType: "text", perChapter: true },
  digests: { label: "Chapter memory", generationType: "digest", action: "digest", configKey: "digests", creditType: "text", perChapter: true },
  boundaries: { label: "Chapter boundaries", generationType: "boundary", action: "boundary", configKey: "boundaries", creditType: "text", perChapter: true },
  audit: { label: "Continuity audit", generationType: "audit", action: "audit", configKey: "audit", creditType: "text", perChapter: true },
  cover: { label: "Cover", generationType: "image", action: "image", configKey: "images", creditType: "image", perChapter: false },
  chapter_image: { label: "Chapter images", generationType: "image", action: "image", configKey: "images", creditType: "image", perChapter: true },
};
