// Queries whose SQL is built once per isolate. Drizzle builds a query's SQL from its tree on every
// call: about 0.17 ms of CPU for the session lookup, and 0.5 ms for the story read's two joined
// queries, more than all the rest a kept read does (docs/SCALE.md). The queries of every
// signed-in request and of the two kept reads are built once, with placeholders, and each call
// only binds its values. A bound query goes into `db.batch` like any drizzle query, or is awaited.
import { fillPlaceholders, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Db } from "./client";
import * as schema from "./schema";

/** What drizzle's D1 batch asks of a query (`_prepare`), and how it maps a result; drizzle-orm is pinned exactly. */
type Prepared = { getQuery(): { sql: string; params: unknown[] }; mapResult(result: unknown, isFromBatch?: boolean): unknown };
type Query<T> = { readonly _: { readonly result: T } };

/** A placeholder for a value bound per call. A column's own encoding is not applied: give driver values (numbers, strings, null). */
export const param = (name: string) => sql.placeholder(name);

/** A drizzle that only builds queries: nothing it prepares is ever run. */
const builder = drizzle({ prepare: () => ({}) } as unknown as D1Database, { schema });

class Bound<T> implements PromiseLike<T> {
  declare readonly _: { readonly dialect: "sqlite"; readonly result: T };

  constructor(
    private readonly db: Db,
    private readonly text: string,
    private readonly params: unknown[],
    private readonly prepared: Prepared,
  ) {}

  /** For `db.batch`: the statement on this request's database, mapped as drizzle maps its own. */
  _prepare(): Prepared & { stmt: D1PreparedStatement } {
    return {
      stmt: this.db.$client.prepare(this.text),
      getQuery: () => ({ sql: this.text, params: this.params }),
      mapResult: (result, isFromBatch) => this.prepared.mapResult(result, isFromBatch),
    };
  }

  then<A = T, B = never>(ok?: ((rows: T) => A | PromiseLike<A>) | null, fail?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    const run = this.db.$client
      .prepare(this.text)
      .bind(...this.params)
      .raw()
      .then((rows) => this.prepared.mapResult(rows) as T);
    return run.then(ok, fail);
  }
}

type Values = Record<string, string | number | null>;

/** `build`'s queries, built on first use; each call binds `values` to their placeholders on `db`. */
export function compiledAll<Q extends readonly Query<unknown>[]>(build: (db: Db) => Q): (db: Db, values: Values) => { [K in keyof Q]: Bound<Q[K]["_"]["result"]> } {
  let prepared: Prepared[] | undefined;
  return (db, values) => {
    prepared ??= build(builder as unknown as Db).map((q) => (q as unknown as { _prepare(): Prepared })._prepare());
    return prepared.map((p) => {
      const { sql: text, params } = p.getQuery();
      return new Bound(db, text, fillPlaceholders(params, values), p);
    }) as { [K in keyof Q]: Bound<Q[K]["_"]["result"]> };
  };
}

/** One query, the same way. */
export function compiled<T>(build: (db: Db) => Query<T>): (db: Db, values: Values) => Bound<T> {
  const all = compiledAll((db) => [build(db)] as const);
  return (db, values) => all(db, values)[0];
}
