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

/** What earlier chapters said, grown chapter by chapter. */
export type History = { paragraphs: Map<string, number>; runs: Set<number>; wordIds: Map<string, number> };

export const emptyHistory = (): History => ({ paragraphs: new Map(), runs: new Set(), wordIds: new Map() });

type Analysis = { copyRate: number; findings: Draft[]; paragraphs: string[]; runs: number[] };

const ROOT = 0x01000193;

/** Checks a chapter against the history; `remember` then adds it for the chapters after. */
export function repetitionFindings(p: Prose, history: History, chapterNumber: number): Analysis {
  const findings: Draft[] = [];
  const keys: string[] = [];
  const repeated = new Set<number>();
  const here = new Set<string>();
  p.paragraphs.forEach((para, i) => {
    if (para.boilerplate || para.endToken - para.firstToken < MIN_PARAGRAPH_WORDS) return;
    const key = p.tokens
      .slice(para.firstToken, para.endToken)
      .map((t) => t.lower)
      .join(" ");
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

  // Word ids, then one 53-bit hash per run of RUN words (prose only: no scene breaks or notices).
  const tokens = p.tokens.filter((t) => !p.paragraphs[t.para]!.boilerplate);
  const ids = tokens.map((t) => {
    let id = history.wordIds.get(t.lower);
    if (id === undefined) history.wordIds.set(t.lower, (id = history.wordIds.size + 1));
    return id;
  });
  const runs: number[] = [];
  for (let i = 0; i + RUN <= ids.length; i++) {
    let a = 0x811c9dc5;
    let b = 0x2f1a4b3d;
    for (let j = i; j < i + RUN; j++) {
      a = Math.imul(a ^ ids[j]!, ROOT);
      b = Math.imul(b ^ ids[j]!, 0x5bd1e995) ^ (b >>> 13);
    }
    runs.push((a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff));
  }
  let copied = 0;
  let copiedOutside = 0;
  let best = { from: -1, to: -1 };
  let from = -1;
  for (let i = 0; i <= runs.length; i++) {
    const hit = i < runs.length && history.runs.has(runs[i]!);
    if (hit) {
      copied++;
      // Paragraphs already reported whole are not counted twice.
      if (!repeated.has(tokens[i]!.para)) {
        copiedOutside++;
        if (from < 0) from = i;
        continue;
      }
    }
    if (from >= 0 && i - from > best.to - best.from) best = { from, to: i };
    from = -1;
  }
  const copyRate = runs.length ? copied / runs.length : 0;
  if (runs.length && copiedOutside / runs.length >= COPY_WARN && copiedOutside >= 5) {
    const pct = Math.round((copiedOutside / runs.length) * 100);
    const start = tokens[best.from]!.start;
    const end = tokens[best.to - 1 + RUN - 1]!.end;
    findings.push(
      draft("repeated_text", "warning", `About ${pct}% of this chapter repeats word for word what earlier chapters say; the longest stretch is quoted.`, {
        quote: clip(p.text, start, end),
        at: start,
        key: "runs",
      }),
    );
  }
  return { copyRate, findings, paragraphs: keys, runs };
}

export function remember(history: History, a: Analysis, chapterNumber: number) {
  for (const k of a.paragraphs) if (!history.paragraphs.has(k)) history.paragraphs.set(k, chapterNumber);
  for (const r of a.runs) history.runs.add(r);
}
