// Text the book has already used: whole paragraphs said twice, and chapters stitched from runs of
// words lifted out of earlier chapters.
import { draft, type Draft } from "./finding";
import { clip, type Prose } from "./prose";

/** Runs of this many words: long enough that two chapters share one only by copying. */
export const RUN = 8;
/**
 * Warn when this share of a chapter's 8-word runs comes from earlier chapters. Prose written
 * fresh shares almost none (0 % between the clean fixture's chapters); a recycled sentence is
 * about 1–2 % of a chapter, and 10 % is roughly a page of reused text, which readers notice.
 */
export const COPY_WARN = 0.1;
/** Shorter paragraphs ("No," she said.) repeat innocently. */
export const MIN_PARAGRAPH_WORDS = 10;

/**
 * Runs of words hashed to two 32-bit halves, in an open-addressing table: a plain Set of 250,000
 * non-integer numbers costs several times more, and 64 bits leave no room for false matches.
 */
class RunSet {
  private a = new Int32Array(1 << 14);
  private b = new Int32Array(1 << 14);
  private used = new Uint8Array(1 << 14);
  private size = 0;

  private slot(a: number, b: number): number {
    const mask = this.used.length - 1;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    while (this.used[i] && (this.a[i] !== a || this.b[i] !== b)) i = (i + 1) & mask;
    return i;
  }

  has(a: number, b: number): boolean {
    return this.used[this.slot(a, b)] === 1;
  }

  add(a: number, b: number) {
    const i = this.slot(a, b);
    if (this.used[i]) return;
    this.used[i] = 1;
    this.a[i] = a;
    this.b[i] = b;
    if (++this.size * 2 > this.used.length) this.grow();
  }

  private grow() {
    const { a, b, used } = this;
    this.a = new Int32Array(used.length * 2);
    this.b = new Int32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.add(a[i]!, b[i]!);
  }
}

/** What earlier chapters said, grown chapter by chapter. */
export type History = { paragraphs: Map<number, number>; runs: RunSet };

export const emptyHistory = (): History => ({ paragraphs: new Map(), runs: new RunSet() });

type Analysis = { copyRate: number; findings: Draft[]; paragraphs: number[]; runs: Int32Array };

/** Two independent 32-bit hashes of a word, so a run of words can be hashed from its words alone. */
function wordHash(w: string, seed: number, prime: number): number {
  let h = seed;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), prime);
  return h;
}

/** Checks a chapter against the history; `remember` then adds it for the chapters after. */
export function repetitionFindings(p: Prose, history: History, chapterNumber: number): Analysis {
  // Prose only: scene breaks and notices repeat by design.
  const tokens = p.tokens.filter((t) => !p.paragraphs[t.para]!.boilerplate);
  const ha = new Int32Array(tokens.length);
  const hb = new Int32Array(tokens.length);
  tokens.forEach((t, i) => {
    ha[i] = wordHash(t.lower, 0x811c9dc5, 0x01000193);
    hb[i] = wordHash(t.lower, 0x2f1a4b3d, 0x5bd1e995);
  });

  const findings: Draft[] = [];
  const keys: number[] = [];
  const repeated = new Set<number>();
  const here = new Set<number>();
  let ti = 0;
  p.paragraphs.forEach((para, i) => {
    if (para.boilerplate) return;
    const from = ti;
    ti += para.endToken - para.firstToken;
    if (ti - from < MIN_PARAGRAPH_WORDS) return;
    // The paragraph's words, hashed in order: the same words in the same order, whatever the spacing or case.
    let a = 0x811c9dc5;
    let b = ti - from;
    for (let j = from; j < ti; j++) {
      a = Math.imul(a ^ ha[j]!, 0x01000193);
      b = Math.imul(b ^ hb[j]!, 0x5bd1e995) ^ (b >>> 15);
    }
    const key = (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
    keys.push(key);
    const before = history.paragraphs.get(key);
    if (before === undefined && !here.has(key)) {
      here.add(key);
      return;
    }
    repeated.add(i);
    const where = before === undefined || before === chapterNumber ? "earlier in this chapter" : `in chapter ${before}`;
    findings.push(draft("repeated_text", "error", `This paragraph already appears ${where}.`, { quote: clip(p.text, para.start, para.end), at: para.start }));
  });

  // One 64-bit hash per run of RUN words: two polynomial hashes rolled along the chapter, each
  // step adding a word and taking the oldest one out (arithmetic mod 2^32 via Math.imul).
  const count = Math.max(0, tokens.length - RUN + 1);
  const runs = new Int32Array(count * 2);
  const A = 0x01000193;
  const B = 0x5bd1e995;
  let topA = 1;
  let topB = 1;
  for (let j = 1; j < RUN; j++) {
    topA = Math.imul(topA, A);
    topB = Math.imul(topB, B);
  }
  let ra = 0;
  let rb = 0;
  for (let j = 0; j < Math.min(RUN, tokens.length); j++) {
    ra = (Math.imul(ra, A) + ha[j]!) | 0;
    rb = (Math.imul(rb, B) + hb[j]!) | 0;
  }
  let copied = 0;
  let copiedOutside = 0;
  let best = { from: -1, to: -1 };
  let start = -1;
  for (let i = 0; i <= count; i++) {
    let hit = false;
    if (i < count) {
      if (i > 0) {
        ra = (Math.imul(ra - Math.imul(ha[i - 1]!, topA), A) + ha[i + RUN - 1]!) | 0;
        rb = (Math.imul(rb - Math.imul(hb[i - 1]!, topB), B) + hb[i + RUN - 1]!) | 0;
      }
      runs[2 * i] = ra;
      runs[2 * i + 1] = rb;
      hit = history.runs.has(ra, rb);
    }
    if (hit) {
      copied++;
      // Paragraphs already reported whole are not counted twice.
      if (!repeated.has(tokens[i]!.para)) {
        copiedOutside++;
        if (start < 0) start = i;
        continue;
      }
    }
    if (start >= 0 && i - start > best.to - best.from) best = { from: start, to: i };
    start = -1;
  }
  const copyRate = count ? copied / count : 0;
  if (count && copiedOutside / count >= COPY_WARN && copiedOutside >= 5) {
    const pct = Math.round((copiedOutside / count) * 100);
    const from = tokens[best.from]!.start;
    const to = tokens[best.to - 1 + RUN - 1]!.end;
    findings.push(
      draft("repeated_text", "warning", `About ${pct}% of this chapter repeats word for word what earlier chapters say; the longest stretch is quoted.`, {
        quote: clip(p.text, from, to),
        at: from,
        key: "runs",
      }),
    );
  }
  return { copyRate, findings, paragraphs: keys, runs };
}

export function remember(history: History, a: Analysis, chapterNumber: number) {
  for (const k of a.paragraphs) if (!history.paragraphs.has(k)) history.paragraphs.set(k, chapterNumber);
  for (let i = 0; i < a.runs.length; i += 2) history.runs.add(a.runs[i]!, a.runs[i + 1]!);
}
