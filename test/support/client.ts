// A tiny API client for tests: keeps the session cookie like a browser would, and checks every
// answer against the API's contract (src/worker/openapi.ts): a status the operation does not
// document, or a JSON body its response schema (or, for errors, the Error schema) refuses, fails
// the test that received it. Answers are typed from the same schemas, by method and path.
import { exports } from "cloudflare:workers";
import type { z } from "zod";
import type { ApiError, User } from "../../src/shared/api";
import { ErrorBody, errorStatuses, operationList, type Method, type Op, type Operations } from "../../src/worker/openapi";

export const BASE = "http://localhost";
let seq = 0;

// ---------------------------------------------------------------- types from the operations table

type Split<S extends string> = S extends `${infer H}/${infer T}` ? [H, ...Split<T>] : [S];
type Same<P extends string[], T extends string[]> = P extends [infer PH extends string, ...infer PT extends string[]]
  ? T extends [infer TH extends string, ...infer TT extends string[]]
    ? TH extends `{${string}}`
      ? string extends PH ? false : Same<PT, TT>
      : [PH] extends [TH] ? Same<PT, TT> : false
    : false
  : T extends []
    ? true
    : false;
type PathOf<P extends string> = P extends `${infer Path}?${string}` ? Path : P;
/** The path template that a concrete path (a literal or a template literal type) falls under. */
type TemplateOf<M extends Method, P extends string> = {
  [K in keyof Operations]: M extends keyof Operations[K] ? (Same<Split<PathOf<P>>, Split<K & string>> extends true ? K : never) : never;
}[keyof Operations];
type Success<M extends Method, K> = K extends keyof Operations
  ? Operations[K] extends { [m in M]: { response: infer S } }
    ? S extends z.ZodType
      ? z.infer<S>
      : string
    : never
  : never;
/** A body typed as the operation's success answer; `error` is there for the tests that expect a refusal. */
export type Body<T> = T & { error: ApiError["error"] };
/** What a request to `P` answers: typed when the path names one operation, `any` when it cannot be told. */
export type Answer<M extends Method, P extends string> = [TemplateOf<M, P>] extends [never] ? any : Body<Success<M, TemplateOf<M, P>>>;

export type Res<T = any> = { status: number; body: T; headers: Headers };

// ---------------------------------------------------------------- the contract check

