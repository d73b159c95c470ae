// The continuity report as the API returns it (docs/CONTINUITY.md). The checks themselves are in
// src/core/continuity; their findings have exactly this shape.
import { z } from "zod";

export const SEVERITIES = ["error", "warning", "info"] as const;
export const FINDING_TYPES = [
  "name_clash",
  "unknown_name",
  "ambiguous_name",
  "missing_character",
  "unplanned_character",
  "beat_missing",
  "repeated_text",
  "length",
  "format_leak",
  "premature_introduction",
  "contradiction",
] as const;

export const FindingSchema = z.strictObject({
  /** Stable while the fault and the text it quotes stay the same, so a dismissal sticks. */
  id: z.string(),
  type: z.enum(FINDING_TYPES),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  /** Exact words of the chapter. */
  quote: z.string().optional(),
  /** 1-based beat number. */
  beat: z.number().int().optional(),
  names: z.array(z.string()).optional(),
  /** For a contradiction: what it contradicts (a chapter number, or none for the bible) and the words there. */
  contradicts: z.strictObject({ chapterNumber: z.number().int().nullable(), quote: z.string() }).optional(),
  /** The author said it is not a problem; it stays dismissed until the quoted text changes. */
  dismissed: z.boolean().optional(),
});

export const SeverityCountsSchema = z.strictObject({ error: z.number().int(), warning: z.number().int(), info: z.number().int() });

export const ChapterMetricsSchema = z.strictObject({
  words: z.number(),
  target: z.number(),
  /** 0–100; 100 is on target. */
  lengthScore: z.number(),
  /** Share of the chapter's beats found in its prose; null without beats. */
  beatCoverage: z.number().nullable(),
  /** Share of the chapter's 8-word runs that also occur in earlier chapters. */
  copyRate: z.number(),
  /** Contradictions the audit claimed but could not quote from the book (dropped). */
  unverifiedDropped: z.number().optional(),
});

export const ContinuityReportSchema = z.strictObject({
  book: z.strictObject({
    findings: z.array(FindingSchema),
    metrics: z.strictObject({
      words: z.number(),
      chapters: z.number(),
      checked: z.number(),
      bySeverity: SeverityCountsSchema,
      byType: z.partialRecord(z.enum(FINDING_TYPES), z.number()),
    }),
  }),
  chapters: z.array(
    z.strictObject({
      chapterId: z.number(),
      number: z.number(),
      /** When the chapter's prose was last checked; null when it has none. */
      checkedAt: z.string().nullable(),
      /** The prose changed since it was checked. */
      outdated: z.boolean(),
      metrics: ChapterMetricsSchema,
      findings: z.array(FindingSchema),
    }),
  ),
});

export type Severity = (typeof SEVERITIES)[number];
export type FindingType = (typeof FINDING_TYPES)[number];
export type Finding = z.infer<typeof FindingSchema>;
export type ChapterMetrics = z.infer<typeof ChapterMetricsSchema>;
export type ContinuityReport = z.infer<typeof ContinuityReportSchema>;
