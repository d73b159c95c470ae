// The second half of the pre-launch audit (SECURITY.md lists these tests by name next to the
// ones in security.test.ts). Each test failed on the code the audit looked at and passes now.
import { env, exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/worker/app";
import { admin, anonymous, BASE, Client, newStory, newUser, PASSWORD, trustedReader } from "../support/client";
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
    // The fake is shared by every test file, and user ids start again in each: leave it clean.
    await fakeStripe.reset();
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

const WRONG = "Wrong-pass-1!";
let ipSeq = 0;
/** A fresh client address per test, so address pauses from one test never reach another. */
const freshIp = () => ({ "cf-connecting-ip": `192.0.2.${++ipSeq}` });
const signIn = (login: string, password: string, ip: Record<string, string>) =>
  anonymous().req("POST", "/api/auth/login", { login, password }, ip);

/** Mail goes out after the answer (waitUntil): wait for the newest one to `to` whose text matches. */
async function mailTo(to: string, re: RegExp, timeoutMs = 5_000) {
  const start = Date.now();
  for (;;) {
    const hit = (await mails(to)).reverse().find((m) => re.test(m.text));
    if (hit) return hit;
    if (Date.now() - start > timeoutMs) throw new Error(`no mail to ${to} matching ${re}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ends the account's current pause as if its time had run out. */
async function endPause(userId: number) {
  const { runInDurableObject } = await import("cloudflare:test");
  await runInDurableObject(env.USER_HUB.getByName(`user:${userId}`), async (_hub, state) => {
    const s = await state.storage.get<any>("signins");
    await state.storage.put("signins", { ...s, lockedUntil: Date.now() - 1 });
  });
}

describe("sign-in lockout is neither a permanent denial of service nor an account oracle (audit 5)", () => {
  it("answers one and the same 401 for an unknown login, a wrong password and a paused account", async () => {
    const u = await newUser();
    const ip = freshIp();
    const unknown = await signIn(`nobody-${u.user.username}`, PASSWORD, ip);
    for (let i = 0; i < 5; i++) await signIn(u.user.username, WRONG, ip);
    const paused = await signIn(u.user.username, PASSWORD, ip);
    const wrong = await signIn(u.user.username, WRONG, ip);
    for (let i = 0; i < 6; i++) await signIn(`nobody-${u.user.username}`, WRONG, ip);
    const unknownAfter = await signIn(`nobody-${u.user.username}`, WRONG, ip);
    for (const r of [unknown, paused, wrong, unknownAfter]) {
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: "invalid_credentials", message: unknown.body.error.message });
      expect(Object.keys(r.body.error).sort()).toEqual(["code", "message", "requestId"]);
    }
    // The pause is announced to the owner, by e-mail.
    const mail = await mailTo(u.user.email, /\/unlock\?token=/);
    expect(mail.subject).toMatch(/paused/);
  });

  it("starts the count again when a pause ends: one wrong try after it does not pause the account again", async () => {
    const u = await newUser();
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await signIn(u.user.username, WRONG, ip);
    expect((await signIn(u.user.username, PASSWORD, ip)).status).toBe(401);
    await endPause(u.user.id);
    expect((await signIn(u.user.username, WRONG, ip)).status).toBe(401);
    expect((await signIn(u.user.username, PASSWORD, ip)).status).toBe(200);
  });

  it("backs off: pauses in a row double, up to 15 minutes, and a correct sign-in forgets them", async () => {
    const { ACCOUNT_LOCK } = await import("../../src/domain/lockout");
    const u = await newUser();
    const hub = env.USER_HUB.getByName(`user:${u.user.id}`);
    const lengths: number[] = [];
    for (let pause = 0; pause < 6; pause++) {
      let state = { lockedUntil: 0, justLocked: false };
      for (let i = 0; i < ACCOUNT_LOCK.threshold; i++) state = await hub.signInFailed(ACCOUNT_LOCK);
      expect(state.justLocked).toBe(true);
      lengths.push(Math.round((state.lockedUntil - Date.now()) / 60_000));
      // While paused, more failures neither count nor lengthen it.
      expect((await hub.signInFailed(ACCOUNT_LOCK)).lockedUntil).toBe(state.lockedUntil);
      await endPause(u.user.id);
    }
    expect(lengths).toEqual([1, 2, 4, 8, 15, 15]);
    expect((await signIn(u.user.username, PASSWORD, freshIp())).status).toBe(200);
    for (let i = 0; i < ACCOUNT_LOCK.threshold - 1; i++) await hub.signInFailed(ACCOUNT_LOCK);
    const next = await hub.signInFailed(ACCOUNT_LOCK);
    expect(Math.round((next.lockedUntil - Date.now()) / 60_000)).toBe(1);
  });

  it("pauses an address that fails against many logins (429 with retryAfter) while other addresses sign in", async () => {
    const u = await newUser();
    const ip = freshIp();
    for (let i = 0; i < 20; i++) expect((await signIn(`guess${i}`, WRONG, ip)).status).toBe(401);
    const blocked = await signIn(u.user.username, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.retryAfter).toBeGreaterThan(0);
    expect((await signIn(u.user.username, PASSWORD, freshIp())).status).toBe(200);
  });

  it("lets the owner lift their account's pause with the e-mailed link, once", async () => {
    const u = await newUser();
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await signIn(u.user.username, WRONG, ip);
    const mail = await mailTo(u.user.email, /\/unlock\?token=/);
    const token = mail.text.match(/\/unlock\?token=([\w-]+)/)![1]!;
    expect(mail.text).toContain(`${BASE}/unlock?token=`);
    const stored = await one<{ n: number }>("SELECT count(*) AS n FROM email_tokens WHERE purpose = 'unlock' AND token_hash = ?", token);
    expect(stored.n).toBe(0); // only its hash is kept
    expect((await signIn(u.user.username, PASSWORD, ip)).status).toBe(401);
    const res = await anonymous().post("/api/auth/unlock", { token });
    expect(res.status).toBe(200);
    expect((await signIn(u.user.username, PASSWORD, ip)).status).toBe(200);
    const again = await anonymous().post("/api/auth/unlock", { token });
    expect(again.status).toBe(400);
    expect(again.body.error.fields.token).toMatch(/invalid, used or expired/);
    expect((await anonymous().post("/api/auth/unlock", {})).body.error.fields.token).toBeTruthy();
  });

  it("still answers 403 account_locked for an administrator's lock, but only to the right password", async () => {
    const u = await newUser();
    await env.DB.prepare("UPDATE users SET is_locked = 1 WHERE id = ?").bind(u.user.id).run();
    const wrong = await signIn(u.user.username, WRONG, freshIp());
    expect(wrong.status).toBe(401);
    const right = await signIn(u.user.username, PASSWORD, freshIp());
    expect(right.status).toBe(403);
    expect(right.body.error.code).toBe("account_locked");
  });
});

const uniq = () => `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe("registration is no account oracle (audit 11)", () => {
  const strict = { REQUIRE_EMAIL_VERIFICATION: "true" };
  const register = (body: unknown, ip = freshIp()) => deployed(`${BASE}/api/auth/register`, json(body, { origin: BASE, ...ip }), strict);

  it("with e-mail verification on, answers a free, a taken username and a taken address alike, and tells the owner by e-mail", async () => {
    const owner = await newUser();
    const fresh = uniq();
    const answers = [
      await register({ username: fresh, email: `${fresh}@example.com`, password: PASSWORD }),
      await register({ username: owner.user.username, email: `${uniq()}@example.com`, password: PASSWORD }),
      await register({ username: uniq(), email: owner.user.email, password: PASSWORD }),
    ];
    const shape = (r: (typeof answers)[number]) => ({ status: r.status, keys: Object.keys(r.body).sort(), cookie: r.headers.get("set-cookie") });
    for (const a of answers) expect(shape(a)).toEqual(shape(answers[0]!));
    expect(answers[0]!.status).toBe(202);
    for (const a of answers) expect(a.body.message).toBe(`If ${a.body.email} can be used, a link to confirm it is on its way.`);
    // The owner of the taken address hears of it; the new address gets its confirmation link.
    expect((await mailTo(owner.user.email, /already has one/)).subject).toMatch(/tried to sign up/);
    expect((await mailTo(`${fresh}@example.com`, /\/verify\?token=/)).subject).toMatch(/Confirm/);
    expect((await one<{ n: number }>("SELECT count(*) AS n FROM users WHERE username = ?", fresh)).n).toBe(1);
  });

  it("without it, keeps the 409 message but gives one address only a few an hour", async () => {
    const owner = await newUser();
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await anonymous().req("POST", "/api/auth/register", { username: owner.user.username, email: `${uniq()}@example.com`, password: PASSWORD }, ip);
      expect(res.status).toBe(409);
      expect(res.body.error.fields.username).toBe("Already taken");
    }
    // Spent: every registration from that address waits now, free names included.
    const free = uniq();
    const blocked = await anonymous().req("POST", "/api/auth/register", { username: free, email: `${free}@example.com`, password: PASSWORD }, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.retryAfter).toBeGreaterThan(0);
    expect((await anonymous().req("POST", "/api/auth/register", { username: free, email: `${free}@example.com`, password: PASSWORD }, freshIp())).status).toBe(201);
  });
});

describe("per-user limits on what users write (audit 12)", () => {
  /** Sends `n + 1` requests: the first `n` pass, the last gets 429 with retryAfter, and nothing past the limit is written. */
  async function burst(n: number, send: (i: number) => Promise<{ status: number; body: any }>, okStatus: number) {
    for (let i = 0; i < n; i++) expect((await send(i)).status, `request ${i + 1}`).toBe(okStatus);
    const over = await send(n);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe("rate_limited");
    expect(over.body.error.retryAfter).toBeGreaterThan(0);
  }

  it("comments: a burst stops at 10, and the author gets no more notifications than comments written", async () => {
    const author = await newUser();
    const s = await newStory(author, { shared: true });
    const reader = await newUser();
    await burst(10, (i) => reader.post(`/api/stories/${s.story.id}/comments`, { body: `Comment ${i}` }), 201);
    const written = await one<{ n: number }>("SELECT count(*) AS n FROM comments WHERE story_id = ?", s.story.id);
    const told = await one<{ n: number }>("SELECT count(*) AS n FROM notifications WHERE user_id = ?", author.user.id);
    expect(written.n).toBe(10);
    expect(told.n).toBe(10);
  });

  it("story creation stops at 30 an hour", async () => {
    const u = await newUser();
    await burst(30, (i) => u.post("/api/stories", { title: `Story ${i}`, chaptersCount: 1 }), 201);
    expect((await u.get("/api/stories")).body.stories).toHaveLength(30);
  });

  it("reports stop at 10 an hour", async () => {
    const reader = await newUser();
    const stories: number[] = [];
    for (let i = 0; i < 11; i++) stories.push((await newStory(await newUser(), { shared: true })).story.id);
    await burst(10, (i) => reader.post(`/api/stories/${stories[i]}/flag`, { reason: "Spam" }), 200);
    expect((await one<{ n: number }>("SELECT count(*) AS n FROM story_flags WHERE user_id = ?", reader.user.id)).n).toBe(10);
  });

  it("API token creation stops at 10 an hour", async () => {
    const u = await newUser();
    await burst(10, (i) => u.post("/api/me/tokens", { name: `t${i}` }), 201);
    expect((await u.get("/api/me/tokens")).body.tokens).toHaveLength(10);
  });
});

describe("reports from throwaway accounts hide nothing and put nobody under review (audit 8)", () => {
  const state = (id: number) => one("SELECT s.shared, s.flagged, u.under_review FROM stories s JOIN users u ON u.id = s.user_id WHERE s.id = ?", id);
  const reportAll = async (readers: Client[], id: number) => {
    for (const r of readers) expect((await r.post(`/api/stories/${id}/flag`, { reason: "Spam" })).status).toBe(200);
  };

  it("does not count reports from brand-new, unverified, or same-address accounts", async () => {
    const author = await newUser();
    const s = (await newStory(author, { shared: true })).story;
    // Five accounts made a minute ago (verified or not), each from its own address.
    const fresh = await Promise.all(Array.from({ length: 5 }, async () => {
      const r = await newUser();
      r.headers = freshIp();
      return r;
    }));
    await reportAll(fresh, s.id);
    // Five old but unverified accounts.
    const unverified = await Promise.all(Array.from({ length: 5 }, async () => {
      const r = await trustedReader();
      await env.DB.prepare("UPDATE users SET verified = 0 WHERE id = ?").bind(r.user.id).run();
      return r;
    }));
    await reportAll(unverified, s.id);
    // Five trusted accounts behind one address count once.
    const sameIp = await Promise.all(Array.from({ length: 5 }, async () => {
      const r = await trustedReader();
      r.headers = { "cf-connecting-ip": "203.0.113.200" };
      return r;
    }));
    await reportAll(sameIp, s.id);
    expect(await state(s.id)).toEqual({ shared: 1, flagged: 0, under_review: 0 });
    expect((await one<{ n: number }>("SELECT count(*) AS n FROM story_flags WHERE story_id = ?", s.id)).n).toBe(15);
  });

  it("hides a story after five counted reports, and leaves putting its author under review to an admin", async () => {
    const author = await newUser();
    const s = (await newStory(author, { shared: true })).story;
    await reportAll(await Promise.all(Array.from({ length: 5 }, () => trustedReader())), s.id);
    expect(await state(s.id)).toEqual({ shared: 0, flagged: 1, under_review: 0 });
    expect((await author.patch(`/api/stories/${s.id}`, { title: "Still mine" })).status).toBe(200);
    const a = await admin();
    const listed = (await a.get(`/api/admin/stories?flagged=true&q=${encodeURIComponent("Still mine")}`)).body.stories[0];
    expect(listed).toMatchObject({ id: s.id, reports: 5, authorUnderReview: false });
    expect((await a.patch(`/api/admin/users/${author.user.id}`, { underReview: true })).status).toBe(200);
    expect((await state(s.id)).under_review).toBe(1);
  });
});

describe("the 100-chapter limit holds, and chaptersCount is the number of chapters (audit 6)", () => {
  const counts = (id: number) => one("SELECT (SELECT count(*) FROM chapters WHERE story_id = ?1) AS rows, (SELECT chapters_count FROM stories WHERE id = ?1) AS count", id);
  const fresh = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `New ${i + 1}`, summary: "" }));

  it("refuses with a 400 naming chapters an outline that, with the chapters it keeps, would pass 100", async () => {
    const u = await newUser();
    const s = await newStory(u, { chaptersCount: 100 });
    const id = s.story.id;
    const before = await counts(id);
    for (let i = 0; i < 3; i++) {
      const res = await u.put(`/api/stories/${id}/outline`, { chapters: fresh(100) });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.chapters).toMatch(/At most 100/);
    }
    expect(await counts(id)).toEqual(before);
    expect(before).toEqual({ rows: 100, count: 100 });
    // Replacing them is fine.
    expect((await u.put(`/api/stories/${id}/outline`, { chapters: fresh(100), deleteMissing: true })).status).toBe(200);
    expect(await counts(id)).toEqual({ rows: 100, count: 100 });
    // An outline that keeps nothing would leave no chapter.
    const none = await u.put(`/api/stories/${id}/outline`, { chapters: [], deleteMissing: true });
    expect(none.status).toBe(400);
    expect(none.body.error.fields.chapters).toBeTruthy();
  });

  it("keeps chaptersCount equal to the rows after outline saves, story patches and chapter deletes", async () => {
    const u = await newUser();
    const s = await newStory(u, { chaptersCount: 3 });
    const id = s.story.id;
    await u.put(`/api/stories/${id}/outline`, { chapters: fresh(2) });
    expect(await counts(id)).toEqual({ rows: 5, count: 5 });
    // Written chapters past the new end are kept, and counted.
    const detail = (await u.get(`/api/stories/${id}`)).body;
    await u.patch(`/api/stories/${id}/chapters/${detail.chapters[3].id}`, { content: "Kept prose." });
    const shrunk = await u.patch(`/api/stories/${id}`, { chaptersCount: 1 });
    expect(shrunk.status).toBe(200);
    expect(shrunk.body.story.chaptersCount).toBe(shrunk.body.chapters.length);
    expect(await counts(id)).toEqual({ rows: 4, count: 4 });
    for (const ch of shrunk.body.chapters.slice(1)) expect((await u.del(`/api/stories/${id}/chapters/${ch.id}`)).status).toBe(200);
    expect(await counts(id)).toEqual({ rows: 1, count: 1 });
    // The last chapter stays: deleting it would leave a story of none (the old code counted 1 anyway).
    const last = await u.del(`/api/stories/${id}/chapters/${shrunk.body.chapters[0].id}`);
    expect(last.status).toBe(409);
    expect(await counts(id)).toEqual({ rows: 1, count: 1 });
  });
});

