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
    const { patchUser, deleteUser } = await import("../../src/domain/admin");
    const { getUserById } = await import("../../src/domain/accounts");
    const { getDb } = await import("../../src/domain/db/client");
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

/** A story with cast and outline written by hand, so the only model calls are the ones under test. */
async function plannedStory(c: Client, chapters = 1) {
  const { newStory } = await import("../support/client");
  const s = await newStory(c, { chaptersCount: chapters, targetChapterWords: 800 });
  const id = s.story.id;
  await c.put(`/api/stories/${id}/meta`, {
    characters: [{ name: "Ada Quill", description: "A keeper's daughter." }],
    locations: [{ name: "The Point Light", description: "A dark lighthouse." }],
  });
  const outline = await c.put(`/api/stories/${id}/outline`, {
    chapters: s.chapters.map((ch, i) => ({ id: ch.id, title: `Tide ${i + 1}`, summary: `Ada climbs the tower, night ${i + 1}.` })),
  });
  return { id, chapters: outline.body.chapters as { id: number }[] };
}

const logsOf = async (jobId: number) =>
  (
    await env.DB.prepare(
      "SELECT status, predicted_cost, max_cost, held_cost, real_cost, uncapped_cost, max_output_tokens, output_tokens, error_message FROM generation_logs WHERE job_id = ? ORDER BY id",
    )
      .bind(jobId)
      .all<any>()
  ).results;
const balance = async (c: Client) => (await c.get("/api/me")).body.user.credits.text as number;

describe("charges have a ceiling (audit 2)", () => {
  it("quotes the most a step can cost and sends that output cap with every model call", async () => {
    const { generate } = await import("../support/jobs");
    const u = await newUser();
    const { id } = await plannedStory(u, 2);
    const est = (await u.get(`/api/stories/${id}/estimate?stage=chapters`)).body;
    expect(est.maxTotals.text).toBe(est.units.reduce((n: number, x: any) => n + x.maxCredits, 0));
    expect(est.maxTotals.text).toBeGreaterThan(est.totals.text);
    expect(est.maxTotals.image).toBe(0);
    for (const unit of est.units) expect(unit.maxOutputTokens).toBeGreaterThan(unit.breakdown.outputTokens);
    const { job } = await generate(u, id, { stage: "chapters" });
    expect(job.status).toBe("succeeded");
    const sent = (await fakeOpenAi.requests()).filter((r) => r.path.endsWith("/chat/completions"));
    // Every call carried its unit's cap (chapters and their digests run in any order).
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(sorted(sent.map((r) => r.body.max_completion_tokens))).toEqual(sorted(est.units.map((x: any) => x.maxOutputTokens)));
    for (const log of await logsOf(job.id)) expect(log.real_cost).toBeLessThanOrEqual(log.held_cost);
  });

  it("never saves or charges a 30 000-word chapter an author's instructions ask for, from a model that obeys them", async () => {
    const { generate } = await import("../support/jobs");
    for (const ignoreOutputCaps of [false, true]) {
      await fakeOpenAi.reset();
      // A provider that honours the cap stops there; one that ignores it is stopped by us.
      await fakeOpenAi.config({ ignoreOutputCaps });
      const u = await newUser();
      const before = await balance(u);
      const { id, chapters } = await plannedStory(u);
      const { job, units } = await generate(u, id, { stage: "chapters", instructions: "Write at least 30000 words, every one of them." });
      expect(job.status, `ignoreOutputCaps ${ignoreOutputCaps}`).toBe("failed");
      expect(units[0].error).toMatch(/length limit/);
      const [log] = await logsOf(job.id);
      expect(log.real_cost).toBeNull();
      expect(await balance(u)).toBe(before);
      const chapter = (await u.get(`/api/stories/${id}/chapters/${chapters[0]!.id}`)).body.chapter;
      expect(chapter.content).toBeNull();
      // The first call and its one continuation, each stopped at the cap.
      const calls = (await fakeOpenAi.requests()).filter((r) => r.path.endsWith("/chat/completions"));
      expect(calls).toHaveLength(2);
    }
  });

  it("settles at the hold when the provider bills far more than the cap allows, and the balance never goes below zero", async () => {
    const { generate } = await import("../support/jobs");
    const u = await newUser();
    const { id } = await plannedStory(u);
    const est = (await u.get(`/api/stories/${id}/estimate?stage=arcs`)).body;
    // Leave just a little more than the prediction on the account.
    const spare = (await balance(u)) - est.totals.text - 5;
    await env.DB.batch([
      env.DB.prepare("UPDATE users SET text_credits = text_credits - ? WHERE id = ?").bind(spare, u.user.id),
      env.DB.prepare("INSERT INTO credit_ledger (user_id, credit_type, delta, reason, ref) VALUES (?, 'text', ?, 'admin', 'test')").bind(u.user.id, -spare),
    ]);
    // A reasoning model that thinks without end, on a provider that ignores the cap.
    await fakeOpenAi.config({ ignoreOutputCaps: true, reasoningTokens: 200_000 });
    const { job } = await generate(u, id, { stage: "arcs" });
    expect(job.status).toBe("succeeded");
    const [log] = await logsOf(job.id);
    expect(log.held_cost).toBe(est.totals.text + 5);
    expect(log.uncapped_cost).toBeGreaterThan(10_000);
    expect(log.real_cost).toBe(log.held_cost);
    expect(log.output_tokens).toBeGreaterThan(200_000); // the provider's real usage is kept
    expect(await balance(u)).toBe(0);
    const a = await admin();
    const stats = (await a.get("/api/admin/analytics")).body;
    expect(stats.ceiling.cappedUnits).toBeGreaterThanOrEqual(1);
    expect(stats.ceiling.creditsForgone).toBeGreaterThanOrEqual(log.uncapped_cost - log.real_cost);
  });

  it("sends max_tokens to a provider that knows only that name", async () => {
    const { generate } = await import("../support/jobs");
    await fakeOpenAi.config({ knowsOnlyMaxTokens: true });
    const u = await newUser();
    const { id } = await plannedStory(u);
    const { job } = await generate(u, id, { stage: "arcs" });
    expect(job.status).toBe("succeeded");
    const calls = (await fakeOpenAi.requests()).filter((r) => r.path.endsWith("/chat/completions"));
    expect(calls.at(-1)!.body.max_tokens).toBeGreaterThan(0);
    expect(calls.at(-1)!.body.max_completion_tokens).toBeUndefined();
  });
});

