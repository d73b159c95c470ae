// A tiny observable value with a Preact hook: enough shared state for this app without a library.
import { useEffect, useState } from "preact/hooks";

export type Store<T> = {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  subscribe(fn: (value: T) => void): () => void;
};

export function store<T>(initial: T): Store<T> {
  let value = initial;
  const subs = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      const v = typeof next === "function" ? (next as (prev: T) => T)(value) : next;
      if (Object.is(v, value)) return;
      value = v;
      for (const fn of [...subs]) fn(value);
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

export function useStore<T>(s: Store<T>): T {
  const [value, setValue] = useState(s.get);
  useEffect(() => {
    // The value may have changed between the first render and this subscription.
    setValue(() => s.get());
    return s.subscribe((v) => setValue(() => v));
  }, [s]);
  return value;
}
