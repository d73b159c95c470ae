// SQL pieces shared by the services: guarded INSERT … SELECT values and D1-safe LIKE searches.
import { sql, type SQLWrapper } from "drizzle-orm";

/**
 * Column values for INSERT … SELECT. drizzle inserts every column of the table in its declared
 * order (and its D1 batch cannot bind raw `db.run` statements), so guarded inserts select them all.
 */
export const NOW = sql`(unixepoch('subsec') * 1000)`;
/** A selected constant (or SQL expression) named like the column it fills. */
export const value = (v: unknown, column: string) => sql`${v}`.as(column);

/** D1 refuses LIKE patterns over 50 bytes. */
const LIKE_PATTERN_BYTES = 50;
const utf8 = new TextEncoder();

/**
 * A LIKE pattern matching `q` literally (`%`, `_` and `\` escaped; use with ESCAPE '\'), clipped
 * so the whole pattern, wildcards included, stays within D1's limit. Null when nothing is left.
 */
export function likePattern(q: string, mode: "contains" | "prefix"): string | null {
  const wildcards = mode === "contains" ? 2 : 1;
  let body = "";
  let bytes = 0;
  for (const ch of q) {
    const piece = /[%_\\]/.test(ch) ? `\\${ch}` : ch;
    const n = utf8.encode(piece).length;
    if (bytes + n + wildcards > LIKE_PATTERN_BYTES) break;
    body += piece;
    bytes += n;
  }
  if (!body) return null;
  return mode === "contains" ? `%${body}%` : `${body}%`;
}

export const likeEscaped = (column: SQLWrapper, pattern: string) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
