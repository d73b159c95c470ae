// Deterministic continuity checks of a book's prose against its cast, places and beats: pure
// functions, no I/O and no model, cheap enough to run on every save.
export type {
  Beat,
  BookInput,
  BookReport,
  CastMember,
  ChapterMetrics,
  ChapterReport,
  Finding,
  FindingType,
  Severity,
} from "./types";
export { checkCast } from "./cast";
export { checkBook, checkChapter } from "./report";
export { AUDIT_CATEGORIES, verifyAudit, type AuditCategory, type AuditIssue, type AuditSources } from "./audit";
