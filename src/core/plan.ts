// What a generation consists of and what it should cost, before anything runs: the units of a
// stage (one model call each), their exact prompts, and predicted credits (SPEC §5, §7).
import { BOOK_STAGES, STAGE_INFO, type UnitStage } from "../shared/stages";
import { imageCredits, outputCap, textCredits, type ImageBreakdown, type Pricing, type TextBreakdown } from "./pricing";
import {
  arcsPrompt,
  chapterPrompt,
  defaultChapterImagePrompt,
  defaultCoverPrompt,
  guidePrompt,
  metaPrompt,
  summariesPrompt,
  type ChatMessage,
  type Prompt,
} from "./prompts";
import { hasMeta, type StoryContext } from "./story";

export type UnitSpec = { unit: string; stage: UnitStage; chapterId: number | null };
export type UnitOptions = { chapterIds?: number[]; regenerate?: boolean; inBook?: boolean };
export type PromptParams = { instructions?: string; prompt?: string };

export const unitName = (stage: UnitStage, chapterId: number | null) =>
  ({
    meta: "meta",
    summaries: "summaries",
    arcs: "arcs",
    guides: `guide:${chapterId}`,
    chapters: `chapter:${chapterId}`,
    cover: "cover",
    chapter_image: `image:${chapterId}`,
  })[stage];

const outlineComplete = (s: StoryContext) =>
  s.chapters.length >= s.chaptersCount && s.chapters.every((c) => c.summary.trim() !== "");

/**
 * The units of one stage. Inside `book`, artifacts that already exist are skipped unless
 * `regenerate` is set, per chapter for the per-chapter stages.
 */
export function unitsFor(stage: UnitStage, s: StoryContext, o: UnitOptions = {}): UnitSpec[] {
  const skip = o.inBook && !o.regenerate;
  const one = (): UnitSpec[] => [{ unit: unitName(stage, null), stage, chapterId: null }];
  const picked = o.chapterIds?.length ? s.chapters.filter((c) => o.chapterIds!.includes(c.id)) : s.chapters;
  const per = (keep: (c: StoryContext["chapters"][number]) => boolean): UnitSpec[] =>
    picked.filter(keep).map((c) => ({ unit: unitName(stage, c.id), stage, chapterId: c.id }));
  switch (stage) {
    case "meta":
      return skip && hasMeta(s) ? [] : one();
    case "summaries":
      return skip && outlineComplete(s) ? [] : one();
    case "arcs":
      return skip && s.arcs.length > 0 ? [] : one();
    case "guides":
      return per((c) => !(skip && c.guide.length > 0));
    case "chapters":
      return per((c) => !(skip && c.hasContent));
    case "cover":
      return skip && s.hasCover ? [] : one();
    case "chapter_image":
      return per(() => true);
  }
}

/** The exact chat prompt of a text unit. */
export function promptFor(u: UnitSpec, s: StoryContext, p: PromptParams = {}): Prompt {
  switch (u.stage) {
    case "meta":
      return metaPrompt(s);
    case "summaries":
      return summariesPrompt(s);
    case "arcs":
      return arcsPrompt(s);
    case "guides":
      return guidePrompt(s, u.chapterId!);
    case "chapters":
      return chapterPrompt(s, u.chapterId!, p.instructions);
    default:
      throw new Error(`${u.stage} has no chat prompt`);
  }
}

/** The image prompt: the author's (given now or saved before), else one composed from the story. */
export function imagePromptFor(u: UnitSpec, s: StoryContext, p: PromptParams = {}): string {
  if (p.prompt?.trim()) return p.prompt.trim();
  if (u.stage === "cover") return s.coverImagePrompt?.trim() || defaultCoverPrompt(s);
  const c = s.chapters.find((x) => x.id === u.chapterId);
  return c?.imagePrompt?.trim() || defaultChapterImagePrompt(s, u.chapterId!);
}

export type UnitPrediction = UnitSpec & {
  creditType: "text" | "image";
  model: string;
  credits: number;
  breakdown: TextBreakdown | ImageBreakdown;
  /** The output cap sent with the unit's model calls (0: not a chat call). */
  maxOutputTokens: number;
  /** The unit's price at its output cap: the most it can be charged. */
  maxCredits: number;
};

export type TokenCounter = (messages: ChatMessage[]) => Promise<number>;

