// What most pages do first: GET something, show it when it arrives, and ask again after a change.
import { useEffect, useState } from "preact/hooks";
import { get } from "../api";

/**
 * GETs `path` now and whenever it changes; `reload()` asks again. What is shown stays until the
 * new answer arrives, and an answer to a path asked for earlier never replaces a later one.
 * Without `onError`, the error is kept (for <Unavailable>) and never cleared.
 */
export function useGet<T>(path: string, onError?: (e: unknown) => void) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let current = true;
    get<T>(path).then(
      (d) => current && setData(d),
      (e) => current && (onError ? onError(e) : setError(e)),
    );
    return () => {
      current = false;
    };
  }, [path, asked]);
  return { data, error, setData, reload: () => setAsked((n) => n + 1) };
}
