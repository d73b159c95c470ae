// The second half of the pre-launch audit (SECURITY.md lists these tests by name next to the
// ones in security.test.ts). Each test failed on the code the audit looked at and passes now.
import { env, exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/worker/app";
import { anonymous, BASE, Client, newUser, PASSWORD } from "../support/client";
import { mails } from "../support/fake-mailgun";

const one = async <T = any>(sql: string, ...args: unknown[]) => (await env.DB.prepare(sql).bind(...args).first<T>())!;

/** The Worker as deployed elsewhere: the request goes to `url`, with extra vars (APP_URL…). */
async function deployed(url: string, init: RequestInit = {}, vars: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(url, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, headers: res.headers };
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("one origin check, and no links from Host (audit 7, 13)", () => {
  it("refuses a cookie-authenticated unsafe request that has neither Origin nor Sec-Fetch-Site", async () => {
    const u = await newUser();
    const res = await exports.default.fetch(`${BASE}/api/stories`, {
      method: "POST",
      headers: { cookie: u.cookie!, "content-type": "application/json" },
      body: JSON.stringify({ title: "Forged", chaptersCount: 1 }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe("bad_origin");
    expect((await u.get("/api/stories")).body.stories).toHaveLength(0);
    // Same-origin requests from the browser still pass, with either header.
    expect((await u.post("/api/stories", { title: "Mine", chaptersCount: 1 }, { origin: BASE })).status).toBe(201);
    expect((await u.post("/api/stories", { title: "Mine too", chaptersCount: 1 }, { "sec-fetch-site": "same-origin" })).status).toBe(201);
  });

  it("keeps scripts with a Bearer token working from curl (no Origin, no cookie)", async () => {
    const u = await newUser();
    const token = (await u.post("/api/me/tokens", { name: "curl" })).body.token.token as string;
    const res = await exports.default.fetch(`${BASE}/api/stories`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "From curl", chaptersCount: 1 }),
    });
    expect(res.status).toBe(201);
  });

  it("answers the same for the middleware and /api/ws on every origin, [::1] included", async () => {
    const u = await newUser();
    const origins: [string, boolean][] = [
      ["http://localhost", true],
      ["http://localhost:5173", true],
      ["http://127.0.0.1:8787", true],
      ["http://[::1]:5173", true],
      ["https://evil.example", false],
      ["null", false],
      ["http://localhost.evil.example", false],
    ];
    for (const [origin, ok] of origins) {
      const post = await u.post("/api/stories", { title: "x", chaptersCount: 1 }, { origin });
      expect(post.status === 201, `POST from ${origin}`).toBe(ok);
      const ws = await exports.default.fetch(`${BASE}/api/ws`, { headers: { upgrade: "websocket", cookie: u.cookie!, origin } });
      expect(ws.status === 101, `WebSocket from ${origin}`).toBe(ok);
      if (ws.webSocket) {
        ws.webSocket.accept();
        ws.webSocket.close(1000, "done");
      }
    }
  });

  it("accepts only APP_URL's origin outside localhost, for requests and sockets alike", async () => {
    const vars = { APP_URL: "https://novel.example" };
    const login = await deployed("https://novel.example/api/auth/login", json({ login: "admin", password: "Admin-Passw0rd!" }, { origin: "https://novel.example" }), vars);
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    // The Worker also answers on its workers.dev name: that is not our origin, APP_URL is.
    const other = await deployed("https://novelapp.acct.workers.dev/api/stories", json({ title: "x", chaptersCount: 1 }, { cookie, origin: "https://novelapp.acct.workers.dev" }), vars);
    expect(other.status).toBe(403);
    const ours = await deployed("https://novel.example/api/stories", json({ title: "x", chaptersCount: 1 }, { cookie, origin: "https://novel.example" }), vars);
    expect(ours.status).toBe(201);
  });

  it("requires APP_URL outside localhost: no reset link is built from a forged Host", async () => {
    const u = await newUser();
    const before = (await mails(u.user.email)).length;
    const res = await deployed("https://evil.example/api/auth/forgot", json({ email: u.user.email }));
    expect(res.status).toBe(500);
    expect(res.body.error.message).toMatch(/APP_URL/);
    const withUrl = await deployed("https://evil.example/api/auth/forgot", json({ email: u.user.email }), { APP_URL: "https://novel.example" });
    expect(withUrl.status).toBe(202);
    const sent = (await mails(u.user.email)).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("https://novel.example/reset?token=");
    expect(sent[0]!.text).not.toContain("evil.example");
  });

  it("builds Stripe's return URLs from APP_URL, never from Host", async () => {
    const vars = { APP_URL: "https://novel.example" };
    const u = await newUser();
    const token = (await u.post("/api/me/tokens", { name: "billing" })).body.token.token as string;
    const { fakeStripe } = await import("../support/fake-stripe");
    const pkg = (await (await import("../support/client")).admin()).post("/api/admin/packages", { name: "Host test", creditType: "text", credits: 100, priceUsd: 1 });
    const packageId = (await pkg).body.package.id as number;
    const res = await deployed("https://evil.example/api/billing/checkout", json({ packageId }, { authorization: `Bearer ${token}` }), vars);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sessions = await fakeStripe.requests("/v1/checkout/sessions");
    const last = sessions.at(-1)!.body;
    expect(last.success_url).toMatch(/^https:\/\/novel\.example\//);
    expect(last.cancel_url).toMatch(/^https:\/\/novel\.example\//);
  });
});

describe("the session cookie (audit 16)", () => {
  it("is __Host-novel_session, Secure, Path=/ outside localhost, and a plain novel_session there is ignored", async () => {
    const vars = { APP_URL: "https://novel.example" };
    const login = await deployed("https://novel.example/api/auth/login", json({ login: "admin", password: "Admin-Passw0rd!" }, { origin: "https://novel.example" }), vars);
    const set = login.headers.get("set-cookie")!;
    expect(set).toMatch(/^__Host-novel_session=/);
    expect(set).toMatch(/;\s*Secure/i);
    expect(set).toMatch(/;\s*Path=\//i);
    expect(set).not.toMatch(/Domain=/i);
    const value = set.split(";")[0]!.slice("__Host-novel_session=".length);
    const me = await deployed("https://novel.example/api/me", { headers: { cookie: `__Host-novel_session=${value}` } }, vars);
    expect(me.status).toBe(200);
    // A cookie without the prefix could have been planted by a sibling subdomain or plain HTTP.
    const planted = await deployed("https://novel.example/api/me", { headers: { cookie: `novel_session=${value}` } }, vars);
    expect(planted.status).toBe(401);
  });

  it("stays novel_session on localhost, without Secure, so local development works over http", async () => {
    const c = new Client();
    const res = await c.post("/api/auth/login", { login: "admin", password: "Admin-Passw0rd!" });
    expect(res.headers.get("set-cookie")).toMatch(/^novel_session=/);
    expect(res.headers.get("set-cookie")).not.toMatch(/Secure/i);
  });
});


/** A user holding one API token, and a client that uses it like a script. */
async function withToken() {
  const u = await newUser();
  const token = (await u.post("/api/me/tokens", { name: "script" })).body.token.token as string;
  const script = anonymous();
  script.token = token;
  expect((await script.get("/api/me")).status).toBe(200);
  return { u, script };
}
const tokenCount = async (userId: number) => (await one<{ n: number }>("SELECT count(*) AS n FROM api_tokens WHERE user_id = ?", userId)).n;

describe("API tokens end with the password (audit 3)", () => {
  it("a password reset deletes every API token", async () => {
    const { tokenFromMail } = await import("../support/fake-mailgun");
    const { u, script } = await withToken();
    await anonymous().post("/api/auth/forgot", { email: u.user.email });
    const token = await tokenFromMail(u.user.email, "/reset");
    expect((await anonymous().post("/api/auth/reset", { token, password: "Reset-pass-1!" })).status).toBe(200);
    expect((await script.get("/api/me")).status).toBe(401);
    expect(await tokenCount(u.user.id)).toBe(0);
  });

  it("a password change deletes them by default, and keeps them only when asked with revokeTokens: false", async () => {
    const { u, script } = await withToken();
    expect((await u.patch("/api/me", { currentPassword: PASSWORD, newPassword: "Changed-pass-1!" })).status).toBe(200);
    expect((await script.get("/api/me")).status).toBe(401);
    expect(await tokenCount(u.user.id)).toBe(0);

    const kept = await withToken();
    const res = await kept.u.patch("/api/me", { currentPassword: PASSWORD, newPassword: "Changed-pass-1!", revokeTokens: false });
    expect(res.status).toBe(200);
    expect((await kept.script.get("/api/me")).status).toBe(200);
    const revoked = await withToken();
    expect((await revoked.u.patch("/api/me", { currentPassword: PASSWORD, newPassword: "Changed-pass-1!", revokeTokens: true })).status).toBe(200);
    expect((await revoked.script.get("/api/me")).status).toBe(401);
  });

  it("refuses revokeTokens without a new password, and a wrong current password changes nothing", async () => {
    const { u, script } = await withToken();
    const alone = await u.patch("/api/me", { revokeTokens: true });
    expect(alone.status).toBe(400);
    expect(alone.body.error.fields.revokeTokens).toBeTruthy();
    const wrong = await u.patch("/api/me", { currentPassword: "Wrong-pass-1!", newPassword: "Changed-pass-1!", revokeTokens: true });
    expect(wrong.status).toBe(400);
    expect((await script.get("/api/me")).status).toBe(200);
  });
});
