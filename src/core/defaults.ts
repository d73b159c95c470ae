// First-run defaults. Seeded into D1 once; admins tune the D1 copy afterwards. The records are
// keyed by the stage table's config keys and credit actions (src/shared/stages.ts), so a new stage
// without its defaults does not compile.
import type { CreditAction, StageConfigKey } from "../shared/stages";
import type { StageSettings } from "./pricing";

export const DEFAULT_TOKEN_COST = {
  costPerCredit: 0.000999,
  costPer1mInput: 0.15,
  costPer1mOutput: 0.6,
  o1CostPerCredit: 0.000999,
  o1CostPer1mInput: 15,
  o1CostPer1mOutput: 60,
  dallEPricePerImage: 0.08,
};

export const DEFAULT_MODIFIERS: Record<CreditAction, number> = {
  image: 50,
  meta_input: 50,
  meta_output: 50,
  summary_input: 2,
  summary_output: 2,
  arcs_input: 2,
  arcs_output: 2,
  contract_input: 2,
  contract_output: 2,
  chapter_guide_input: 2,
  chapter_guide_output: 2,
  chapter_input: 2,
  chapter_output: 2,
  digest_input: 2,
  digest_output: 2,
  boundary_input: 2,
  boundary_output: 2,
  audit_input: 2,
  audit_output: 2,
};

export const DEFAULT_STAGE_SETTINGS: Record<StageConfigKey, StageSettings> = {
  meta: { model: "gpt-4o-mini", tier: "standard", predictedOutputTokens: 200 },
  // Per chapter of the outline.
  summaries: { model: "o4-mini", tier: "reasoning", predictedOutputTokens: 50 },
  arcs: { model: "o4-mini", tier: "reasoning", predictedOutputTokens: 250 },
  // Per chapter: one call plans every chapter's exit.
  contracts: { model: "o4-mini", tier: "reasoning", predictedOutputTokens: 160 },
  // Per chapter.
  guides: { model: "o4-mini", tier: "reasoning", predictedOutputTokens: 250 },
  // Per chapter; at least the story's target words × 1.35 (src/core/stages/chapters.ts).
  chapters: { model: "o4-mini", tier: "reasoning", predictedOutputTokens: 300 },
  // Per chapter: what the book remembers of it, on a cheap model.
  digests: { model: "gpt-4o-mini", tier: "standard", predictedOutputTokens: 450 },
  // A rewritten opening, when a chapter's real ending disagrees with its exit contract.
  boundaries: { model: "o4-mini", tier: "reasoning", predictedOutputTokens: 450 },
  // Per chapter: a careful reader of one chapter against the book, on a reasoning model.
  audit: { model: "o4-mini", tier: "reasoning", predictedOutputTokens: 400 },
  images: { model: "gpt-image-1", tier: "standard", predictedOutputTokens: 0 },
};

/** The same defaults as the rows the seed inserts. */
export const DEFAULT_CREDIT_CONFIG = Object.entries(DEFAULT_MODIFIERS).map(([action, modifier]) => ({
  action,
  type: action === "image" ? ("image" as const) : ("text" as const),
  modifier,
}));
export const DEFAULT_STAGE_CONFIG = Object.entries(DEFAULT_STAGE_SETTINGS).map(([stage, s]) => ({ stage: stage as StageConfigKey, ...s }));

export const DEFAULT_SITE = {
  registrationDisabled: false,
  maintenanceMode: false,
  signupTextCredits: 500,
  signupImageCredits: 8,
};

export const SEEDED_ADMIN_CREDITS = { text: 10_000, image: 1_000 };
