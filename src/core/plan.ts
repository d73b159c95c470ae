// What a generation consists of and what it should cost, before anything runs: the units of a
// stage (one model call each), their exact prompts, and predicted credits. Every stage-specific
// answer comes from the stage's descriptor (src/core/stages).
import { BOOK_STAGES, STAGE_INFO, type UnitStage } from "../shared/stages";
import { imageCredits, outputCap, textCredits, type ImageBreakdown, type Pricing, type TextBreakdown } from "./pricing";
import type { ChatMessage, Prompt } from "./prompts";
import { stageOf, textStage, type PromptParams, type UnitOptions, type UnitSpec } from "./stages";
import type { StoryContext } from "./story";

export type { PromptParams, UnitOptions, UnitSpec } from "./stages";

/** The units of one stage. Inside `book`, artifacts that already exist are skipped unless `regenerate` is set. */
export const unitsFor = (stage: UnitStage, s: StoryContext, o: UnitOptions = {}): UnitSpec[] => stageOf(stage).units(s, o);

/** The exact chat prompt of a text unit. */
export const promptFor = (u: UnitSpec, s: StoryContext, p: PromptParams = {}): Prompt => textStage(u.stage).prompt(u, s, p);

/** The image prompt of an image unit. */
export function imagePromptFor(u: UnitSpec, s: StoryContext, p: PromptParams = {}): string {
  const d = stageOf(u.stage);
  if (d.kind !== "image") throw new Error(`${u.stage} makes text, not images`);
  return d.imagePrompt(u, s, p);
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

/** Predicted output tokens of one unit of a text stage. */
export const predictedOutputTokens = (stage: UnitStage, s: StoryContext, pricing: Pricing): number =>
  textStage(stage).predictedOutputTokens(s, pricing.stages[STAGE_INFO[stage].configKey]);

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
 * stage's input is its prompt today plus the predicted output of the earlier stages of this run
 * that its prompts include (its descriptor's `promptGrowsWith`).
 */
export async function quoteBook(s: StoryContext, pricing: Pricing, count: TokenCounter, regenerate = false): Promise<Quote> {
  const planned = new Set<UnitStage>();
  const units: UnitPrediction[] = [];
  for (const stage of BOOK_STAGES) {
    const specs = unitsFor(stage, s, { inBook: true, regenerate });
    if (!specs.length) continue;
    planned.add(stage);
    const d = stageOf(stage);
    const projected =
      d.kind === "image" ? 0 : d.promptGrowsWith.filter((st) => planned.has(st)).reduce((n, st) => n + predictedOutputTokens(st, s, pricing), 0);
    units.push(...(await Promise.all(specs.map((u) => predictUnit(u, s, pricing, count, {}, projected)))));
  }
  return quoteOf(units, BOOK_STAGES.filter((st) => planned.has(st)));
}
