// First-run defaults (SPEC §3, §4, §7). Seeded into D1 once; admins tune the D1 copy afterwards.
import type { STAGE_CONFIG_KEYS } from "../shared/stages";

export const DEFAULT_TOKEN_COST = {
  costPerCredit: 0.000999,
  costPer1mInput: 0.15,
  costPer1mOutput: 0.6,
  o1CostPerCredit: 0.000999,
  o1CostPer1mInput: 15,
  o1CostPer1mOutput: 60,
  dallEPricePerImage: 0.08,
};

export const DEFAULT_CREDIT_CONFIG: { action: string; type: "text" | "image"; modifier: number }[] = [
  { action: "image", type: "image", modifier: 50 },
  { action: "meta_input", type: "text", modifier: 50 },
  { action: "meta_output", type: "text", modifier: 50 },
  ...["summary", "arcs", "chapter_guide", "chapter"].flatMap((a) => [
    { action: `${a}_input`, type: "text" as const, modifier: 2 },
    { action: `${a}_output`, type: "text" as const, modifier: 2 },
  ]),
];

export const DEFAULT_STAGE_CONFIG: {
  stage: (typeof STAGE_CONFIG_KEYS)[number];
  model: string;
  tier: "standard" | "reasoning";
  predictedOutputTokens: number;
}[] = [
  { stage: "meta", model: "gpt-4o-mini", tier: "standard", predictedOutputTokens: 200 },
  // Per chapter of the outline.
  { stage: "summaries", model: "o4-mini", tier: "reasoning", predictedOutputTokens: 50 },
  { stage: "arcs", model: "o4-mini", tier: "reasoning", predictedOutputTokens: 250 },
  // Per chapter.
  { stage: "guides", model: "o4-mini", tier: "reasoning", predictedOutputTokens: 250 },
  // Per chapter; at least target_chapter_words × 1.35 (SPEC §7).
  { stage: "chapters", model: "o4-mini", tier: "reasoning", predictedOutputTokens: 300 },
  { stage: "images", model: "gpt-image-1", tier: "standard", predictedOutputTokens: 0 },
];

export const DEFAULT_SITE = {
  registrationDisabled: false,
  maintenanceMode: false,
  signupTextCredits: 500,
  signupImageCredits: 8,
};

export const SEEDED_ADMIN_CREDITS = { text: 10_000, image: 1_000 };
