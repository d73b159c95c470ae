// Building findings: the stable id and the order an author reads them in.
import type { Finding, FindingType, Severity } from "./types";

/** 53 bits of two 32-bit FNV-1a variants, as 11 base-36 characters: short, and collisions are unlikely. */
export function shortHash(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  const n = (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
  return n.toString(36).padStart(11, "0");
}

/** A finding before it gets its id; `key` stands in for the quote when there is none (length: "short"/"long"). */
export type Draft = Omit<Finding, "id"> & { key?: string; at?: number };

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Findings of one type a chapter lists in full; the rest become one "and N more" finding. */
export const MAX_OF_A_KIND = 10;

/**
 * Keeps the first MAX_OF_A_KIND findings of each type in reading order and folds the others into
 * one: a chapter that repeats 300 paragraphs needs ten examples, not 300, and its stored report
 * stays a few kilobytes (D1 rows are small by design, docs/SCALE.md).
 */
export function capPerType(drafts: Draft[]): Draft[] {
  const byType = new Map<FindingType, Draft[]>();
  for (const d of drafts) byType.set(d.type, [...(byType.get(d.type) ?? []), d]);
  return [...byType.values()].flatMap((list) => {
    if (list.length <= MAX_OF_A_KIND) return list;
    const ordered = [...list].sort((a, b) => (a.at ?? Number.MAX_SAFE_INTEGER) - (b.at ?? Number.MAX_SAFE_INTEGER));
    const rest = ordered.slice(MAX_OF_A_KIND);
    const severity = rest.reduce<Severity>((s, d) => (SEVERITY_ORDER[d.severity] < SEVERITY_ORDER[s] ? d.severity : s), "info");
    return [
      ...ordered.slice(0, MAX_OF_A_KIND),
      draft(rest[0]!.type, severity, `…and ${rest.length} more like ${rest.length === 1 ? "this" : "these"} in this chapter.`, { key: "more" }),
    ];
  });
}

/**
 * Ids hash what the finding is about (type, chapter, quote, names, beat) and nothing about where it
 * sits, so editing another paragraph keeps them. Two identical drafts get an ordinal to stay apart.
 * Sorted most severe first, then in reading order.
 */
export function finalize(chapterId: number, drafts: Draft[]): Finding[] {
  const seen = new Map<string, number>();
  const sorted = [...drafts].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.at ?? Number.MAX_SAFE_INTEGER) - (b.at ?? Number.MAX_SAFE_INTEGER) ||
      (a.beat ?? 0) - (b.beat ?? 0),
  );
  return sorted.map(({ key, at: _at, ...d }) => {
    const basis = [d.type, chapterId, d.quote ?? "", (d.names ?? []).join("|"), d.beat ?? "", key ?? ""].join("\u0000");
    const n = (seen.get(basis) ?? 0) + 1;
    seen.set(basis, n);
    const out: Finding = { id: shortHash(n === 1 ? basis : `${basis}\u0000${n}`), ...d };
    return out;
  });
}

export const draft = (type: FindingType, severity: Severity, message: string, extra: Partial<Draft> = {}): Draft => ({
  type,
  severity,
  message,
  ...extra,
});