describe("tag suggestions say nothing of private stories (audit 10)", () => {
  const suggested = async (c: Client, q: string) => (await c.get(`/api/tags?q=${encodeURIComponent(q)}`)).body.tags as string[];
  const exists = async (name: string) => (await one<{ n: number }>("SELECT count(*) AS n FROM tags WHERE name = ?", name)).n === 1;

  it("never suggests a private story's tag after it is detached, and deletes the orphan", async () => {
    const p = `t${Date.now().toString(36)}`;
    const author = await newUser();
    const reader = await newUser();
    const s = (await newStory(author, { tags: [`${p}-divorce-plans`] })).story;
    expect(await suggested(reader, p)).toEqual([]);
    // Detached from the story (the story keeps other tags), the tag had become a suggestion for everyone.
    expect((await author.patch(`/api/stories/${s.id}`, { tags: [`${p}-other`] })).status).toBe(200);
    expect(await suggested(reader, p)).toEqual([]);
    expect(await exists(`${p}-divorce-plans`)).toBe(false);
    // The same when the story goes.
    expect((await author.del(`/api/stories/${s.id}`)).status).toBe(200);
    expect(await exists(`${p}-other`)).toBe(false);
  });

  it("suggests tags an admin made, used or not, and tags public stories use", async () => {
    const p = `c${Date.now().toString(36)}`;
    const a = await admin();
    await a.post("/api/admin/tags", { name: `${p}-curated` });
    const author = await newUser();
    const pub = (await newStory(author, { shared: true, tags: [`${p}-public`, `${p}-curated`] })).story;
    const reader = await newUser();
    expect((await suggested(reader, p)).sort()).toEqual([`${p}-curated`, `${p}-public`]);
    await author.del(`/api/stories/${pub.id}`);
    // The admin's tag stays in the vocabulary; the story's own tag went with it.
    expect(await suggested(reader, p)).toEqual([`${p}-curated`]);
    expect(await exists(`${p}-public`)).toBe(false);
  });
});

