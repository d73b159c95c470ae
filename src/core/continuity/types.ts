// The shapes of a continuity check: what goes in (a book's cast, places, beats and prose) and
// what comes out (findings an author can act on, plus a few numbers per chapter).

// Findings and metrics have the API's shape: one definition, in src/shared/continuity.ts.
export type { ChapterMetrics, Finding, FindingType, Severity } from "../../shared/continuity";
import type { ChapterMetrics, Finding, FindingType, Severity } from "../../shared/continuity";

export type CastMember = { name: string; aliases?: string[] };
export type Beat = { text: string; characters: string[]; locations: string[] };

export type BookInput = {
  characters: CastMember[];
  locations: CastMember[];
  targetChapterWords: number;
  /** In reading order. */
  chapters: { id: number; number: number; title: string; content: string | null; guide: Beat[] }[];
};

export type ChapterReport = { chapterId: number; number: number; metrics: ChapterMetrics; findings: Finding[] };

export type BookReport = {
  book: {
    findings: Finding[];
    metrics: {
      words: number;
      chapters: number;
      /** Chapters that have prose. */
      checked: number;
      bySeverity: Record<Severity, number>;
      byType: Partial<Record<FindingType, number>>;
    };
  };
  chapters: ChapterReport[];
};