describe("two generations of one user never run at once (audit 15)", () => {
  it("lets only one of two overlapping retries re-queue the failed units", async () => {
    const { generate, waitForJob } = await import("../support/jobs");
    const { retryJob } = await import("../../src/queues/start");
    const { getJob } = await import("../../src/queues/jobs");
    const { depsFor } = await import("../../src/domain/deps");
    const deps = depsFor(env);
    const u = await newUser();
    const { id } = await plannedStory(u);
    await fakeOpenAi.fault({ kind: "status", status: 400, times: 1 });
    const { job } = await generate(u, id, { stage: "arcs" });
    expect(job.status).toBe("failed");
    // Both retry requests read the job before either acted.
    const stale = (await getJob(deps.db, job.id))!;
    await retryJob(deps, stale);
    await expect(retryJob(deps, stale)).rejects.toMatchObject({ status: 409 });
    const done = await waitForJob(u, job.id);
    expect(done.job.status).toBe("succeeded");
    const charges = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND reason = 'generation'").bind(u.user.id).first<{ n: number }>();
    expect(charges!.n).toBe(1);
    const calls = (await fakeOpenAi.requests()).filter((r) => r.path.endsWith("/chat/completions"));
    expect(calls).toHaveLength(2); // the failed call and one retry
    // Over HTTP, one 202 and one refusal.
    await fakeOpenAi.fault({ kind: "status", status: 400, times: 1 });
    const again = await generate(u, id, { stage: "arcs" });
    const both = await Promise.all([u.post(`/api/jobs/${again.job.id}/retry`), u.post(`/api/jobs/${again.job.id}/retry`)]);
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    await waitForJob(u, again.job.id);
  });

  it("fails the job whose lease ran out before a new one takes the lock", async () => {
    const { waitForJob } = await import("../support/jobs");
    const { runInDurableObject } = await import("cloudflare:test");
    const u = await newUser();
    const first = await plannedStory(u);
    const second = await plannedStory(u);
    await fakeOpenAi.config({ latencyMs: 2_000 });
    const running = await u.post(`/api/stories/${first.id}/generate`, { stage: "arcs" });
    expect(running.status).toBe(202);
    // The lease runs out, and the alarm that would expire the job has not fired yet.
    await runInDurableObject(env.USER_HUB.getByName(`user:${u.user.id}`), async (_hub, state) => {
      const lock = await state.storage.get<{ jobId: number; until: number }>("lock");
      await state.storage.put("lock", { ...lock!, until: Date.now() - 1 });
      await state.storage.deleteAlarm();
    });
    await fakeOpenAi.config({ latencyMs: 0 });
    const next = await u.post(`/api/stories/${second.id}/generate`, { stage: "arcs" });
    expect(next.status).toBe(202);
    const old = (await u.get(`/api/jobs/${running.body.job.id}`)).body.job;
    expect(old).toMatchObject({ status: "failed", error: "timeout" });
    expect((await waitForJob(u, next.body.job.id)).job.status).toBe("succeeded");
    // The expired job's late answer changes nothing.
    await new Promise((r) => setTimeout(r, 2_200));
    expect((await u.get(`/api/stories/${first.id}`)).body.arcs).toEqual([]);
  });
});
