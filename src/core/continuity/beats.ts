// Does the prose tell each beat? A beat counts as told when some passage of the chapter holds
// enough of what the beat is about: its meaningful words and the people and places it names.
import type { ChapterPlan } from "./characters";
import { draft, type Draft } from "./finding";
import type { Mention } from "./names";
import type { Prose } from "./prose";
import { STOPWORDS, stem } from "./words";

/**
 * Found when the best passage holds this share of the beat's weight. Measured on the fixture
 * books: beats the prose tells score 0.41 and up (most above 0.55), beats it never tells 0.26
 * and below.
 */
export const BEAT_FOUND = 0.35;

type Bag = { terms: Set<string>; entities: Set<number> };
type Key = string | number;

// Word → its stem, or "" when the word carries no meaning here; emptied past 50,000 words.
const TERMS = new Map<string, string>();

function term(w: string): string {
  let t = TERMS.get(w);
  if (t === undefined) {
    t = w.length < 3 || STOPWORDS.has(w) || /\p{N}/u.test(w) ? "" : stem(w);
    if (STOPWORDS.has(t)) t = "";
    if (TERMS.size > 50_000) TERMS.clear();
    TERMS.set(w, t);
  }
  return t;
}

/** Adds the meaningful words of tokens `from`..`to` to `into`, leaving out names (`mentions`, sorted). */
function termsOf(p: Prose, mentions: Mention[], from: number, to: number, into: Set<string>) {
  let m = 0;
  while (m < mentions.length && mentions[m]!.end <= from) m++;
  for (let i = from; i < to; i++) {
    while (m < mentions.length && mentions[m]!.end <= i) m++;
    if (m < mentions.length && mentions[m]!.first <= i) continue;
    const t = term(p.tokens[i]!.lower);
    if (t) into.add(t);
  }
}

/** Each beat's meaningful words (stemmed) and the cast and places it involves. */
export function beatBags(plan: ChapterPlan): Bag[] {
  return plan.beats.map((b) => {
    const terms = new Set<string>();
    termsOf(b.prose, b.mentions, 0, b.prose.tokens.length, terms);
    return { terms, entities: b.entities };
  });
}

/**
 * How much finding a word or a name says, from the whole plan: "coal" in every chapter's beats
 * says little about which beat a passage tells, "sledge" in one chapter's says a lot. Taken from
 * the beats rather than the prose, so editing one chapter never moves another's results.
 */
export function planWeights(bags: Bag[][]): (k: Key) => number {
  const df = new Map<Key, number>();
  for (const chapter of bags) {
    const seen = new Set<Key>();
    for (const b of chapter) for (const k of [...b.terms, ...b.entities]) seen.add(k);
    for (const k of seen) df.set(k, (df.get(k) ?? 0) + 1);
  }
  const n = bags.length;
  return (k) => Math.log((n + 1) / (df.get(k) ?? 0.5));
}

export type BeatResult = { coverage: number | null; findings: Draft[]; scores: number[] };

export function beatFindings(p: Prose, mentions: Mention[], plan: ChapterPlan, beats: Bag[], weight: (k: Key) => number): BeatResult {
  if (!plan.beats.length) return { coverage: null, findings: [], scores: [] };
  // One bag of words and names per paragraph of prose.
  const paras: (Bag & { words: number })[] = [];
  let m = 0;
  for (const para of p.paragraphs) {
    if (para.boilerplate) continue;
    const bag = { terms: new Set<string>(), entities: new Set<number>(), words: para.endToken - para.firstToken };
    termsOf(p, mentions, para.firstToken, para.endToken, bag.terms);
    while (m < mentions.length && mentions[m]!.first < para.endToken) {
      const x = mentions[m++]!;
      if (x.first >= para.firstToken && x.ids.length === 1) bag.entities.add(x.ids[0]!);
    }
    paras.push(bag);
  }

  // Passages: runs of whole paragraphs about as long as one beat's share of the chapter, at most
  // a scene's 300 words; longer passages gather stray words from everywhere.
  const n = paras.length;
  const total = paras.reduce((s, x) => s + x.words, 0);
  const size = Math.min(300, Math.max(80, total / beats.length));
  const windows: { from: number; to: number }[] = [];
  for (let i = 0; i < n; i++) {
    let j = i;
    let w = 0;
    while (j < n && (w < size || j === i)) w += paras[j++]!.words;
    windows.push({ from: i, to: j });
    if (j === n) break;
  }

  const scores: number[] = [];
  const places: number[] = [];
  const next = new Int32Array(n + 1);
  for (const b of beats) {
    const keys: Key[] = [...b.terms, ...b.entities];
    const sum = keys.reduce<number>((s, k) => s + weight(k), 0);
    const got = new Float64Array(windows.length);
    const mass = new Float64Array(windows.length);
    for (const k of keys) {
      // next[i]: the first paragraph at or after i that holds the key.
      next[n] = n;
      for (let i = n - 1; i >= 0; i--) {
        const x = paras[i]!;
        next[i] = (typeof k === "string" ? x.terms.has(k) : x.entities.has(k)) ? i : next[i + 1]!;
      }
      const w = weight(k);
      windows.forEach((win, j) => {
        const at = next[win.from]!;
        if (at < win.to) {
          got[j]! += w;
          mass[j]! += at * w;
        }
      });
    }
    // A beat with nothing to look for cannot be missing.
    let best = sum > 0 ? 0 : 1;
    let bestAt = 0;
    windows.forEach((win, j) => {
      const score = sum > 0 ? got[j]! / sum : 0;
      if (score > best + 1e-9) {
        best = score;
        // Where the passage's evidence sits, for the order check.
        bestAt = got[j] ? mass[j]! / got[j]! : win.from;
      }
    });
    scores.push(best);
    places.push(bestAt);
  }

  const findings: Draft[] = [];
  const found = scores.map((s) => s >= BEAT_FOUND);
  plan.beats.forEach((b, i) => {
    if (found[i]) return;
    const text = b.text.trim();
    findings.push(draft("beat_missing", "warning", `Beat ${i + 1} ("${short(text)}") does not seem to happen in this chapter.`, { beat: i + 1, key: text }));
  });
  // Told but out of order: not on the longest run of beats whose passages come in beat order.
  const order = found.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
  const keep = longestOrdered(order.map((i) => places[i]!));
  order.forEach((beatIndex, j) => {
    if (keep.has(j)) return;
    const text = plan.beats[beatIndex]!.text.trim();
    findings.push(
      draft("beat_missing", "info", `Beat ${beatIndex + 1} ("${short(text)}") is told, but earlier or later than the beats around it.`, {
        beat: beatIndex + 1,
        key: `order:${text}`,
      }),
    );
  });
  return { coverage: found.filter(Boolean).length / beats.length, findings, scores };
}

const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77).replace(/\s+\S*$/, "")}…` : s);

/** Indexes of a longest non-decreasing subsequence; a paragraph of slack absorbs neighbouring beats that share a passage. */
function longestOrdered(xs: number[]): Set<number> {
  const len = xs.map(() => 1);
  const prev = xs.map(() => -1);
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < i; j++) {
      if (xs[j]! <= xs[i]! + 1 && len[j]! + 1 > len[i]!) {
        len[i] = len[j]! + 1;
        prev[i] = j;
      }
    }
  }
  let end = 0;
  for (let i = 1; i < xs.length; i++) if (len[i]! > len[end]!) end = i;
  const out = new Set<number>();
  for (let i = xs.length ? end : -1; i >= 0; i = prev[i]!) out.add(i);
  return out;
}