describe("token counting is linear, and estimates are rate-limited (audit 4)", () => {
  it("counts every piece up to EXACT_PIECE_BYTES exactly as js-tiktoken does, one-word pieces included", async () => {
    const fc = (await import("fast-check")).default;
    const { Tiktoken } = await import("js-tiktoken/lite");
    const o200k = (await import("js-tiktoken/ranks/o200k_base")).default;
    const { countTokens, EXACT_PIECE_BYTES } = await import("../../src/core/tokens");
    const reference = new Tiktoken(o200k);
    const word = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzAEIOU"), minLength: 1, maxLength: EXACT_PIECE_BYTES });
    const text = fc.array(fc.oneof(word, fc.string({ maxLength: 40 }), fc.constantFrom(" ", "\n\n", "—", "東京", "🌊", "'s")), { maxLength: 12 }).map((xs) => xs.join(""));
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        expect(await countTokens(t)).toBe(reference.encode(t).length);
      }),
      { numRuns: 60 },
    );
  });

  it("estimates a 10 000-letter word closely from its exactly counted start", async () => {
    const { Tiktoken } = await import("js-tiktoken/lite");
    const o200k = (await import("js-tiktoken/ranks/o200k_base")).default;
    const { countTokens, EXACT_PIECE_BYTES } = await import("../../src/core/tokens");
    const reference = new Tiktoken(o200k);
    let seed = 7;
    const word = Array.from({ length: 10_000 }, () => "abcdefghijklmnopqrstuvwxyz"[(seed = (seed * 48271) % 2147483647) % 26]).join("");
    // The reference is quadratic on one piece this long: count it in exact chunks instead.
    let chunked = 0;
    for (let at = 0; at < word.length; at += EXACT_PIECE_BYTES) chunked += reference.encode(word.slice(at, at + EXACT_PIECE_BYTES)).length;
    const n = await countTokens(word);
    expect(n).toBeGreaterThanOrEqual(Math.floor(chunked * 0.9));
    expect(n).toBeLessThanOrEqual(Math.ceil(chunked * 1.1));
  });

  it("limits estimates to 60 a minute per user (429 with retryAfter)", async () => {
    const u = await newUser();
    const s = await newStory(u, { chaptersCount: 1 });
    for (let i = 0; i < 60; i++) expect((await u.get(`/api/stories/${s.story.id}/estimate?stage=meta`)).status).toBe(200);
    const over = await u.get(`/api/stories/${s.story.id}/estimate?stage=meta`);
    expect(over.status).toBe(429);
    expect(over.body.error.retryAfter).toBeGreaterThan(0);
  });
});

