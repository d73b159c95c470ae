// The shapes of a continuity check: what goes in (a book's cast, places, beats and prose) and
// what comes out (findings an author can act on, plus a few numbers per chapter).

export type Severity = "error" | "warning" | "info";

export type FindingType =
  | "name_clash"
  | "unknown_name"
  | "ambiguous_name"
  | "missing_character"
  | "unplanned_character"
  | "beat_missing"
  | "repeated_text"
  | "length"
  | "format_leak"
  | "premature_introduction"
  | "contradiction";

export type Finding = {
  /** Stable across re-checks while the fault and its quoted text stay the same, so a dismissal sticks. */
  id: string;
  type: FindingType;
  severity: Severity;
  /** One plain sentence for the author. */
  message: string;
  /** An exact substring of the chapter's content. */
  quote?: string;
  /** 1-based beat number. */
  beat?: number;
  names?: string[];
};

export type ChapterMetrics = {
  words: number;
  target: number;
  /** 0–100; 100 is on target. */
  lengthScore: number;
  /** Share of the chapter's beats found in its prose; null when it has no beats. */
  beatCoverage: number | null;
  /** Share of the chapter's 8-word runs that also occur in earlier chapters. */
  copyRate: number;
};

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
