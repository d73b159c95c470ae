// A D1 binding that counts round trips: every statement run on its own and every batch is one
// trip to the database, and each request's count and time go out in its Server-Timing header
// (docs/SCALE.md). It also counts statements and the rows D1 says they wrote, which a queue batch
// logs (the bench's D1 load per book). It wraps either the binding or a Sessions API session, which drizzle
// drives through the same two methods (prepare, batch).

export type Meter = { trips: number; ms: number; statements: number; rowsWritten: number };

export const newMeter = (): Meter => ({ trips: 0, ms: 0, statements: 0, rowsWritten: 0 });

/** Rows written, from a result's `meta` (run, batch); `raw()` answers rows only, and counts none. */
const written = (r: unknown) => (r && typeof r === "object" && "meta" in r ? Number((r as D1Result).meta?.rows_written ?? 0) : 0);

class MeteredStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly meter: Meter,
  ) {}
  bind(...values: unknown[]) {
    return new MeteredStatement(this.inner.bind(...values), this.meter);
  }
  first(col?: string) {
    return time(this.meter, () => (col === undefined ? this.inner.first() : this.inner.first(col)));
  }
  run() {
    return time(this.meter, () => this.inner.run());
  }
  all() {
    return time(this.meter, () => this.inner.all());
  }
  raw(options?: { columnNames?: boolean }) {
    return time(this.meter, () => this.inner.raw(options as { columnNames: true }));
  }
}

async function time<T>(meter: Meter, f: () => Promise<T>, statements = 1): Promise<T> {
  const start = performance.now();
  meter.trips++;
  meter.statements += statements;
  try {
    const result = await f();
    meter.rowsWritten += Array.isArray(result) ? result.reduce((n: number, r) => n + written(r), 0) : written(result);
    return result;
  } finally {
    meter.ms += performance.now() - start;
  }
}

/** The binding (or session) as drizzle sees it, counting into `meter`. */
export function metered(inner: Pick<D1Database, "prepare" | "batch">, meter: Meter): D1Database {
  return {
    prepare: (query: string) => new MeteredStatement(inner.prepare(query), meter),
    batch: (statements: D1PreparedStatement[]) =>
      time(meter, () => inner.batch(statements.map((s) => (s instanceof MeteredStatement ? s.inner : s))), statements.length),
  } as unknown as D1Database;
}