describe("hardening (audit 16)", () => {
  it("refuses to seed an admin whose ADMIN_PASSWORD breaks the password rules, and says why in the log", async () => {
    const { vi } = await import("vitest");
    const { seedAdmin } = await import("../../src/domain/seed");
    const { readConfig } = await import("../../src/domain/config");
    const { getDb } = await import("../../src/domain/db/client");
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const before = (await one<{ n: number }>("SELECT count(*) AS n FROM users")).n;
    // As on a first start: no administrator yet.
    await env.DB.prepare("UPDATE roles SET is_admin = 0 WHERE name = 'admin'").run();
    let lines: string[] = [];
    try {
      const config = readConfig(env);
      await seedAdmin(getDb(env), { ...config, admin: { email: "boss@example.com", username: "boss", password: "password" } });
      lines = errors.mock.calls.map((c) => String(c[0]));
    } finally {
      await env.DB.prepare("UPDATE roles SET is_admin = 1 WHERE name = 'admin'").run();
      errors.mockRestore();
    }
    expect((await one<{ n: number }>("SELECT count(*) AS n FROM users")).n).toBe(before);
    const line = lines.find((l) => l.includes("ADMIN_PASSWORD"));
    expect(line).toMatch(/No admin account was created: ADMIN_PASSWORD does not meet the password rules \(.*uppercase.*\)/);
  });

  it("never writes a reset link to the log in production without Mailgun, and tells the admins instead", async () => {
    const { vi } = await import("vitest");
    const { MAIL_NOT_CONFIGURED } = await import("../../src/domain/mail");
    const u = await newUser();
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    try {
      const prod = { APP_URL: "https://novel.example", MAILGUN_API_KEY: "" };
      const res = await deployed("https://novel.example/api/auth/forgot", json({ email: u.user.email }), prod);
      expect(res.status).toBe(202);
      expect(logged.join("\n")).not.toMatch(/token=/);
      expect(logged.join("\n")).toMatch(/MAILGUN_API_KEY is not set/);
      // Local development without Mailgun still reads the link in the console.
      logged.length = 0;
      await deployed(`${BASE}/api/auth/forgot`, json({ email: u.user.email }), { MAILGUN_API_KEY: "" });
      expect(logged.join("\n")).toMatch(/\/reset\?token=/);
    } finally {
      for (const s of spies) s.mockRestore();
    }
    const a = await admin();
    const notes = (await a.get("/api/me/notifications")).body.notifications.filter((n: any) => n.message === MAIL_NOT_CONFIGURED);
    expect(notes).toHaveLength(1);
  });

  it("answers /forgot as fast for a known address as for an unknown one: the mail goes out after the answer", async () => {
    const { mailLatency } = await import("../support/fake-mailgun");
    const u = await newUser();
    await mailLatency(600);
    try {
      const time = async (email: string) => {
        const start = Date.now();
        const res = await anonymous().post("/api/auth/forgot", { email });
        expect(res.status).toBe(202);
        return Date.now() - start;
      };
      const unknown = await time(`nobody-${u.user.email}`);
      const known = await time(u.user.email);
      expect(known).toBeLessThan(400);
      expect(Math.abs(known - unknown)).toBeLessThan(300);
      await mailTo(u.user.email, /\/reset\?token=/);
    } finally {
      await mailLatency(0);
    }
  });
});

