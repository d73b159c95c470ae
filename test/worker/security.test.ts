// The pre-launch audit's findings (SECURITY.md lists these tests by name). Each test failed on the
// code the audit looked at and passes now.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { admin, anonymous, newUser, type Client } from "../support/client";
import { fakeOpenAi } from "../support/fake-openai";
import { openTab } from "../support/ws";

beforeEach(async () => {
  await fakeOpenAi.reset();
});

const roleId = async (name: string) =>
  (await env.DB.prepare("SELECT id FROM roles WHERE name = ?").bind(name).first<{ id: number }>())!.id;

/** A second administrator, signed in with a cookie and holding an API token. */
async function secondAdmin(a: Client) {
  const b = await newUser("admin2");
  expect((await a.patch(`/api/admin/users/${b.user.id}`, { roleId: await roleId("admin") })).status).toBe(200);
  const token = (await b.post("/api/me/tokens", { name: "script" })).body.token.token as string;
  const script = anonymous();
  script.token = token;
  return { b, script };
}

describe("locked accounts (audit 1)", () => {
  it("refuses a locked administrator everywhere, admin routes included, by cookie and by token", async () => {
    const a = await admin();
    const { b, script } = await secondAdmin(a);
    // Locked behind the API's back (as the audit found it: a live session and a live token).
    await env.DB.prepare("UPDATE users SET is_locked = 1 WHERE id = ?").bind(b.user.id).run();
    for (const c of [b, script]) {
      for (const [method, path] of [["GET", "/api/admin/users"], ["GET", "/api/me"], ["GET", "/api/stories"], ["PATCH", "/api/admin/site"]] as const) {
        const res = await c.req(method, path, method === "PATCH" ? { maintenanceMode: true } : undefined);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe("account_locked");
      }
      expect((await c.patch(`/api/admin/users/${b.user.id}`, { isLocked: false })).status).toBe(403);
    }
    expect((await b.get("/api/auth/session")).body.user).toBeNull();
    const site = await env.DB.prepare("SELECT maintenance_mode AS m FROM site_config").first<{ m: number }>();
    expect(site!.m).toBe(0);
  });

  it("lets nobody change their own lock, either way", async () => {
    const a = await admin();
    for (const isLocked of [true, false]) {
      const res = await a.patch(`/api/admin/users/${a.user.id}`, { isLocked });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/your own/);
    }
  });

  it("signs a locked user out everywhere: sessions, API tokens and open sockets end", async () => {
    const a = await admin();
    const u = await newUser();
    const token = (await u.post("/api/me/tokens", { name: "script" })).body.token.token as string;
    const tab = await openTab(u);
    const closed = new Promise<number>((resolve) => tab.socket.addEventListener("close", (e) => resolve(e.code)));
    expect((await a.patch(`/api/admin/users/${u.user.id}`, { isLocked: true })).status).toBe(200);
    expect(await closed).toBe(4003);
    expect((await u.get("/api/me")).status).toBe(401);
    const script = anonymous();
    script.token = token;
    expect((await script.get("/api/me")).status).toBe(401);
    const left = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM sessions WHERE user_id = ?1) AS s, (SELECT count(*) FROM api_tokens WHERE user_id = ?1) AS t",
    )
      .bind(u.user.id)
      .first<{ s: number; t: number }>();
    expect(left).toEqual({ s: 0, t: 0 });
    // Unlocked, they sign in again as usual.
    await a.patch(`/api/admin/users/${u.user.id}`, { isLocked: false });
    expect((await u.post("/api/auth/login", { login: u.user.username, password: "Str0ng-pass!" })).status).toBe(200);
  });

  it("keeps one unlocked administrator: two admins locking, demoting or deleting each other at once cannot both win", async () => {
    const a = await admin();
    const userRole = await roleId("user");
    const attempts: [string, (x: Client, target: number) => Promise<{ status: number; body: any }>][] = [
      ["lock", (x, t) => x.patch(`/api/admin/users/${t}`, { isLocked: true })],
      ["demote", (x, t) => x.patch(`/api/admin/users/${t}`, { roleId: userRole })],
      ["delete", (x, t) => x.del(`/api/admin/users/${t}`)],
    ];
    for (const [what, act] of attempts) {
      const { b } = await secondAdmin(a);
      const { b: c } = await secondAdmin(a);
      // Every other administrator steps aside, so these two are the last ones.
      await env.DB.prepare(
        "UPDATE users SET is_locked = 1 WHERE id NOT IN (?, ?) AND role_id = (SELECT id FROM roles WHERE name = 'admin')",
      )
        .bind(b.user.id, c.user.id)
        .run();
      // Over HTTP the two requests interleave as they happen to: exactly one wins either way.
      const [bc, cb] = await Promise.all([act(b, c.user.id), act(c, b.user.id)]);
      expect([bc, cb].filter((r) => r.status === 200), what).toHaveLength(1);
      const unlocked = await env.DB.prepare(
        "SELECT count(*) AS n FROM users u JOIN roles r ON r.id = u.role_id WHERE r.is_admin = 1 AND u.is_locked = 0",
      ).first<{ n: number }>();
      expect(unlocked!.n, what).toBe(1);
      const loser = bc.status === 200 ? cb : bc;
      expect([401, 403, 409], what).toContain(loser.status);
      await env.DB.prepare("UPDATE users SET is_locked = 0 WHERE id = ?").bind(a.user.id).run();
      Object.assign(a, await admin());
    }
  });

  it("answers 409 to the second of two admins acting on each other once both were signed in (the race, step by step)", async () => {
    const { patchUser, deleteUser } = await import("../../src/worker/services/admin");
    const { getUserById } = await import("../../src/worker/services/auth");
    const { getDb } = await import("../../src/worker/db/client");
    const db = getDb(env);
    const a = await admin();
    const userRole = await roleId("user");
    const steps: [string, (actor: any, target: number) => Promise<unknown>][] = [
      ["lock", (actor, t) => patchUser(env, db, actor, t, { isLocked: true })],
      ["demote", (actor, t) => patchUser(env, db, actor, t, { roleId: userRole })],
      ["delete", (actor, t) => deleteUser(env, db, actor, t)],
    ];
    for (const [what, act] of steps) {
      const { b } = await secondAdmin(a);
      const { b: c } = await secondAdmin(a);
      await env.DB.prepare("UPDATE users SET is_locked = 1 WHERE id NOT IN (?, ?) AND role_id = (SELECT id FROM roles WHERE name = 'admin')")
        .bind(b.user.id, c.user.id)
        .run();
      // Both requests have passed authentication: each holds the other's user as it was then.
      const [asB, asC] = [await getUserById(db, b.user.id), await getUserById(db, c.user.id)];
      await act(asB, c.user.id);
      await expect(act(asC, b.user.id), what).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/last unlocked administrator/) });
      const bNow = await getUserById(db, b.user.id);
      expect(bNow, what).toMatchObject({ isAdmin: true, isLocked: false });
      await env.DB.prepare("UPDATE users SET is_locked = 0 WHERE id = ?").bind(a.user.id).run();
    }
  });
});

