// What the book remembers of its written prose, in pure functions (docs/MEMORY.md): facts kept only
// when their quote is really in the chapter, the characters' states merged along the book, the
// digests of earlier chapters folded into parts once the book is long, the last words of a chapter,
// word budgets for beats, and whether a chapter's actual ending honours its exit contract.
import type { CharacterState, Contract, Digest } from "../shared/schemas";

/** Facts whose quote is not an exact substring of the chapter are dropped; how many is kept. */
export function verifyFacts(digest: Digest, prose: string): { digest: Digest; dropped: number } {
  const facts = digest.facts.filter((f) => f.quote.trim() !== "" && prose.includes(f.quote));
  return { digest: { ...digest, facts }, dropped: digest.facts.length - facts.length };
}

const key = (name: string) => name.trim().toLowerCase();

/**
 * The characters' states at the start of chapter k: each character's latest known state from the
 * digests of chapters 1 … k−1 in order (a later chapter's state replaces an earlier one; what they
 * know accumulates).
 */
export function mergeStates(digests: Digest[]): CharacterState[] {
  const byName = new Map<string, CharacterState>();
  for (const d of digests)
    for (const st of d.states) {
      const prev = byName.get(key(st.name));
      const knows = [...new Set([...(prev?.knows ?? []), ...st.knows])];
      byName.set(key(st.name), { ...st, knows });
    }
  return [...byName.values()];
}

/** The last `n` words of a chapter's prose, as written (the previous chapter's ending). */
export function lastWords(prose: string, n: number): string {
  const words = prose.trim().split(/\s+/);
  return words.length <= n ? prose.trim() : words.slice(-n).join(" ");
}

/** How many digests a part folds, and from how many earlier chapters folding starts. */
export const PART_SIZE = 10;
export const FOLD_AFTER = 30;

export type MemoryItem = { kind: "chapter"; number: number; digest: Digest } | { kind: "part"; from: number; to: number; text: string };

/**
 * The `<story_so_far>` items for a chapter: the digests of the chapters before it, in order. Past
 * FOLD_AFTER earlier chapters, each completed run of PART_SIZE digests is folded into one part,
 * so the prompt stays bounded; a part is a fixed function of its digests, so once folded it keeps
 * its bytes and the provider's prefix cache keeps working.
 */
export function storySoFar(earlier: { number: number; digest: Digest }[]): MemoryItem[] {
  if (earlier.length <= FOLD_AFTER) return earlier.map((e) => ({ kind: "chapter", ...e }));
  const folded = Math.floor(earlier.length / PART_SIZE) * PART_SIZE;
  const items: MemoryItem[] = [];
  for (let i = 0; i < folded; i += PART_SIZE) {
    const run = earlier.slice(i, i + PART_SIZE);
    items.push({ kind: "part", from: run[0]!.number, to: run.at(-1)!.number, text: foldPart(run) });
  }
  for (const e of earlier.slice(folded)) items.push({ kind: "chapter", ...e });
  return items;
}

/** One part: each chapter's summary, then the threads still open at its end. */
function foldPart(run: { number: number; digest: Digest }[]): string {
  const open = new Set<string>();
  for (const { digest } of run) {
    for (const t of digest.threadsOpened) open.add(t);
    for (const t of digest.threadsClosed) open.delete(t);
  }
  const lines = run.map(({ number, digest }) => `Chapter ${number}: ${digest.summary}`);
  if (open.size) lines.push(`Threads still open: ${[...open].join("; ")}`);
  return lines.join("\n");
}

/** Word budgets for a chapter's beats, in proportion to how much each beat says, summing to the target. */
export function beatBudgets(beats: { text: string }[], target: number): number[] {
  if (!beats.length) return [];
  const weights = beats.map((b) => Math.max(1, b.text.split(/\s+/).length));
  const total = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / total) * target);
  const budgets = raw.map(Math.floor);
  // Largest remainders first, so the budgets sum to the target exactly.
  let left = target - budgets.reduce((a, b) => a + b, 0);
  for (const i of raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i)) {
    if (left-- <= 0) break;
    budgets[i]!++;
  }
  return budgets;
}

/** A chapter more than this far from its target gets one expand or tighten pass. */
export const LENGTH_TOLERANCE = 0.2;
export const lengthOff = (words: number, target: number) => (target > 0 ? (words - target) / target : 0);

// ---------------------------------------------------------------- boundaries

const tokens = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.filter((w) => w.length > 2) ?? []);

/** Two short descriptions of a place agree when one's content words are mostly in the other. */
function samePlace(a: string, b: string): boolean {
  const ta = tokens(a);
  const tb = tokens(b);
  if (!ta.size || !tb.size) return true; // nothing to compare: not a disagreement
  const shared = [...ta].filter((w) => tb.has(w)).length;
  return shared / Math.min(ta.size, tb.size) >= 0.5;
}

/**
 * Where a chapter's actual ending (its digest) disagrees with its exit contract: the place, who is
 * present, and where each contracted character is. Empty when the next chapter can open as planned.
 */
export function boundaryMismatches(exit: Contract, digest: Digest): string[] {
  const out: string[] = [];
  if (exit.place && digest.ending.place && !samePlace(exit.place, digest.ending.place))
    out.push(`The chapter ends at ${digest.ending.place}, not at ${exit.place}.`);
  const present = new Set(digest.ending.present.map(key));
  const missing = exit.present.filter((n) => !present.has(key(n)));
  if (missing.length && digest.ending.present.length) out.push(`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not there at the end.`);
  const states = new Map(digest.states.map((s) => [key(s.name), s]));
  for (const want of exit.states) {
    const got = states.get(key(want.name));
    if (got && want.where && got.where && !samePlace(want.where, got.where))
      out.push(`${want.name} ends at ${got.where}, not at ${want.where}.`);
  }
  return out;
}
