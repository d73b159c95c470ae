// What a generation consists of and what it should cost, before anything runs: the units of a
// stage (one model call each), their exact prompts, and predicted credits. Every stage-specific
// answer comes from the stage's descriptor (src/core/stages).
import { BOOK_STAGES, STAGE_INFO, type UnitStage } from "../shared/stages";
import { imageCredits, outputCap, textCredits, type ImageBreakdown, type Pricing, type TextBreakdown } from "./pricing";
import { storyBible, type ChatMessage, type Prompt } from "./prompts";
import { stageOf, textStage, type PromptParams, type UnitOptions, type UnitSpec } from "./stages";
import { needsDigest } from "./stages/digests";
import type { StoryContext } from "./story";

export type { PromptParams, UnitOptions, UnitSpec } from "./stages";

/** The units of one stage. Inside `book`, artifacts that already exist are skipped unless `regenerate` is set. */
export const unitsFor = (stage: UnitStage, s: StoryContext, o: UnitOptions = {}): UnitSpec[] => stageOf(stage).units(s, o);

const digestUnit = (id: number, after: string[] = []): UnitSpec => ({ unit: `digest:${id}`, stage: "digests", chapterId: id, after });

/**
 * The units of one step of a job. A chapters step of a book with memory (docs/MEMORY.md) also
 * remembers: every chapter it writes gets a digest, earlier chapters whose digest is missing or
 * stale get one first, and
 *   - sequential: everything runs in reading order, chapter k after the digest of chapter k−1;
 *   - hybrid: chapters run at once (after any refreshed digests of earlier chapters), each digest
 *     after its own chapter, and each seam gets a boundary check after the digest of the chapter
 *     before it (a rewrite of the opening only where the real ending disagrees with the contract).
 * `contractsPlanned`: a quote of a book whose contracts this run will plan first.
 */
export function stepUnits(stage: UnitStage, s: StoryContext, o: UnitOptions & { contractsPlanned?: boolean } = {}): UnitSpec[] {
  const own = unitsFor(stage, s, o);
  if (stage !== "chapters" || (o.mode !== "sequential" && o.mode !== "hybrid") || !own.length) return own;
  const writing = new Set(own.map((u) => u.chapterId!));
  const lastWritten = Math.max(...s.chapters.filter((c) => writing.has(c.id)).map((c) => c.number));
  const stale = (c: StoryContext["chapters"][number]) => !writing.has(c.id) && c.number < lastWritten && needsDigest(c);
  const out: UnitSpec[] = [];
  if (o.mode === "sequential") {
    let last: string | null = null;
    for (const c of s.chapters) {
      const after = last ? [last] : [];
      if (writing.has(c.id)) {
        out.push({ unit: `chapter:${c.id}`, stage: "chapters", chapterId: c.id, after }, digestUnit(c.id, [`chapter:${c.id}`]));
        last = `digest:${c.id}`;
      } else if (stale(c)) {
        out.push(digestUnit(c.id, after));
        last = `digest:${c.id}`;
      }
    }
    return out;
  }
  const refreshed = s.chapters.filter(stale);
  out.push(...refreshed.map((c) => digestUnit(c.id)));
  const planned = (c: StoryContext["chapters"][number]) => !!c.exit || !!o.contractsPlanned;
  s.chapters.forEach((c, i) => {
    const prev = s.chapters[i - 1];
    if (writing.has(c.id)) {
      const before = refreshed.filter((r) => r.number < c.number).map((r) => `digest:${r.id}`);
      out.push({ unit: `chapter:${c.id}`, stage: "chapters", chapterId: c.id, after: before }, digestUnit(c.id, [`chapter:${c.id}`]));
    }
    const changed = writing.has(c.id) || (prev && writing.has(prev.id));
    if (prev && planned(prev) && changed && (c.hasContent || writing.has(c.id))) {
      const after = [...(writing.has(prev.id) || refreshed.includes(prev) ? [`digest:${prev.id}`] : []), ...(writing.has(c.id) ? [`chapter:${c.id}`] : [])];
      out.push({ unit: `boundary:${c.id}`, stage: "boundaries", chapterId: c.id, after, optional: true });
    }
  });
  return out;
}

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

/** How much of a unit's predicted output a later prompt of the same run carries. */
function inOnePrompt(stage: UnitStage, s: StoryContext, pricing: Pricing): number {
  const d = textStage(stage);
  const cfg = pricing.stages[STAGE_INFO[stage].configKey];
  return d.outputInOnePrompt ? d.outputInOnePrompt(s, cfg) : d.predictedOutputTokens(s, cfg);
}

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
  const d = textStage(u.stage);
  const settings = (st: UnitStage) => pricing.stages[STAGE_INFO[st].configKey];
  const inputTokens = (await count(promptFor(u, s, p).messages)) + projectedInputTokens + (d.unseenInputTokens?.(u, s, p, settings) ?? 0);
  const outputTokens = predictedOutputTokens(u.stage, s, pricing);
  const price = (input: number, out: number) =>
    textCredits({ tier: cfg.tier, action: info.action, inputTokens: input, outputTokens: out }, pricing.cost, pricing.modifiers);
  const breakdown = price(inputTokens, outputTokens);
  const maxOutputTokens = outputCap(outputTokens, cfg.tier);
  // An extra call (a continuation, a length pass) carries the first reply in its prompt.
  const extra = (d.extraCalls ?? 0) * price(inputTokens + maxOutputTokens, maxOutputTokens).total;
  return {
    ...u,
    creditType: "text",
    model: cfg.model,
    credits: breakdown.total,
    breakdown,
    maxOutputTokens,
    maxCredits: price(inputTokens, maxOutputTokens).total + extra,
  };
}

