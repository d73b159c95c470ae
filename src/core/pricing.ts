// The original app's credit formula, exactly (README, "The API, and tuning prices"), with a
// breakdown of every figure so a charge can be traced from tokens to credits.
import type { StageConfigKey } from "../shared/stages";

export type Tier = "standard" | "reasoning";

export type TokenCost = {
  costPerCredit: number;
  costPer1mInput: number;
  costPer1mOutput: number;
  o1CostPerCredit: number;
  o1CostPer1mInput: number;
  o1CostPer1mOutput: number;
  dallEPricePerImage: number;
};

/** Modifiers by credit_config action (`chapter_input`, `image`, …). */
export type Modifiers = Record<string, number>;

export type StageSettings = { model: string; tier: Tier; predictedOutputTokens: number };

/** Everything prices depend on: the admin-tunable price tables. */
export type Pricing = {
  cost: TokenCost;
  modifiers: Modifiers;
  stages: Record<StageConfigKey, StageSettings>;
};

const DEFAULT_MODIFIER = 2;

/** Python's round(): halves go to the even neighbour (2.5 → 2, 3.5 → 4), as the original did. */
export function roundHalfEven(x: number, digits = 0): number {
  const m = 10 ** digits;
  const v = x * m;
  const floor = Math.floor(v);
  const diff = v - floor;
  // Decimal halves like 0.125 are not exact in binary; treat "within float noise of .5" as a half.
  const eps = 1e-9 * Math.max(1, Math.abs(v));
  let r: number;
  if (Math.abs(diff - 0.5) <= eps) r = floor % 2 === 0 ? floor : floor + 1;
  else r = Math.round(v);
  return r / m;
}

const round2 = (x: number) => roundHalfEven(x, 2);

export function tokensPerCredit(cost: TokenCost, tier: Tier) {
  const perCredit = tier === "reasoning" ? cost.o1CostPerCredit : cost.costPerCredit;
  const in1m = tier === "reasoning" ? cost.o1CostPer1mInput : cost.costPer1mInput;
  const out1m = tier === "reasoning" ? cost.o1CostPer1mOutput : cost.costPer1mOutput;
  return { input: round2((perCredit * 1e6) / in1m), output: round2((perCredit * 1e6) / out1m) };
}

export type TextBreakdown = {
  kind: "text";
  tier: Tier;
  action: string;
  inputTokens: number;
  outputTokens: number;
  inputTokensPerCredit: number;
  outputTokensPerCredit: number;
  baseInput: number;
  baseOutput: number;
  inputModifier: number;
  outputModifier: number;
  modifiedInput: number;
  modifiedOutput: number;
  total: number;
};

export function textCredits(
  p: { tier: Tier; action: string; inputTokens: number; outputTokens: number },
  cost: TokenCost,
  modifiers: Modifiers,
): TextBreakdown {
  const per = tokensPerCredit(cost, p.tier);
  const baseInput = Math.max(1, roundHalfEven(p.inputTokens / per.input));
  const baseOutput = Math.max(1, roundHalfEven(p.outputTokens / per.output));
  const inputModifier = modifiers[`${p.action}_input`] ?? DEFAULT_MODIFIER;
  const outputModifier = modifiers[`${p.action}_output`] ?? DEFAULT_MODIFIER;
  const modifiedInput = roundHalfEven(baseInput * inputModifier);
  const modifiedOutput = roundHalfEven(baseOutput * outputModifier);
  return {
    kind: "text",
    tier: p.tier,
    action: p.action,
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    inputTokensPerCredit: per.input,
    outputTokensPerCredit: per.output,
    baseInput,
    baseOutput,
    inputModifier,
    outputModifier,
    modifiedInput,
    modifiedOutput,
    total: modifiedInput + modifiedOutput,
  };
}

export type ImageBreakdown = {
  kind: "image";
  pricePerImage: number;
  modifier: number;
  images: number;
  perImage: number;
  total: number;
};

export function imageCredits(cost: TokenCost, modifiers: Modifiers, images = 1): ImageBreakdown {
  const modifier = modifiers.image ?? DEFAULT_MODIFIER;
  const perImage = roundHalfEven(cost.dallEPricePerImage * modifier);
  return { kind: "image", pricePerImage: cost.dallEPricePerImage, modifier, images, perImage, total: perImage * images };
}

/**
 * The output cap of a model call: the predicted answer with half again to spare, plus room for
 * the hidden reasoning tokens that reasoning-tier models count as output. It is sent with every
 * call (`max_completion_tokens`), and the unit's price at the cap is the most it can cost.
 */
export const OUTPUT_CAP_MARGIN = 1.5;
export const REASONING_HEADROOM_MIN = 1024;

export function outputCap(predictedOutputTokens: number, tier: Tier): number {
  const answer = Math.ceil(Math.max(1, predictedOutputTokens) * OUTPUT_CAP_MARGIN);
  const thinking = tier === "reasoning" ? Math.max(REASONING_HEADROOM_MIN, Math.ceil(predictedOutputTokens / 2)) : 0;
  return answer + thinking;
}

/**
 * What the provider billed us, in USD, for analytics and margins. Cached input tokens are billed
 * at a discount (half, OpenAI's rate for the families we default to); reasoning tokens are part
 * of the output tokens providers report.
 */
export const CACHED_INPUT_PRICE_FACTOR = 0.5;

export function providerCostUsd(
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number },
  cost: TokenCost,
  tier: Tier,
): number {
  const in1m = tier === "reasoning" ? cost.o1CostPer1mInput : cost.costPer1mInput;
  const out1m = tier === "reasoning" ? cost.o1CostPer1mOutput : cost.costPer1mOutput;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  return ((usage.inputTokens - cached + cached * CACHED_INPUT_PRICE_FACTOR) * in1m + usage.outputTokens * out1m) / 1e6;
}

/** What typical calls cost under a price table: the admin console's live example. */
export function pricingExamples(p: Pricing) {
  const chapterWords = 2500;
  return {
    chapter: {
      label: `A ${chapterWords}-word chapter from a 3000-token prompt`,
      ...textCredits(
        { tier: p.stages.chapters.tier, action: "chapter", inputTokens: 3000, outputTokens: Math.round(chapterWords * 1.35) },
        p.cost,
        p.modifiers,
      ),
    },
    meta: {
      label: "Characters & places: 500 tokens in, 200 out",
      ...textCredits({ tier: p.stages.meta.tier, action: "meta", inputTokens: 500, outputTokens: 200 }, p.cost, p.modifiers),
    },
    image: { label: "One image", ...imageCredits(p.cost, p.modifiers) },
  };
}
