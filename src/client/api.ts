// The typed fetch wrapper: JSON in and out, same-origin cookie, and the API's error envelope
// ({"error": {code, message, fields?}}) turned into an ApiError that forms can map onto inputs.
import type { ApiError as ApiErrorBody } from "../shared/api";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly data: Record<string, unknown>;
  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}, data: Record<string, unknown> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.data = data;
  }
  /** The endpoint does not exist (yet) or the service is unavailable: pages degrade on these. */
  get unavailable() {
    return (this.status === 404 && this.code === "not_found" && /^No route/.test(this.message)) || this.status === 501 || (this.status === 503 && this.code !== "maintenance");
  }
}

type Listener = (e: ApiError, path: string) => void;
const listeners = new Set<Listener>();
/** Called for every API error (the shell signs out on 401, shows maintenance on 503). */
export const onApiError = (fn: Listener) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

export async function api<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      ...init,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "network", "Can't reach NovelApp. Check your connection and try again.");
  }
  const type = res.headers.get("content-type") ?? "";
  const json = type.includes("application/json") ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const env = (json as ApiErrorBody | null)?.error;
    const err = env
      ? new ApiError(res.status, env.code, env.message, env.fields ?? {}, env as Record<string, unknown>)
      : new ApiError(res.status, res.status === 404 ? "not_found" : "http_error", res.status === 404 ? `No route for ${method} ${path}` : `The server answered ${res.status}`);
    for (const fn of listeners) fn(err, path);
    throw err;
  }
  return json as T;
}

export const get = <T>(path: string, init?: RequestInit) => api<T>("GET", path, undefined, init);
export const post = <T>(path: string, body: unknown = undefined) => api<T>("POST", path, body);
export const put = <T>(path: string, body: unknown) => api<T>("PUT", path, body);
export const patch = <T>(path: string, body: unknown) => api<T>("PATCH", path, body);
export const del = <T>(path: string) => api<T>("DELETE", path);

/** A message fit for a person, whatever was thrown. */
export const messageOf = (e: unknown) =>
  e instanceof ApiError ? e.message : e instanceof Error ? e.message : "Something went wrong";

/** Field errors of a failed request, by field name (`chapters.2.title` stays as is). */
export const fieldsOf = (e: unknown): Record<string, string> => (e instanceof ApiError ? e.fields : {});

/** Query string from an object, leaving out empty values. */
export const qs = (params: Record<string, string | number | boolean | undefined | null>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : "";
};
