// D1 reports a violated constraint as an error whose message, somewhere down its cause chain
// (drizzle wraps D1's error, which wraps SQLite's), reads "UNIQUE constraint failed: …",
// "NOT NULL constraint failed: …" and so on. Guarded writes rely on this to tell "someone else
// got there first" from a real failure.
export type Constraint = "UNIQUE" | "NOT NULL" | "FOREIGN KEY" | "CHECK";

/** Whether `e` is a violated constraint (of this kind, on this table, when given). */
export function isConstraintError(e: unknown, kind?: Constraint, table?: string): boolean {
  const wanted = kind ? `${kind} constraint failed` : "constraint failed";
  for (let cur: unknown = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    const message = cur instanceof Error ? cur.message : String(cur);
    if (message.includes(wanted) && (!table || message.includes(`${table}.`))) return true;
  }
  return false;
}
