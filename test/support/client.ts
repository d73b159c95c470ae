// A tiny API client for tests: keeps the session cookie like a browser would.
import { exports } from "cloudflare:workers";

export const BASE = "http://localhost";
let seq = 0;

export type Res<T = any> = { status: number; body: T; headers: Headers };

export class Client {
  cookie: string | null = null;
  token: string | null = null;
  user: any = null;
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
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
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
