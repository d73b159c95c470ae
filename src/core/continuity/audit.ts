// Verifying a model's continuity audit (docs/CONTINUITY.md): a claimed contradiction is kept only
// when its quote is really in the chapter and what it contradicts is really in the book — the story
// bible, or the named chapter's prose or digest. Everything else is dropped and counted.
import type { Finding } from "../../shared/continuity";
import { shortHash } from "./finding";

export const AUDIT_CATEGORIES = ["characterization", "factual_detail", "timeline_plot", "world_rules", "narrative_voice"] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

const LABELS: Record<AuditCategory, string> = {
  characterization: "Character",
  factual_detail: "Fact",
  timeline_plot: "Timeline",
  world_rules: "World rules",
  narrative_voice: "Voice",
};

export type AuditIssue = {
  category: AuditCategory;
  description: string;
  quote: string;
  contradicts: { chapterNumber: number | null; quote: string };
};

/** What a counter-quote may come from: the bible, and each chapter's prose and digest, by number. */
export type AuditSources = { chapterId: number; chapterNumber: number; chapterText: string; bible: string; chapters: Map<number, string[]> };

export function verifyAudit(issues: AuditIssue[], src: AuditSources): { findings: Finding[]; dropped: number } {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const quote = issue.quote.trim();
    const counter = issue.contradicts.quote.trim();
    const n = issue.contradicts.chapterNumber;
    const where = n === null ? [src.bible] : n === src.chapterNumber ? [src.chapterText] : (src.chapters.get(n) ?? []);
    const real = quote.length >= 3 && src.chapterText.includes(quote) && counter.length >= 3 && where.some((t) => t.includes(counter));
    if (!real) continue;
    const id = shortHash(`contradiction\u0000${src.chapterId}\u0000${quote}\u0000${counter}`);
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push({
      id,
      type: "contradiction",
      severity: "warning",
      message: `${LABELS[issue.category] ?? "Continuity"}: ${issue.description.trim()}`,
      quote,
      contradicts: { chapterNumber: n, quote: counter },
    });
  }
  return { findings, dropped: issues.length - findings.length };
}