/** The predictions of one step's units, one bible for all their prompts; a chapters step tells every prompt which chapters it writes. */
export async function predictStep(
  units: UnitSpec[],
  s: StoryContext,
  pricing: Pricing,
  count: TokenCounter,
  p: PromptParams = {},
  projected: (u: UnitSpec) => number = () => 0,
): Promise<UnitPrediction[]> {
  const writing = units.filter((u) => u.stage === "chapters").map((u) => u.chapterId!);
  // A one-unit step (cast, outline, arcs, contracts) builds its own prompt once, bible or none.
  const bible = p.bible ?? (units.length > 1 ? storyBible(s) : undefined);
  const params = { ...p, ...(writing.length ? { writing } : {}), ...(bible ? { bible } : {}) };
  return Promise.all(units.map((u) => predictUnit(u, s, pricing, count, params, projected(u))));
}

export type Quote = {
  units: UnitPrediction[];
  totals: { text: number; image: number };
  /** The most the work can cost: every unit at its output cap (what the units hold while they run). */
  maxTotals: { text: number; image: number };
  /** For `book`: the stages that will run, in order. */
  plan: UnitStage[];
};

/** The prediction counts the calls that will run; optional ones (a boundary rewrite) count only in the most. */
export const sumQuote = (units: UnitPrediction[], of: (u: UnitPrediction) => number = (u) => (u.optional ? 0 : u.credits)) => ({
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
  const units = await predictStep(stepUnits(stage, s, o), s, pricing, count, o);
  return quoteOf(units, [stage]);
}

/**
 * The whole-book quote. Later stages' prompts will contain what earlier stages write, so each
 * stage's input is its prompt today plus the predicted output of the earlier stages of this run
 * that its prompts include (its descriptor's `promptGrowsWith`).
 */
export async function quoteBook(
  s: StoryContext,
  pricing: Pricing,
  count: TokenCounter,
  o: { regenerate?: boolean; mode?: UnitOptions["mode"] } = {},
): Promise<Quote> {
  const planned = new Set<UnitStage>();
  const units: UnitPrediction[] = [];
  const opts = { inBook: true, regenerate: o.regenerate, mode: o.mode };
  // Every step prices prompts of this one snapshot, so they share one bible.
  const params = { mode: o.mode, bible: storyBible(s) };
  for (const stage of BOOK_STAGES) {
    const specs = stepUnits(stage, s, { ...opts, contractsPlanned: planned.has("contracts") });
    if (!specs.length) continue;
    planned.add(stage);
    const grows = (u: UnitSpec) => {
      const d = stageOf(u.stage);
      return d.kind === "image" ? 0 : d.promptGrowsWith.filter((st) => planned.has(st)).reduce((n, st) => n + inOnePrompt(st, s, pricing), 0);
    };
    units.push(...(await predictStep(specs, s, pricing, count, params, grows)));
  }
  return quoteOf(units, BOOK_STAGES.filter((st) => planned.has(st)));
}

// ---------------------------------------------------------------- how long a run takes

/**
 * Rough seconds a call takes at a real provider, by stage: planning answers are short, a chapter
 * takes time in proportion to its length, a boundary check usually calls nothing. A guide for
 * authors choosing a mode, not a promise.
 */
export function callSeconds(stage: UnitStage, targetWords: number): number {
  switch (STAGE_INFO[stage].generationType) {
    case "chapter":
      return 15 + targetWords / 35;
    case "digest":
      return 8;
    case "boundary":
      return 2;
    case "image":
      return 20;
    case "chapter_guide":
      return 12;
    default:
      return 15;
  }
}

/**
 * The wall time of a run: its stages one after another, and within a stage its units scheduled as
 * the engine does (dependencies first, at most `concurrency` at once).
 */
export function wallSeconds(q: Pick<Quote, "units" | "plan">, concurrency: number, targetWords: number): number {
  const stepOf = (u: UnitPrediction) => (u.stage === "digests" || u.stage === "boundaries" ? "chapters" : u.stage);
  let total = 0;
  for (const step of q.plan) {
    const units = q.units.filter((u) => stepOf(u) === step);
    const done = new Map<string, number>();
    const running: number[] = [];
    let clock = 0;
    const left = [...units];
    while (left.length) {
      // The next unit whose dependencies are done; it starts when they are and a slot is free.
      const i = left.findIndex((u) => (u.after ?? []).every((a) => done.has(a) || !units.some((x) => x.unit === a)));
      const u = left.splice(i < 0 ? 0 : i, 1)[0]!;
      const ready = Math.max(0, ...(u.after ?? []).map((a) => done.get(a) ?? 0));
      running.sort((a, b) => a - b);
      const slot = running.length >= concurrency ? running.shift()! : 0;
      const start = Math.max(ready, slot);
      const end = start + callSeconds(u.stage, targetWords);
      running.push(end);
      done.set(u.unit, end);
      clock = Math.max(clock, end);
    }
    total += clock;
  }
  return Math.round(total);
}
