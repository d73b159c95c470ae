// A map that holds at most `budget` of its entries' sizes, dropping the least recently used entry
// first. The story and chapter reads keep their answers in one (docs/SCALE.md), sized in
// characters; the isolate's other caches of immutable values count entries (size 1 each).

export class SizedLru<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private used = 0;

  /** An entry larger than `largest` is never kept: it would push out everything else. */
  constructor(
    readonly budget: number,
    readonly largest = budget / 4,
  ) {}

  /** The sum of the kept entries' sizes. */
  get size() {
    return this.used;
  }

  /** The value, now the most recently used. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` (replacing any under `key`), then drops the least recently used until within budget. */
  set(key: string, value: V, size = 1) {
    this.delete(key);
    if (size > this.largest) return;
    this.entries.set(key, { value, size });
    this.used += size;
    for (const [k, e] of this.entries) {
      if (this.used <= this.budget) break;
      this.entries.delete(k);
      this.used -= e.size;
    }
  }

  delete(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.size;
  }
}
