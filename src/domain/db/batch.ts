// D1 binds at most 100 parameters per statement: bulk inserts are split.
import { getTableColumns } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

const MAX_PARAMS = 100;

export function chunkedInsert<T extends SQLiteTable>(
  db: Db,
  table: T,
  rows: T["$inferInsert"][],
): BatchItem<"sqlite">[] {
  if (!rows.length) return [];
  // drizzle binds a value for every column with a JS-side default too, so count all columns.
  const perRow = Math.max(1, Object.keys(getTableColumns(table)).length);
  const size = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  const out: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += size) out.push(db.insert(table).values(rows.slice(i, i + size)));
  return out;
}

/** db.batch needs a non-empty tuple; most callers build their statement lists dynamically. */
export async function runBatch(db: Db, items: BatchItem<"sqlite">[]) {
  if (!items.length) return [];
  return db.batch(items as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
