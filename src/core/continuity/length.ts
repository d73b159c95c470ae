// How far a chapter is from the length the author asked for.
import { draft, type Draft } from "./finding";

/** Off by more than this share of the target is worth a warning. */
export const LENGTH_TOLERANCE = 0.2;

/**
 * LongBench-Write's length score (the LongWriter paper): 100 on target, falling linearly to 0 at
 * a third of the target or four times it. Running long is punished less than running short.
 */
export function lengthScore(words: number, target: number): number {
  if (target <= 0) return 100;
  if (words <= 0) return 0;
  const s = words > target ? 1 - (words / target - 1) / 3 : 1 - (target / words - 1) / 2;
  return Math.round(Math.max(0, s) * 1000) / 10;
}

export function lengthFindings(words: number, target: number): Draft[] {
  if (target <= 0 || words <= 0) return [];
  const off = words / target - 1;
  if (Math.abs(off) <= LENGTH_TOLERANCE) return [];
  const pct = Math.round(Math.abs(off) * 100);
  const fmt = (n: number) => n.toLocaleString("en-US");
  const message =
    off < 0
      ? `This chapter has ${fmt(words)} words, ${pct}% short of the ${fmt(target)} you asked for.`
      : `This chapter has ${fmt(words)} words, ${pct}% over the ${fmt(target)} you asked for.`;
  return [draft("length", "warning", message, { key: off < 0 ? "short" : "long" })];
}