/** Predicted output tokens of one unit (SPEC §7): a chapter gets at least target words × 1.35. */
export function predictedOutputTokens(stage: UnitStage, s: StoryContext, pricing: Pricing): number {
  const cfg = pricing.stages[STAGE_INFO[stage].configKey];
  if (stage === "summaries") return cfg.predictedOutputTokens * s.chaptersCount;
  if (stage === "chapters") return Math.max(cfg.predictedOutputTokens, Math.round(s.targetChapterWords * 1.35));
  return cfg.predictedOutputTokens;
}

export async function predictUnit(
  u: UnitSpec,
  s: StoryContext,
  pricing: Pricing,
  count: TokenCounter,
  p: PromptParams = {},
  /** Tokens that earlier stages of the same run will add to this prompt (book quotes). */
  projectedInputTokens = 0,
): Promise<UnitPrediction> {
  const info = STAGE_INFO[u.stage];
  const cfg = pricing.stages[info.configKey];
  if (info.creditType === "image") {
    const breakdown = imageCredits(pricing.cost, pricing.modifiers);
    return { ...u, creditType: "image", model: cfg.model, credits: breakdown.total, breakdown, maxOutputTokens: 0, maxCredits: breakdown.total };
  }
  const inputTokens = (await count(promptFor(u, s, p).messages)) + projectedInputTokens;
  const outputTokens = predictedOutputTokens(u.stage, s, pricing);
  const price = (out: number) =>
    textCredits({ tier: cfg.tier, action: info.action, inputTokens, outputTokens: out }, pricing.cost, pricing.modifiers);
  const breakdown = price(outputTokens);
  const maxOutputTokens = outputCap(outputTokens, cfg.tier);
  return {
    ...u,
    creditType: "text",
    model: cfg.model,
    credits: breakdown.total,
    breakdown,
    maxOutputTokens,
    maxCredits: price(maxOutputTokens).total,
  };
}

export type Quote = {
  units: UnitPrediction[];
  totals: { text: number; image: number };
  /** The most the work can cost: every unit at its output cap (what the units hold while they run). */
  maxTotals: { text: number; image: number };
  /** For `book`: the stages that will run, in order. */
  plan: UnitStage[];
};

export const sumQuote = (units: UnitPrediction[], of: (u: UnitPrediction) => number = (u) => u.credits) => ({
  text: units.filter((u) => u.creditType === "text").reduce((n, u) => n + of(u), 0),
  image: units.filter((u) => u.creditType === "image").reduce((n, u) => n + of(u), 0),
});

const quoteOf = (units: UnitPrediction[], plan: UnitStage[]): Quote => ({
  units,
  totals: sumQuote(units),
  maxTotals: sumQuote(units, (u) => u.maxCredits),
  plan,
});

export async function quoteStage(
  stage: UnitStage,
  s: StoryContext,
  pricing: Pricing,
  count: TokenCounter,
  o: UnitOptions & PromptParams = {},
): Promise<Quote> {
  const units = await Promise.all(unitsFor(stage, s, o).map((u) => predictUnit(u, s, pricing, count, o)));
  return quoteOf(units, [stage]);
}

/**
 * The whole-book quote. Later stages' prompts will contain what earlier stages write, so each
 * stage's input is its prompt today plus the predicted output of the stages before it in this run.
 */
export async function quoteBook(s: StoryContext, pricing: Pricing, count: TokenCounter, regenerate = false): Promise<Quote> {
  const planned = new Set<UnitStage>();
  const runs = (st: UnitStage) => planned.has(st);
  const out = (st: UnitStage) => predictedOutputTokens(st, s, pricing);
  const units: UnitPrediction[] = [];
  for (const stage of BOOK_STAGES) {
    const specs = unitsFor(stage, s, { inBook: true, regenerate });
    if (!specs.length) continue;
    planned.add(stage);
    const bible = (runs("meta") ? out("meta") : 0) + (runs("summaries") && stage !== "summaries" ? out("summaries") : 0);
    const projected =
      stage === "summaries" || stage === "arcs"
        ? bible
        : stage === "guides"
          ? bible + (runs("arcs") ? out("arcs") : 0)
          : stage === "chapters"
            ? bible + (runs("arcs") ? out("arcs") : 0) + (runs("guides") ? out("guides") : 0)
            : 0;
    units.push(...(await Promise.all(specs.map((u) => predictUnit(u, s, pricing, count, {}, projected)))));
  }
  return quoteOf(units, BOOK_STAGES.filter((st) => planned.has(st)));
}
