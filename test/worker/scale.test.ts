// Reads that cost one D1 round trip, measured by the Server-Timing header every API answer
// carries, and the Sessions API bookmark that lets a replica serve them (docs/SCALE.md).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { users } from "../../src/domain/db/schema";
import { userHub } from "../../src/domain/hub";
import { SizedLru } from "../../src/core/lru";
import { anonymous, newStory, newUser, PASSWORD } from "../support/client";
import { generate } from "../support/jobs";

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
    // The story's batch: the session, the story's version with its row and parts, the chapter rows.
    expect(statements((await u.get(`/api/stories/${s.story.id}`)).headers)).toBe(3);
    expect(trips((await u.get("/api/health")).headers)).toBe(0);
    expect(statements((await u.get("/api/health")).headers)).toBe(0);
  });

  it("answers the workspace's other reads in one round trip too: the report, revisions, jobs, a job, social", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const id = s.story.id;
    const chapterId = s.chapters[0]!.id;
    for (const content of ["The first draft.", "The second draft."]) expect((await u.patch(`/api/stories/${id}/chapters/${chapterId}`, { content })).status).toBe(200);
    const { job } = await generate(u, id, { stage: "meta" });
    const reads = {
      report: `/api/stories/${id}/continuity`,
      revisions: `/api/stories/${id}/chapters/${chapterId}/revisions`,
      jobs: `/api/stories/${id}/jobs`,
      job: `/api/jobs/${job.id}`,
      social: `/api/stories/${id}/social`,
    };
    const got: Record<string, any> = {};
    for (const [name, path] of Object.entries(reads)) {
      const res = await u.get(path);
      expect(res.status, path).toBe(200);
      expect(trips(res.headers), path).toBe(1);
      got[name] = res.body;
    }
    // The same answers as before, now read in the session's batch.
    expect(got.report.chapters.map((c: any) => c.chapterId ?? c.id)).toEqual(s.chapters.map((c: any) => c.id));
    expect(got.revisions.revisions.map((r: any) => r.content)).toEqual(["The first draft."]);
    expect(got.jobs.jobs.map((j: any) => j.id)).toEqual([job.id]);
    expect(got.job.job.status).toBe("succeeded");
    expect(got.job.units.map((x: any) => x.stage)).toEqual(["meta"]);
    expect(got.social).toMatchObject({ favorited: false, reported: false, own: true });
    // Another author finds none of them, and a visitor is refused before any D1 work.
    const other = await newUser();
    for (const path of Object.values(reads)) {
      expect((await other.get(path)).status, path).toBe(404);
      const visitor = await anonymous().get(path);
      expect(visitor.status, path).toBe(401);
      expect(trips(visitor.headers), path).toBe(0);
    }
  });

  it("saves a chapter with its story and chapter looked up together, and answers without reading the chapter again", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const path = `/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`;
    const saved = await u.patch(path, { content: "She opened the door." });
    expect(saved.status).toBe(200);
    expect(saved.body.chapter.content).toBe("She opened the door.");
    // The caller; the story and the chapter; the last revision; what the checks read; the write; the answer.
    expect(trips(saved.headers)).toBe(6);
    const titled = await u.patch(path, { title: "The Door" });
    expect(titled.body.chapter.title).toBe("The Door");
    expect(trips(titled.headers)).toBe(4);
    expect((await newUser().then((o) => o.patch(path, { title: "Mine" }))).status).toBe(404);
    expect((await u.patch(`/api/stories/${s.story.id}/chapters/999999`, { title: "Nowhere" })).status).toBe(404);
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
    // A minute ago: the lookup, built once per isolate, compares with the time of each request.
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 60_000, u.user.id).run();
    expect((await u.get("/api/stories")).status).toBe(401);
    expect((await u.get(`/api/stories/${s.story.id}`)).status).toBe(401);
    expect((await u.get("/api/auth/session")).body.user).toBeNull();
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

const answer = (h: Headers) => h.get("server-timing")?.match(/answer;desc="(\w+)"/)?.[1];

