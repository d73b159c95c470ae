// Reads that cost one D1 round trip, measured by the Server-Timing header every API answer
// carries, and the Sessions API bookmark that lets a replica serve them (docs/SCALE.md).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { users } from "../../src/domain/db/schema";
import { userHub } from "../../src/domain/hub";
import { anonymous, newStory, newUser, PASSWORD } from "../support/client";

const userHubConnections = (e: Env, userId: number) => userHub(e, userId).connections();

const d1 = (h: Headers, i: 1 | 2) => Number(h.get("server-timing")?.match(/d1;desc="(\d+) round trips?, (\d+) statements?"/)?.[i] ?? NaN);
const trips = (h: Headers) => d1(h, 1);
const statements = (h: Headers) => d1(h, 2);

describe("round trips per read", () => {
  it("answers the reads an author makes most in one round trip, the caller's session included", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const chapterId = s.chapters[0]!.id;
    for (const path of ["/api/auth/session", "/api/stories", `/api/stories/${s.story.id}`, `/api/stories/${s.story.id}/chapters/${chapterId}`]) {
      const res = await u.get(path);
      expect(res.status, path).toBe(200);
      expect(trips(res.headers), path).toBe(1);
      expect(res.headers.get("server-timing")).toMatch(/total;dur=\d+(\.\d)?/);
    }
    expect((await u.get("/api/stories")).body.stories.map((x: any) => x.id)).toEqual([s.story.id]);
    // The story's batch: the session, the story row with its parts, the chapter rows.
    expect(statements((await u.get(`/api/stories/${s.story.id}`)).headers)).toBe(3);
    expect(trips((await u.get("/api/health")).headers)).toBe(0);
    expect(statements((await u.get("/api/health")).headers)).toBe(0);
  });

  it("still refuses visitors, other authors and locked accounts, without reading their data first", async () => {
    const u = await newUser();
    const s = await newStory(u, { shared: false });
    const visitor = await anonymous().get(`/api/stories/${s.story.id}`);
    expect(visitor.status).toBe(401);
    expect(trips(visitor.headers)).toBe(0);
    const other = await newUser();
    expect((await other.get(`/api/stories/${s.story.id}`)).status).toBe(404);
    expect((await other.get(`/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`)).status).toBe(404);
    expect((await other.get("/api/stories")).body.stories).toEqual([]);
    await env.DB.prepare("UPDATE users SET is_locked = 1 WHERE id = ?").bind(u.user.id).run();
    const locked = await u.get(`/api/stories/${s.story.id}`);
    expect(locked.status).toBe(403);
    expect(locked.body.error.code).toBe("account_locked");
    // An expired session is a visitor's.
    await env.DB.prepare("UPDATE users SET is_locked = 0 WHERE id = ?").bind(u.user.id).run();
    await env.DB.prepare("UPDATE sessions SET expires_at = 0 WHERE user_id = ?").bind(u.user.id).run();
    expect((await u.get("/api/stories")).status).toBe(401);
  });

  it("carries the D1 bookmark of the caller's writes, so their next read sees them wherever it is served", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const write = await u.patch(`/api/stories/${s.story.id}`, { title: "Renamed" });
    const bookmark = write.headers.get("x-d1-bookmark");
    expect(bookmark).toBeTruthy();
    expect(write.headers.get("set-cookie")).toContain("novel_d1=");
    const read = await u.get(`/api/stories/${s.story.id}`, { "x-d1-bookmark": bookmark! });
    expect(read.body.story.title).toBe("Renamed");
    expect(trips(read.headers)).toBe(1);
  });

  it("gives a bookmark to whoever signs in, and none to a visitor, whose answers must not tell a write happened", async () => {
    const name = `bm${Date.now().toString(36)}`;
    const joined = await anonymous().post("/api/auth/register", { username: name, email: `${name}@example.com`, password: PASSWORD });
    expect(joined.status).toBe(201);
    expect(joined.headers.get("x-d1-bookmark")).toBeTruthy();
    const visitor = await anonymous().post("/api/auth/login", { login: name, password: "wrong password here" });
    expect(visitor.status).toBe(401);
    expect(visitor.headers.get("x-d1-bookmark")).toBeNull();
    expect(visitor.headers.get("set-cookie") ?? "").not.toContain("novel_d1=");
  });
});

describe("what a queue batch costs", () => {
  it("counts a batch's D1 statements and rows written, its UserHub calls and its R2 operations, for the line it logs", async () => {
    const { batchDeps } = await import("../../src/domain/deps");
    const { publish } = await import("../../src/domain/hub");
    const { countedEnv } = await import("../../src/queues/cost");
    const { event } = await import("../../src/shared/events");
    const u = await newUser();
    const deps = batchDeps(env);
    const me = eq(users.id, u.user.id);
    await deps.db.batch([deps.db.update(users).set({ textCredits: sql`text_credits` }).where(me), deps.db.select({ id: users.id }).from(users).where(me)]);
    await deps.db.update(users).set({ imageCredits: sql`image_credits` }).where(me);
    expect(deps.meter).toMatchObject({ trips: 2, statements: 3, rowsWritten: 2 });

    const counted = countedEnv(env);
    await publish(counted.env, u.user.id, event("chapter_delta", { storyId: 1, chapterId: 1, text: "a" }));
    expect(await userHubConnections(counted.env, u.user.id)).toBe(0);
    await counted.env.FILES.put("cost-test/a", "x");
    expect(await (await counted.env.FILES.get("cost-test/a"))!.text()).toBe("x");
    await counted.env.FILES.list({ prefix: "cost-test/" });
    await counted.env.FILES.delete("cost-test/a");
    expect(counted.cost).toEqual({ hubCalls: 2, r2ClassA: 2, r2ClassB: 1 });
  });

  it("reads the prices once for all the units of a batch, and afresh for every request", async () => {
    const { batchDeps, depsFor } = await import("../../src/domain/deps");
    const deps = batchDeps(env);
    const [first, second] = await Promise.all([deps.prices(), deps.prices()]);
    await deps.prices();
    expect(second).toBe(first);
    expect(deps.meter.statements).toBe(3);
    // Outside a batch an admin's change applies at once.
    const request = depsFor(env);
    const before = await request.prices();
    await env.DB.prepare("UPDATE stage_config SET predicted_output_tokens = predicted_output_tokens + 1 WHERE stage = 'chapters'").run();
    try {
      expect((await request.prices()).stages.chapters.predictedOutputTokens).toBe(before.stages.chapters.predictedOutputTokens + 1);
      expect((await deps.prices()).stages.chapters.predictedOutputTokens).toBe(before.stages.chapters.predictedOutputTokens);
    } finally {
      await env.DB.prepare("UPDATE stage_config SET predicted_output_tokens = predicted_output_tokens - 1 WHERE stage = 'chapters'").run();
    }
  });
});