const ROUTES = operationList()
  .map((r) => ({ ...r, re: new RegExp(`^${r.path.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`), params: (r.path.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.params - b.params);

export class ContractError extends Error {
  override name = "ContractError";
}

/** The operation a request is for, matched by method and path template. */
export function operationFor(method: string, path: string): { path: string; method: Method; op: Op } | undefined {
  const pathname = new URL(path, BASE).pathname;
  return ROUTES.find((r) => r.method === method.toLowerCase() && r.re.test(pathname));
}

const describe = (issues: z.core.$ZodIssue[]) =>
  issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");

/** Fails when an answer is not what the API document says this operation answers. */
export function checkContract(method: string, path: string, status: number, contentType: string, body: unknown) {
  const route = operationFor(method, path);
  const where = `${method} ${path} → ${status}`;
  const json = contentType.includes("application/json");
  if (!route) {
    // No operation: only the API's own 404 for an unknown route, in the error envelope.
    if (path.startsWith("/api/") && json && !ErrorBody.safeParse(body).success) throw new ContractError(`${where}: not the error envelope`);
    return;
  }
  const { op } = route;
  const documented = [op.status ?? 200, ...errorStatuses(route.path, route.method, op)];
  if (status < 500 && !documented.includes(status as never))
    throw new ContractError(`${where}: status not documented for ${op.id} (documented: ${documented.join(", ")})`);
  if (status >= 200 && status < 300) {
    if (!("media" in op.response)) {
      if (!json) throw new ContractError(`${where}: ${op.id} answers JSON, got ${contentType || "no content type"}`);
      const r = op.response.safeParse(body);
      if (!r.success) throw new ContractError(`${where}: the answer does not match ${op.id}'s response schema: ${describe(r.error.issues)}`);
    }
  } else if (status >= 400) {
    if (!json) throw new ContractError(`${where}: an error must be JSON, got ${contentType || "no content type"}`);
    const r = ErrorBody.safeParse(body);
    if (!r.success) throw new ContractError(`${where}: not the Error schema: ${describe(r.error.issues)}`);
  }
}

export class Client {
  cookie: string | null = null;
  token: string | null = null;
  user: User = null as unknown as User;
  /** Sent with every request (a client address, say). */
  headers: Record<string, string> = {};

  async req<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = { ...this.headers, ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    // Browsers send Origin with every unsafe request; the CSRF check refuses a cookie without it.
    if (!["GET", "HEAD"].includes(method) && !("origin" in h) && !("sec-fetch-site" in h)) h.origin = BASE;
    let payload: BodyInit | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      h["content-type"] ??= "application/json";
    }
    const res = await exports.default.fetch(`${BASE}${path}`, { method, headers: h, body: payload });
    const set = res.headers.get("set-cookie");
    if (set) {
      const m = set.match(/novel_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `novel_session=${m[1]}` : null;
    }
    const text = res.status === 101 ? "" : await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    checkContract(method, path, res.status, res.headers.get("content-type") ?? "", parsed);
    return { status: res.status, body: parsed, headers: res.headers };
  }
  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.req<T>("GET", path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.req<T>("POST", path, body, headers);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.req<T>("PUT", path, body);
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.req<T>("PATCH", path, body);
  }
  del<T = any>(path: string) {
    return this.req<T>("DELETE", path);
  }

  /**
   * The same requests with the answer typed from the operation the path names (Answer): a test
   * written with these stops compiling when a response schema drops a field it reads.
   */
  readonly typed = {
    get: <P extends string>(path: P, headers?: Record<string, string>) => this.req<Answer<"get", P>>("GET", path, undefined, headers),
    post: <P extends string>(path: P, body?: unknown, headers?: Record<string, string>) => this.req<Answer<"post", P>>("POST", path, body, headers),
    put: <P extends string>(path: P, body?: unknown) => this.req<Answer<"put", P>>("PUT", path, body),
    patch: <P extends string>(path: P, body?: unknown) => this.req<Answer<"patch", P>>("PATCH", path, body),
    del: <P extends string>(path: P) => this.req<Answer<"delete", P>>("DELETE", path),
  };
}

export const PASSWORD = "Str0ng-pass!";

/** Registers and signs in a fresh user. */
export async function newUser(prefix = "user"): Promise<Client> {
  const c = new Client();
  const username = `${prefix}${++seq}${Math.random().toString(36).slice(2, 6)}`;
  // Each test user registers from its own address, as real people would (register is rate-limited per IP).
  const ip = { "cf-connecting-ip": `198.51.${(seq >> 8) & 255}.${seq & 255}` };
  const res = await c.post("/api/auth/register", { username, email: `${username}@example.com`, password: PASSWORD }, ip);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  c.user = res.body.user;
  return c;
}

let readerSeq = 0;
/**
 * A reader whose reports count: verified, registered over a day ago, and reporting from an
 * address of their own (reports from new, unverified or shared addresses do not count).
 */
export async function trustedReader(prefix = "reader"): Promise<Client> {
  const { env } = await import("cloudflare:workers");
  const c = await newUser(prefix);
  await env.DB.prepare("UPDATE users SET verified = 1, created_at = ? WHERE id = ?").bind(Date.now() - 2 * 86_400_000, c.user.id).run();
  c.headers = { "cf-connecting-ip": `198.18.${(++readerSeq >> 8) & 255}.${readerSeq & 255}` };
  return c;
}

/** The seeded admin (ADMIN_PASSWORD is set in vitest.config.ts). */
export async function admin(): Promise<Client> {
  const c = new Client();
  const res = await c.post("/api/auth/login", { login: "admin", password: "Admin-Passw0rd!" });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  c.user = res.body.user;
  return c;
}

export const anonymous = () => new Client();

export const storyInput = (over: Record<string, unknown> = {}) => ({
  title: "The Lighthouse Keeper",
  details: "A keeper on a remote island finds letters from a drowned town.",
  tags: ["mystery", "sea"],
  inspirations: "Rebecca; The Shipping News",
  writingStyle: "Quiet, lyrical, close third person",
  chaptersCount: 3,
  targetChapterWords: 800,
  ...over,
});

export async function newStory(c: Client, over: Record<string, unknown> = {}) {
  const res = await c.post("/api/stories", storyInput(over));
  if (res.status !== 201) throw new Error(`create story failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as import("../../src/shared/api").StoryDetail;
}

/** Test arrangement: tops a user up (balance and ledger together, as the admin API does). */
export async function grantCredits(c: Client, text: number, image = 0) {
  const { env } = await import("cloudflare:workers");
  await env.DB.batch([
    env.DB.prepare("UPDATE users SET text_credits = text_credits + ?, image_credits = image_credits + ? WHERE id = ?").bind(text, image, c.user.id),
    env.DB.prepare("INSERT INTO credit_ledger (user_id, credit_type, delta, reason, ref) VALUES (?, 'text', ?, 'admin', 'test'), (?, 'image', ?, 'admin', 'test')").bind(c.user.id, text, c.user.id, image),
  ]);
}