describe("the story read's kept answer", () => {
  it("answers again from what it kept, until anything the read shows changes, however it changes", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const path = `/api/stories/${s.story.id}`;
    const [first, second] = s.chapters;
    const digest = { summary: "Mara finds the letters.", ending: { place: "The light", time: "Dusk", present: [], lastBeat: "She reads." }, states: [], facts: [], threadsOpened: [], threadsClosed: [], firstMeetings: [] };
    const read = async () => {
      const res = await u.get(path);
      expect(res.status).toBe(200);
      return { body: res.body, answer: answer(res.headers) };
    };
    const fresh = await read();
    expect(fresh.answer).toBe("fresh");
    const again = await read();
    expect(again).toEqual({ body: fresh.body, answer: "kept" });

    // Each change, made through the API or straight in the database (as the queue consumer, an
    // admin or a cascade would), shows in the very next read.
    const changes: [string, () => Promise<unknown>, (b: any) => unknown, unknown][] = [
      ["the story row", () => u.patch(path, { title: "Renamed" }), (b) => b.story.title, "Renamed"],
      ["a chapter through the API", () => u.patch(`${path}/chapters/${first!.id}`, { title: "Ashore" }), (b) => b.chapters[0].title, "Ashore"],
      ["a chapter in SQL", () => env.DB.prepare("UPDATE chapters SET word_count = 1234 WHERE id = ?").bind(second!.id).run(), (b) => b.chapters[1].wordCount, 1234],
      ["the cast", () => env.DB.prepare("INSERT INTO characters (story_id, name, description, position) VALUES (?, 'Mara', 'The keeper', 9)").bind(s.story.id).run(), (b) => b.characters.map((c: any) => c.name).includes("Mara"), true],
      ["a place", () => env.DB.prepare("INSERT INTO locations (story_id, name, description, position) VALUES (?, 'The light', 'A tower', 9)").bind(s.story.id).run(), (b) => b.locations.map((l: any) => l.name).includes("The light"), true],
      ["the arcs", () => env.DB.prepare("INSERT INTO story_arcs (story_id, text, position) VALUES (?, 'The town returns', 0)").bind(s.story.id).run(), (b) => b.arcs, ["The town returns"]],
      ["a digest", () => env.DB.prepare("INSERT INTO chapter_digests (chapter_id, content_hash, digest, source) VALUES (?, 'h', ?, 'edited')").bind(first!.id, JSON.stringify(digest)).run(), (b) => b.chapters[0].hasDigest, true],
      ["a tag's name", () => env.DB.prepare("UPDATE tags SET name = name || ' (renamed)' WHERE id IN (SELECT tag_id FROM story_tags WHERE story_id = ?)").bind(s.story.id).run(), (b) => b.story.tags.every((t: string) => t.endsWith(" (renamed)")) && b.story.tags.length > 0, true],
      ["the story's tags", () => env.DB.prepare("DELETE FROM story_tags WHERE story_id = ?").bind(s.story.id).run(), (b) => b.story.tags, []],
      ["the author's name", () => env.DB.prepare("UPDATE users SET username = username || 'x' WHERE id = ?").bind(u.user.id).run(), (b) => b.story.author, `${u.user.username}x`],
      ["a deleted chapter", () => u.del(`${path}/chapters/${second!.id}`), (b) => b.chapters.map((c: any) => c.id).includes(second!.id), false],
    ];
    for (const [what, change, shown, expected] of changes) {
      await change();
      const after = await read();
      expect(after.answer, what).toBe("fresh");
      expect(shown(after.body), what).toEqual(expected);
      expect((await read()).answer, what).toBe("kept");
    }
    // A fresh read through the version's join is, field by field, the detail a write answers with
    // (prose, digest, timestamps and all).
    await u.patch(`${path}/chapters/${first!.id}`, { content: "The author's own words, saved from the editor, long enough to count." });
    const written = await u.patch(path, { title: "Renamed again" });
    const reread = await read();
    expect(reread.answer).toBe("fresh");
    expect(reread.body.chapters[0]).toMatchObject({ hasContent: true, hasDigest: true, digestStale: true });
    expect(reread.body).toEqual(written.body);
    // Nothing in between: the kept answer is still the one a fresh read gives.
    const kept = await read();
    await env.DB.prepare("UPDATE stories SET updated_at = updated_at WHERE id = ?").bind(s.story.id).run();
    expect((await read()).body).toEqual(kept.body);
  });

  it("keeps a chapter's answer the same way, prose and all, until anything in its story changes", async () => {
    const u = await newUser();
    const s = await newStory(u, { shared: false });
    const path = `/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`;
    const saved = await u.patch(path, { content: "The keeper's first words, saved from the editor, long enough to count." });
    const fresh = await u.get(path);
    expect(answer(fresh.headers)).toBe("fresh");
    // The same detail the save answered with, which reads its rows the other way.
    expect(fresh.body).toEqual(saved.body);
    const again = await u.get(path);
    expect(answer(again.headers)).toBe("kept");
    expect(again.body).toEqual(fresh.body);
    // Another author may not read it, kept or not.
    expect((await (await newUser()).get(path)).status).toBe(404);
    // New prose shows at once; so does a change elsewhere in the story.
    await u.patch(path, { content: "Different words now, saved again, and still long enough to count." });
    const edited = await u.get(path);
    expect([answer(edited.headers), edited.body.chapter.content]).toEqual(["fresh", "Different words now, saved again, and still long enough to count."]);
    await env.DB.prepare("UPDATE chapters SET title = 'Landfall' WHERE id = ?").bind(s.chapters[1]!.id).run();
    expect(answer((await u.get(path)).headers)).toBe("fresh");
    expect(answer((await u.get(path)).headers)).toBe("kept");
  });

  it("still answers only those who may read the story, by the story as it is now", async () => {
    const u = await newUser();
    const s = await newStory(u, { shared: true });
    const path = `/api/stories/${s.story.id}`;
    const other = await newUser();
    expect((await u.get(path)).status).toBe(200);
    const shared = await other.get(path);
    expect([shared.status, answer(shared.headers)]).toEqual([200, "kept"]);
    // Unshared: the author's next read keeps the new answer, which the other author may not read.
    await u.patch(path, { shared: false });
    expect(answer((await u.get(path)).headers)).toBe("fresh");
    const refused = await other.get(path);
    expect(refused.status).toBe(404);
    expect(refused.body.error.message).not.toContain(s.story.title);
    // Deleted: nobody gets the kept answer, the author included.
    await u.del(path);
    expect((await u.get(path)).status).toBe(404);
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

describe("the kept answers' budget", () => {
  it("drops the least recently read answers first, and only as many as it must", () => {
    const kept = new SizedLru<string>(100, 50);
    for (const k of ["a", "b", "c", "d"]) kept.set(k, k, 25);
    expect(kept.size).toBe(100);
    expect(kept.get("a")).toBe("a"); // read again: now the most recent
    kept.set("e", "e", 25);
    expect(kept.get("b")).toBeUndefined();
    expect(kept.size).toBe(100);
    // One larger answer pushes out as many of the oldest as it needs: c and d (a was read since).
    kept.set("f", "f", 45);
    expect(["c", "d"].map((k) => kept.get(k))).toEqual([undefined, undefined]);
    expect(["a", "e", "f"].map((k) => kept.get(k))).toEqual(["a", "e", "f"]);
    expect(kept.size).toBe(95);
  });

  it("counts a replaced answer once, and never keeps one larger than a quarter of the budget", () => {
    const kept = new SizedLru<string>(100);
    kept.set("a", "old", 20);
    kept.set("a", "new", 10);
    expect(kept.size).toBe(10);
    expect(kept.get("a")).toBe("new");
    // Too large to keep: the old answer goes too, since it is no longer the story's.
    kept.set("a", "huge", 26);
    expect(kept.get("a")).toBeUndefined();
    expect(kept.size).toBe(0);
    kept.delete("missing");
    expect(kept.size).toBe(0);
  });
});
