// What most pages do first: GET something, show it when it arrives, and ask again after a change.
import { useEffect, useState } from "preact/hooks";
import { get } from "../api";

/**
 * GETs `path` now and whenever it changes; `reload()` asks again. What is shown stays until the
 * new answer arrives, and an answer to a path asked for earlier never replaces a later one.
 * Without `onError`, the error is kept (for <Unavailable>) until an answer arrives. `loading` is true
 * while an answer is awaited, also when an older one is still shown (lists dim it meanwhile).
 */
export function useGet<T>(path: string, onError?: (e: unknown) => void) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asked, setAsked] = useState(0);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let current = true;
    setLoading(true);
    get<T>(path)
      .then(
        (d) => {
          if (!current) return;
          setData(d);
          setError(null);
        },
        (e) => current && (onError ? onError(e) : setError(e)),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [path, asked]);
  return { data, error, loading, setData, reload: () => setAsked((n) => n + 1) };
}
