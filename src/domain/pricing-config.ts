// The admin-tunable pricing tables (SPEC §7), read fresh for every estimate and charge so a
// change made through the admin API applies at once.
import type { Pricing, TokenCost } from "../core/pricing";
import { DEFAULT_TOKEN_COST } from "../core/defaults";
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
    modifiers: Object.fromEntries(mods.map((m) => [m.action, m.modifier])),
    stages: Object.fromEntries(
      stages.map((s) => [s.stage, { model: s.model, tier: s.tier, predictedOutputTokens: s.predictedOutputTokens }]),
    ) as Pricing["stages"],
  };
}
