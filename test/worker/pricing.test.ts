import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CREDIT_CONFIG, DEFAULT_TOKEN_COST } from "../../src/core/defaults";
import { imageCredits, providerCostUsd, roundHalfEven, textCredits, tokensPerCredit, type TokenCost } from "../../src/core/pricing";

const modifiers = Object.fromEntries(DEFAULT_CREDIT_CONFIG.map((c) => [c.action, c.modifier]));

describe("the original formula (README, tuning prices)", () => {
  it("rounds halves to even, like Python's round()", () => {
    expect([0.5, 1.5, 2.5, 3.5, -2.5, 2.51, 2.49].map((x) => roundHalfEven(x))).toEqual([0, 2, 2, 4, -2, 3, 2]);
    expect(roundHalfEven(16.645, 2)).toBe(16.64);
    expect(roundHalfEven(16.655, 2)).toBe(16.66);
    expect(roundHalfEven(30.03)).toBe(30);
  });

  it("gives the seeded tokens per credit", () => {
    expect(tokensPerCredit(DEFAULT_TOKEN_COST, "standard")).toEqual({ input: 6660, output: 1665 });
    expect(tokensPerCredit(DEFAULT_TOKEN_COST, "reasoning")).toEqual({ input: 66.6, output: 16.65 });
  });

  it("matches the test vectors", () => {
    const meta = textCredits({ tier: "standard", action: "meta", inputTokens: 500, outputTokens: 200 }, DEFAULT_TOKEN_COST, modifiers);
    expect(meta).toMatchObject({ baseInput: 1, baseOutput: 1, modifiedInput: 50, modifiedOutput: 50, total: 100 });
    const chapter = textCredits({ tier: "reasoning", action: "chapter", inputTokens: 2000, outputTokens: 300 }, DEFAULT_TOKEN_COST, modifiers);
    expect(chapter).toMatchObject({ baseInput: 30, baseOutput: 18, modifiedInput: 60, modifiedOutput: 36, total: 96 });
    expect(imageCredits(DEFAULT_TOKEN_COST, modifiers)).toMatchObject({ perImage: 4, total: 4 });
  });

  it("uses a modifier of 2 for actions without one, and at least one base credit per side", () => {
    const r = textCredits({ tier: "standard", action: "unknown", inputTokens: 0, outputTokens: 0 }, DEFAULT_TOKEN_COST, {});
    expect(r).toMatchObject({ baseInput: 1, baseOutput: 1, inputModifier: 2, outputModifier: 2, total: 4 });
  });

  // An independent reference written the way the original Python did it, on integer cents of a
  // micro-credit to avoid sharing any helper with the implementation.
  function pyRound(x: number, nd = 0): number {
    const m = 10 ** nd;
    const v = Number((x * m).toPrecision(15));
    const f = Math.floor(v);
    const d = Number((v - f).toPrecision(12));
    if (d > 0.5) return (f + 1) / m;
    if (d < 0.5) return f / m;
    return (f % 2 === 0 ? f : f + 1) / m;
  }
  function reference(cost: TokenCost, mods: Record<string, number>, tier: "standard" | "reasoning", action: string, inTok: number, outTok: number) {
    const perCredit = tier === "reasoning" ? cost.o1CostPerCredit : cost.costPerCredit;
    const inPer = pyRound((perCredit * 1_000_000) / (tier === "reasoning" ? cost.o1CostPer1mInput : cost.costPer1mInput), 2);
    const outPer = pyRound((perCredit * 1_000_000) / (tier === "reasoning" ? cost.o1CostPer1mOutput : cost.costPer1mOutput), 2);
    const baseIn = Math.max(1, pyRound(inTok / inPer));
    const baseOut = Math.max(1, pyRound(outTok / outPer));
    return pyRound(baseIn * (mods[`${action}_input`] ?? 2)) + pyRound(baseOut * (mods[`${action}_output`] ?? 2));
  }

  it("agrees with an independent reference on random price tables and token counts", () => {
    const price = fc.double({ min: 0.01, max: 200, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({
          costPerCredit: fc.double({ min: 0.0001, max: 0.01, noNaN: true }),
          costPer1mInput: price,
          costPer1mOutput: price,
          o1CostPerCredit: fc.double({ min: 0.0001, max: 0.01, noNaN: true }),
          o1CostPer1mInput: price,
          o1CostPer1mOutput: price,
          dallEPricePerImage: fc.double({ min: 0.01, max: 1, noNaN: true }),
        }),
        fc.constantFrom("standard" as const, "reasoning" as const),
        fc.constantFrom("meta", "summary", "arcs", "chapter_guide", "chapter"),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 1, max: 100 }),
        (cost, tier, action, inTok, outTok, mod) => {
          const mods = { ...modifiers, [`${action}_input`]: mod, [`${action}_output`]: mod + 1 };
          const got = textCredits({ tier, action, inputTokens: inTok, outputTokens: outTok }, cost, mods);
          expect(got.total).toBe(reference(cost, mods, tier, action, inTok, outTok));
          expect(got.total).toBe(got.modifiedInput + got.modifiedOutput);
          expect(got.modifiedInput).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("is monotonic: more tokens never cost fewer credits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 5000 }), (a, extra) => {
        const f = (n: number) => textCredits({ tier: "reasoning", action: "chapter", inputTokens: n, outputTokens: n }, DEFAULT_TOKEN_COST, modifiers).total;
        expect(f(a + extra)).toBeGreaterThanOrEqual(f(a));
      }),
    );
  });
});

describe("provider cost for analytics", () => {
  it("bills cached input at half price and reasoning inside the output", () => {
    const usd = providerCostUsd({ inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 1_000_000 }, DEFAULT_TOKEN_COST, "reasoning");
    expect(usd).toBeCloseTo(500_000 * 15e-6 + 500_000 * 7.5e-6 + 60, 6);
  });
});
