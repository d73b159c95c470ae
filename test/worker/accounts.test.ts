import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS, hashPassword } from "../../src/domain/crypto";
import { admin, anonymous, Client, newUser, PASSWORD } from "../support/client";
import { mails, tokenFromMail } from "../support/fake-mailgun";

const count = async (table: string) =>
  ((await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())!.n);

const uniq = () => `u${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe("registration", () => {
  it("creates an account with the signup grant in the ledger, a session cookie and a verification mail", async () => {
    const c = new Client();
    const name = uniq();
    const res = await c.post("/api/auth/register", { username: name, email: `${name.toUpperCase()}@Example.com`, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ username: name, email: `${name}@example.com`, role: "user", isAdmin: false, verified: false, credits: { text: 500, image: 8 } });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await c.get("/api/me")).body.user.username).toBe(name);
    const ledger = await env.DB.prepare("SELECT credit_type, delta, reason FROM credit_ledger WHERE user_id = ? ORDER BY credit_type").bind(res.body.user.id).all();
    expect(ledger.results).toEqual([
      { credit_type: "image", delta: 8, reason: "signup" },
      { credit_type: "text", delta: 500, reason: "signup" },
    ]);
    const sent = await mails(`${name}@example.com`);
    expect(sent.at(-1)!.subject).toMatch(/Confirm/);
  });

  it.each([
    ["missing everything", {}, ["username", "email", "password"]],
    ["wrong types", { username: 42, email: true, password: ["x"] }, ["username", "email", "password"]],
    ["oversized username", { username: "a".repeat(33), email: "a@b.co", password: PASSWORD }, ["username"]],
    ["hostile username", { username: "<script>", email: "a@b.co", password: PASSWORD }, ["username"]],
    ["not an e-mail", { username: "okname", email: "nope", password: PASSWORD }, ["email"]],
    ["short password", { username: "okname", email: "a@b.co", password: "Aa1!" }, ["password"]],
    ["password without a symbol", { username: "okname", email: "a@b.co", password: "Abcdefg1" }, ["password"]],
    ["password without upper case", { username: "okname", email: "a@b.co", password: "abcdefg1!" }, ["password"]],
    ["unknown field", { username: "okname", email: "a@b.co", password: PASSWORD, isAdmin: true }, ["isAdmin"]],
  ])("rejects %s with a message per field and creates nothing", async (_, body, fields) => {
    const before = await count("users");
    const res = await anonymous().post("/api/auth/register", body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    for (const f of fields) expect(res.body.error.fields[f]).toBeTruthy();
    expect(await count("users")).toBe(before);
  });

  it("refuses a taken username (any case) or e-mail with 409", async () => {
    const u = await newUser();
    const a = await anonymous().post("/api/auth/register", { username: u.user.username.toUpperCase(), email: `${uniq()}@x.io`, password: PASSWORD });
    expect(a.status).toBe(409);
    expect(a.body.error.fields.username).toBeTruthy();
    const b = await anonymous().post("/api/auth/register", { username: uniq(), email: u.user.email, password: PASSWORD });
    expect(b.status).toBe(409);
    expect(b.body.error.fields.email).toBeTruthy();
  });

  it("answers 403 registration_disabled while an admin has closed registration", async () => {
    const a = await admin();
    expect((await a.patch("/api/admin/site", { registrationDisabled: true })).status).toBe(200);
    const res = await anonymous().post("/api/auth/register", { username: uniq(), email: `${uniq()}@x.io`, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("registration_disabled");
    await a.patch("/api/admin/site", { registrationDisabled: false });
  });

  it("rejects bodies that are not JSON (415) or larger than 1 MB (413)", async () => {
    const form = await anonymous().req("POST", "/api/auth/register", "username=a&password=b", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    const huge = await anonymous().post("/api/auth/register", { username: "x", email: "a@b.co", password: "y".repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("payload_too_large");
    const broken = await anonymous().req("POST", "/api/auth/login", "{not json");
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/JSON/);
  });
});

describe("bad input on every auth endpoint", () => {
  it.each([
    ["/api/auth/login", {}, ["login", "password"]],
    ["/api/auth/login", { login: ["admin"], password: 5 }, ["login", "password"]],
    ["/api/auth/login", { login: "x".repeat(255), password: "p" }, ["login"]],
    ["/api/auth/forgot", {}, ["email"]],
    ["/api/auth/forgot", { email: "not-an-address" }, ["email"]],
    ["/api/auth/forgot", { email: "a@b.co", callback: "https://evil.example" }, ["callback"]],
    ["/api/auth/reset", {}, ["token", "password"]],
    ["/api/auth/reset", { token: "x".repeat(201), password: "Ok-pass-123!" }, ["token"]],
    ["/api/auth/verify/resend", { email: 42 }, ["email"]],
  ])("POST %s %j → 400 naming each field", async (path, body, fields) => {
    const res = await anonymous().post(path, body);
    expect(res.status).toBe(400);
    for (const f of fields) expect(res.body.error.fields[f], JSON.stringify(res.body)).toBeTruthy();
  });

  it("answers a JSON array or a bare string body with 400, not 500", async () => {
    for (const body of ["[]", '"text"', "null", "12"]) {
      const res = await anonymous().req("POST", "/api/auth/register", body);
      expect(res.status, body).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
  });
});

describe("login, sessions and lockout", () => {
  it("signs in with the username or the e-mail, in any case", async () => {
    const u = await newUser();
    for (const login of [u.user.username.toUpperCase(), u.user.email.toUpperCase()]) {
      const c = new Client();
      const res = await c.post("/api/auth/login", { login, password: PASSWORD });
      expect(res.status).toBe(200);
      expect((await c.get("/api/me")).body.user.id).toBe(u.user.id);
    }
  });

  it("gives the same 401 for an unknown login and a wrong password", async () => {
    const u = await newUser();
    const a = await anonymous().post("/api/auth/login", { login: "nobody-here", password: PASSWORD });
    const b = await anonymous().post("/api/auth/login", { login: u.user.username, password: "Wrong-pass1!" });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.error.message).toBe(b.body.error.message);
  });

  it("pauses sign-in after 5 failures, even for the right password, answering as for a wrong one", async () => {
    const u = await newUser();
    const ip = { "cf-connecting-ip": "203.0.113.77" };
    for (let i = 0; i < 5; i++)
      expect((await anonymous().req("POST", "/api/auth/login", { login: u.user.username, password: "Wrong-pass1!" }, ip)).status).toBe(401);
    const res = await anonymous().req("POST", "/api/auth/login", { login: u.user.username, password: PASSWORD }, ip);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("invalid_credentials");
  });

  it("logs out: the cookie is cleared and the old session no longer works", async () => {
    const u = await newUser();
    const cookie = u.cookie;
    expect((await u.post("/api/auth/logout")).status).toBe(200);
    const stale = new Client();
    stale.cookie = cookie;
    expect((await stale.get("/api/me")).status).toBe(401);
  });

  it("ignores a forged session cookie", async () => {
    const c = new Client();
    c.cookie = "novel_session=forged.value";
    expect((await c.get("/api/me")).status).toBe(401);
  });

  it("tells the page who is signed in without an error for visitors", async () => {
    expect((await anonymous().get("/api/auth/session")).body).toEqual({ user: null });
    const u = await newUser();
    expect((await u.get("/api/auth/session")).body.user).toMatchObject({ id: u.user.id, username: u.user.username });
  });

  it("answers 401 to anonymous callers of account routes", async () => {
    for (const [method, path] of [
      ["GET", "/api/me"],
      ["PATCH", "/api/me"],
      ["GET", "/api/me/tokens"],
      ["POST", "/api/me/tokens"],
      ["DELETE", "/api/me/tokens/1"],
      ["GET", "/api/me/generations"],
      ["GET", "/api/me/notifications"],
    ] as const) {
      const res = await anonymous().req(method, path, method === "GET" || method === "DELETE" ? undefined : {});
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
  });

  it("blocks cross-site state-changing requests (CSRF) but not same-origin ones", async () => {
    const u = await newUser();
    const evil = await u.req("POST", "/api/stories", { title: "x", chaptersCount: 1 }, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe("bad_origin");
    const fetchSite = await u.req("POST", "/api/stories", { title: "x", chaptersCount: 1 }, { "sec-fetch-site": "cross-site" });
    expect(fetchSite.status).toBe(403);
    const ok = await u.req("POST", "/api/stories", { title: "x", chaptersCount: 1 }, { origin: "http://localhost" });
    expect(ok.status).toBe(201);
  });

  it("rate-limits logins per client address", async () => {
    const ip = { "cf-connecting-ip": "203.0.113.9" };
    let last = 0;
    for (let i = 0; i < 31; i++)
      last = (await anonymous().req("POST", "/api/auth/login", { login: "nobody", password: "x" }, ip)).status;
    expect(last).toBe(429);
    const other = await anonymous().req("POST", "/api/auth/login", { login: "nobody", password: "x" }, { "cf-connecting-ip": "203.0.113.10" });
    expect(other.status).toBe(401);
  });
});

describe("account settings", () => {
  it("changes the password only with the current one, keeping this session and ending others", async () => {
    const u = await newUser();
    const other = new Client();
    await other.post("/api/auth/login", { login: u.user.username, password: PASSWORD });
    const wrong = await u.patch("/api/me", { currentPassword: "Nope-nope1!", newPassword: "New-pass-123!" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.currentPassword).toBe("Wrong password");
    const missing = await u.patch("/api/me", { newPassword: "New-pass-123!" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.currentPassword).toBeTruthy();
    expect((await u.patch("/api/me", { currentPassword: PASSWORD, newPassword: "New-pass-123!" })).status).toBe(200);
    expect((await u.get("/api/me")).status).toBe(200);
    expect((await other.get("/api/me")).status).toBe(401);
    expect((await anonymous().post("/api/auth/login", { login: u.user.username, password: "New-pass-123!" })).status).toBe(200);
  });

  it("toggles mature content and refuses fields that are not allowed", async () => {
    const u = await newUser();
    expect((await u.patch("/api/me", { showMature: true })).body.user.showMature).toBe(true);
    const res = await u.patch("/api/me", { textCredits: 1_000_000, role: "admin" });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(["role", "textCredits"]);
    expect((await u.get("/api/me")).body.user.credits.text).toBe(500);
  });

  it("stores passwords as PBKDF2-SHA256 with at most 100 000 iterations (production workerd's cap)", async () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    expect(await hashPassword("x")).toMatch(/^pbkdf2-sha256\$100000\$[\w-]{22}\$[\w-]{43}$/);
    const u = await newUser();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(u.user.id).first<{ password_hash: string }>();
    expect(row!.password_hash.startsWith("pbkdf2-sha256$100000$")).toBe(true);
  });
});

describe("forgot and reset password, e-mail verification", () => {
  it("mails a single-use reset link and answers the same for unknown addresses", async () => {
    const u = await newUser();
    const unknown = await anonymous().post("/api/auth/forgot", { email: "nobody@nowhere.example" });
    expect(unknown.status).toBe(202);
    const res = await anonymous().post("/api/auth/forgot", { email: u.user.email });
    expect(res.status).toBe(202);
    expect(res.body).toEqual(unknown.body);
    const token = await tokenFromMail(u.user.email, "/reset");
    const weak = await anonymous().post("/api/auth/reset", { token, password: "weak" });
    expect(weak.status).toBe(400);
    expect((await anonymous().post("/api/auth/reset", { token, password: "Reset-pass-1!" })).status).toBe(200);
    const again = await anonymous().post("/api/auth/reset", { token, password: "Other-pass-1!" });
    expect(again.status).toBe(400);
    expect(again.body.error.fields.token).toMatch(/invalid, used or expired/);
    expect((await anonymous().post("/api/auth/login", { login: u.user.email, password: "Reset-pass-1!" })).status).toBe(200);
    // The old session was signed out by the reset.
    expect((await u.get("/api/me")).status).toBe(401);
  });

  it("does not accept an expired reset link", async () => {
    const u = await newUser();
    await anonymous().post("/api/auth/forgot", { email: u.user.email });
    const token = await tokenFromMail(u.user.email, "/reset");
    await env.DB.prepare("UPDATE email_tokens SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, u.user.id).run();
    expect((await anonymous().post("/api/auth/reset", { token, password: "Reset-pass-1!" })).status).toBe(400);
  });

  it("verifies the e-mail address once with the mailed link", async () => {
    const u = await newUser();
    expect(u.user.verified).toBe(false);
    const token = await tokenFromMail(u.user.email, "/verify");
    expect((await anonymous().get(`/api/auth/verify?token=${token}`)).status).toBe(200);
    expect((await u.get("/api/me")).body.user.verified).toBe(true);
    expect((await anonymous().get(`/api/auth/verify?token=${token}`)).status).toBe(400);
    expect((await anonymous().get("/api/auth/verify")).status).toBe(400);
  });

  it("keeps unverified accounts out when REQUIRE_EMAIL_VERIFICATION is on", async () => {
    const { login } = await import("../../src/domain/accounts");
    const { getDb } = await import("../../src/domain/db/client");
    const { readConfig } = await import("../../src/domain/config");
    const u = await newUser();
    const strict = { ...readConfig(env), requireEmailVerification: true };
    await expect(login(getDb(env), strict, { login: u.user.username, password: PASSWORD }, null)).rejects.toMatchObject({
      code: "email_not_verified",
    });
  });
});

describe("API tokens", () => {
  it("creates a token shown once, which then works wherever a cookie does, until deleted", async () => {
    const u = await newUser();
    const created = await u.post("/api/me/tokens", { name: "my script" });
    expect(created.status).toBe(201);
    const token: string = created.body.token.token;
    expect(token).toMatch(/^nvl_/);
    const list = await u.get("/api/me/tokens");
    expect(list.body.tokens).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(token);

    const script = new Client();
    script.token = token;
    expect((await script.get("/api/me")).body.user.id).toBe(u.user.id);
    expect((await script.post("/api/stories", { title: "By script", chaptersCount: 1 })).status).toBe(201);
    expect((await u.get("/api/me/tokens")).body.tokens[0].lastUsedAt).not.toBeNull();

    const other = await newUser();
    expect((await other.del(`/api/me/tokens/${created.body.token.id}`)).status).toBe(404);
    expect((await u.del(`/api/me/tokens/${created.body.token.id}`)).status).toBe(200);
    const gone = await script.get("/api/me");
    expect(gone.status).toBe(401);
    expect(gone.body.error.message).toMatch(/Invalid API token/);
  });

  it("validates token names", async () => {
    const u = await newUser();
    for (const body of [{}, { name: "" }, { name: 5 }, { name: "x".repeat(61) }, { name: "ok", extra: 1 }]) {
      const res = await u.post("/api/me/tokens", body);
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toBeTruthy();
    }
    expect((await u.get("/api/me/tokens")).body.tokens).toHaveLength(0);
    expect((await u.del("/api/me/tokens/abc")).status).toBe(400);
  });
});

describe("maintenance mode", () => {
  it("answers 503 to everyone but admins and keeps login and health open", async () => {
    const a = await admin();
    const u = await newUser();
    await a.patch("/api/admin/site", { maintenanceMode: true });
    try {
      const res = await u.get("/api/stories");
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("maintenance");
      expect((await a.get("/api/stories")).status).toBe(200);
      expect((await anonymous().get("/api/health")).status).toBe(200);
      expect((await u.get("/api/me")).status).toBe(200);
    } finally {
      await a.patch("/api/admin/site", { maintenanceMode: false });
    }
    expect((await u.get("/api/stories")).status).toBe(200);
  });
});