describe("control characters are refused at input (audit 9)", () => {
  it("answers 400 naming the field for titles, details, prose, names, tags and comments, and saves nothing", async () => {
    const u = await newUser();
    const s = await newStory(u, { shared: true, chaptersCount: 1 });
    const id = s.story.id;
    const ch = s.chapters[0]!.id;
    const before = JSON.stringify((await u.get(`/api/stories/${id}`)).body);
    const cases: [string, string, unknown, string][] = [
      ["POST", "/api/stories", { title: "Bell \u0007", chaptersCount: 1 }, "title"],
      ["PATCH", `/api/stories/${id}`, { details: "Escape \u001b[31m" }, "details"],
      ["PATCH", `/api/stories/${id}`, { tags: ["ok", "nul\u0000"] }, "tags.1"],
      ["PATCH", `/api/stories/${id}/chapters/${ch}`, { content: "Prose\u0000 with a NUL" }, "content"],
      ["PATCH", `/api/stories/${id}/chapters/${ch}`, { title: "Lone \ud800 surrogate" }, "title"],
      ["PUT", `/api/stories/${id}/meta`, { characters: [{ name: "Ada\u0008", description: "" }], locations: [] }, "characters.0.name"],
      ["POST", `/api/stories/${id}/comments`, { body: "Hi \u000c there" }, "body"],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await u.req(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.fields[field], `${method} ${path} ${JSON.stringify(res.body.error.fields)}`).toBe("No control characters");
    }
    expect(JSON.stringify((await u.get(`/api/stories/${id}`)).body)).toBe(before);
    // Tabs and line breaks are text.
    expect((await u.patch(`/api/stories/${id}/chapters/${ch}`, { content: "One\tTwo\r\nThree\n\nFour" })).status).toBe(200);
  });
});
