// The admin-tunable pricing tables, read fresh for every estimate so a change made through the
// admin API applies at once; a queue batch reads them once for all its units (`batchDeps`), so
// charges follow from the next batch. A row not seeded yet (a stage added since) falls back to
// its first-run default.
import type { Pricing, TokenCost } from "../core/pricing";
import { DEFAULT_MODIFIERS, DEFAULT_STAGE_SETTINGS, DEFAULT_TOKEN_COST } from "../core/defaults";
import type { Db } from "./db/client";
import { creditConfig, stageConfig, tokenCostConfig } from "./db/schema";

export async function loadPricing(db: Db): Promise<Pricing> {
  const [costRows, mods, stages] = await db.batch([
    db.select().from(tokenCostConfig).limit(1),
    db.select().from(creditConfig),
    db.select().from(stageConfig),
  ]);
  const row = costRows[0];
  const cost: TokenCost = row
    ? {
        costPerCredit: row.costPerCredit,
        costPer1mInput: row.costPer1mInput,
        costPer1mOutput: row.costPer1mOutput,
        o1CostPerCredit: row.o1CostPerCredit,
        o1CostPer1mInput: row.o1CostPer1mInput,
        o1CostPer1mOutput: row.o1CostPer1mOutput,
        dallEPricePerImage: row.dallEPricePerImage,
      }
    : DEFAULT_TOKEN_COST;
  return {
    cost,
    modifiers: { ...DEFAULT_MODIFIERS, ...Object.fromEntries(mods.map((m) => [m.action, m.modifier])) },
    stages: {
      ...DEFAULT_STAGE_SETTINGS,
      ...Object.fromEntries(stages.map((s) => [s.stage, { model: s.model, tier: s.tier, predictedOutputTokens: s.predictedOutputTokens }])),
    },
  };
}
