import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UserHub } from "../../src/durable/user-hub";
import { deliver as runUnit } from "../../src/queues";
import { deltaBuffer } from "../../src/queues/deltas";
import { anonymous, grantCredits, newStory, newUser, type Client } from "../support/client";
import { fakeOpenAi, proseOf } from "../support/fake-openai";
import { generate, waitForJob } from "../support/jobs";
import { openTab, type Tab } from "../support/ws";

const tabs: Tab[] = [];
beforeEach(async () => {
  await fakeOpenAi.reset();
});
afterEach(() => {
  for (const t of tabs.splice(0)) t.close();
});

async function tab(c: Client) {
  const t = await openTab(c);
  tabs.push(t);
  return t;
}

const balance = async (c: Client) => (await c.get("/api/me")).body.user.credits as { text: number; image: number };
const ledgerSum = async (userId: number, type = "text") =>
  (await env.DB.prepare("SELECT coalesce(sum(delta), 0) AS n FROM credit_ledger WHERE user_id = ? AND credit_type = ?").bind(userId, type).first<{ n: number }>())!.n;
const logRows = async (jobId: number) =>
  (await env.DB.prepare("SELECT unit, status, real_cost, attempts FROM generation_logs WHERE job_id = ? ORDER BY id").bind(jobId).all()).results as any[];

/** A story that already has its cast and outline, ready for beats and prose. */
async function plannedStory(c: Client, chapters = 2) {
  const s = await newStory(c, { chaptersCount: chapters });
  await generate(c, s.story.id, { stage: "meta" });
  await generate(c, s.story.id, { stage: "summaries" });
  return (await c.get(`/api/stories/${s.story.id}`)).body as import("../../src/shared/api").StoryDetail;
}

describe("live events", () => {
  it("sends every stage's events to every open tab of the author and to nobody else", async () => {
    const u = await newUser();
    await grantCredits(u, 5000, 10);
    const tabA = await tab(u);
    const tabB = await tab(u);
    const stranger = await tab(await newUser());
    const s = await newStory(u, { chaptersCount: 2 });
    const id = s.story.id;

    const { job } = await generate(u, id, { stage: "meta" });
    const meta = await tabA.waitFor((e) => e.event === "meta_generated");
    expect(meta.data).toMatchObject({ storyId: id, characters: expect.arrayContaining([expect.objectContaining({ name: "Ada Quill" })]) });
    await tabA.waitFor((e) => e.event === "job_finished" && e.data.job.id === job.id);
    await tabB.waitFor((e) => e.event === "job_finished" && e.data.job.id === job.id);
    const started = tabA.events.find((e) => e.event === "job_started");
    expect(started?.data).toMatchObject({ job: { id: job.id, stage: "meta" } });
    const credits = tabA.events.find((e) => e.event === "credits_updated");
    expect(credits?.data).toEqual(await balance(u));
    const progress = tabA.events.filter((e) => e.event === "job_progress").map((e) => e.data);
    expect(progress).toEqual([
      { jobId: job.id, storyId: id, stage: "meta", done: 0, failed: 0, total: 1 },
      { jobId: job.id, storyId: id, stage: "meta", done: 1, failed: 0, total: 1 },
    ]);

    await generate(u, id, { stage: "summaries" });
    const outline = await tabA.waitFor((e) => e.event === "summaries_generated");
    expect(outline.data).toMatchObject({ storyId: id, chapters: [{ number: 1, title: "Low Tide 1" }, { number: 2 }] });

    await generate(u, id, { stage: "arcs" });
    expect((await tabA.waitFor((e) => e.event === "arcs_generated")).data).toMatchObject({ storyId: id, arcs: expect.any(Array) });

    await generate(u, id, { stage: "guides" });
    const guide = await tabA.waitFor((e) => e.event === "chapter_guide_generated");
    expect(guide.data).toMatchObject({ storyId: id, parts: expect.any(Array), dropped: [] });

    const chapterId = s.chapters[0]!.id;
    await generate(u, id, { stage: "chapters", chapterIds: [chapterId] });
    const deltas = tabA.events.filter((e) => e.event === "chapter_delta" && e.data.chapterId === chapterId);
    expect(deltas.length).toBeGreaterThan(0);
    const written = await tabA.waitFor((e) => e.event === "chapter_generated");
    expect(written.data).toMatchObject({ storyId: id, chapterId, number: 1 });
    // The streamed deltas add up to the stored chapter.
    const streamed = deltas.map((e) => (e.data as { text: string }).text).join("");
    expect(streamed.trim()).toBe((written.data as { content: string }).content);

    await generate(u, id, { stage: "chapter_image", chapterIds: [chapterId] });
    const image = await tabA.waitFor((e) => e.event === "image_generated");
    expect(image.data).toMatchObject({ storyId: id, kind: "chapter", chapterId, url: expect.stringMatching(`/api/images/${id}/chapters/${chapterId}`) });

    expect(stranger.events).toEqual([]);
  });

  it("refuses a cookie-authenticated socket from another site, and takes ?token= for scripts", async () => {
    const u = await newUser();
    await expect(openTab(u, { origin: "https://evil.example" })).rejects.toThrow(/403/);
    await expect(openTab(anonymous())).rejects.toThrow(/401/);
    const token = (await u.post("/api/me/tokens", { name: "ws" })).body.token.token;
    const { exports } = await import("cloudflare:workers");
    const res = await exports.default.fetch(`http://localhost/api/ws?token=${token}`, { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close(1000);
  });

  it("streams a batch's deltas even when an earlier batch ended with its hub call unanswered", async () => {
    // Locally one queue batch runs at a time: a batch that waited on a call another batch made
    // (which workerd never settles once that batch is over) stalled every book after it.
    const u = await newUser();
    const tab = await openTab(u);
    const unanswered = { ...env, USER_HUB: { getByName: () => ({ publishMany: () => new Promise(() => {}) }) } } as unknown as Env;
    const earlier = deltaBuffer(unanswered);
    earlier.push(u.user.id, 1, 1, "lost with its batch");
    void earlier.flush(u.user.id);
    const next = deltaBuffer(env);
    next.push(u.user.id, 1, 2, "the next batch's words");
    const sent = await Promise.race([next.flush(u.user.id).then(() => "sent"), new Promise((r) => setTimeout(() => r("stuck"), 2000))]);
    expect(sent).toBe("sent");
    expect((await tab.waitFor((e) => e.event === "chapter_delta")).data).toMatchObject({ chapterId: 2, text: "the next batch's words" });
    tab.close();
  });
});

describe("the generation lock", () => {
  it("allows one generation per user at a time: 409 with the holding job, then free again", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await newStory(u);
    await fakeOpenAi.config({ latencyMs: 800 });
    const first = await u.post(`/api/stories/${s.story.id}/generate`, { stage: "meta" });
    expect(first.status).toBe(202);
    const other = await newStory(u);
    const second = await u.post(`/api/stories/${other.story.id}/generate`, { stage: "cover" });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: "generation_in_progress", job: { id: first.body.job.id } });
    await waitForJob(u, first.body.job.id);
    await fakeOpenAi.config({ latencyMs: 0 });
    expect((await u.post(`/api/stories/${other.story.id}/generate`, { stage: "cover" })).status).toBe(202);
  });

  it("gives exactly one 202 to many simultaneous requests", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await newStory(u);
    await fakeOpenAi.config({ latencyMs: 300 });
    const results = await Promise.all(Array.from({ length: 8 }, () => u.post(`/api/stories/${s.story.id}/generate`, { stage: "meta" })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((x) => x === 202)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(7);
    const jobs = (await u.get(`/api/stories/${s.story.id}/jobs`)).body.jobs;
    expect(jobs).toHaveLength(1);
    await waitForJob(u, jobs[0].id);
  });

  it("expires with its TTL: the job fails with a timeout, the browser is told, and a late result is discarded", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const t = await tab(u);
    const s = await newStory(u);
    await fakeOpenAi.config({ latencyMs: 1500 });
    const res = await u.post(`/api/stories/${s.story.id}/generate`, { stage: "meta" });
    const jobId = res.body.job.id;
    const before = await balance(u);
    const hub = env.USER_HUB.getByName(`user:${u.user.id}`);
    await runInDurableObject(hub, async (_: UserHub, state) => {
      const lock = (await state.storage.get<{ jobId: number; until: number }>("lock"))!;
      expect(lock.jobId).toBe(jobId);
      await state.storage.put("lock", { ...lock, until: Date.now() - 1 });
    });
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    const { job } = await waitForJob(u, jobId);
    expect(job).toMatchObject({ status: "failed", error: "timeout" });
    await t.waitFor((e) => e.event === "generation_error" && e.data.jobId === jobId);
    await t.waitFor((e) => e.event === "job_finished" && e.data.job.id === jobId);
    // The model answers after the expiry: its commit is refused, so nothing is written or charged.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await balance(u)).toEqual(before);
    expect((await u.get(`/api/stories/${s.story.id}`)).body.characters).toEqual([]);
    expect(await runInDurableObject(hub, (h: UserHub) => h.getLock())).toBeNull();
    await fakeOpenAi.config({ latencyMs: 0 });
    const again = await u.post(`/api/stories/${s.story.id}/generate`, { stage: "meta" });
    expect(again.status).toBe(202);
    expect((await waitForJob(u, again.body.job.id)).job.status).toBe("succeeded");
  });

  it("is released only by the job that holds it", async () => {
    const hub = env.USER_HUB.getByName("user:lock-test");
    expect(await hub.acquireLock(1, 60_000)).toEqual({ ok: true });
    expect(await hub.acquireLock(2, 60_000)).toEqual({ ok: false, jobId: 1 });
    expect(await hub.releaseLock(2)).toBe(false);
    expect(await hub.extendLock(2, 60_000)).toBe(false);
    expect(await hub.releaseLock(1)).toBe(true);
    expect(await hub.acquireLock(2, 60_000)).toEqual({ ok: true });
    expect(await hub.releaseLock(2)).toBe(true);
    await runDurableObjectAlarm(hub);
  });
});

describe("faults", () => {
  it("retries a 429 and a 500 from the provider, then succeeds", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await newStory(u);
    await fakeOpenAi.fault({ kind: "status", status: 429, match: "story_meta" });
    await fakeOpenAi.fault({ kind: "status", status: 500, match: "story_meta" });
    const { job } = await generate(u, s.story.id, { stage: "meta" });
    expect(job.status).toBe("succeeded");
    const calls = (await fakeOpenAi.requests()).filter((r) => r.body.response_format?.json_schema?.name === "story_meta");
    expect(calls).toHaveLength(3);
    expect((await u.get(`/api/stories/${s.story.id}`)).body.characters.length).toBeGreaterThan(0);
  });

  it("fails a unit on a permanent error: earlier artifacts stay, nothing is charged, the lock is released, the browser is told", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await plannedStory(u, 2);
    const t = await tab(u);
    const before = (await u.get(`/api/stories/${s.story.id}`)).body;
    const credits = await balance(u);
    await fakeOpenAi.fault({ kind: "status", status: 400, match: "chapter_summaries" });
    const { job, units } = await generate(u, s.story.id, { stage: "summaries" });
    expect(job).toMatchObject({ status: "failed", actualCost: 0, unitsFailed: 1 });
    expect(units[0]).toMatchObject({ status: "failed", realCost: null });
    expect(units[0].error).toMatch(/400/);
    expect((await u.get(`/api/stories/${s.story.id}`)).body).toEqual(before);
    expect(await balance(u)).toEqual(credits);
    const err = await t.waitFor((e) => e.event === "generation_error");
    expect(err.data).toMatchObject({ storyId: s.story.id, jobId: job.id, stage: "summaries", chapterId: null });
    expect((await u.post(`/api/stories/${s.story.id}/generate`, { stage: "arcs" })).status).toBe(202);
  });

  it("names the chapter whose unit failed, and keeps the others", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await plannedStory(u, 2);
    const t = await tab(u);
    await fakeOpenAi.fault({ kind: "status", status: 400, match: proseOf(2) });
    const { job } = await generate(u, s.story.id, { stage: "chapters", mode: "parallel" });
    expect(job).toMatchObject({ status: "partial", unitsDone: 1, unitsFailed: 1 });
    const err = await t.waitFor((e) => e.event === "generation_error");
    expect(err.data).toMatchObject({ stage: "chapters", chapterId: s.chapters[1]!.id });
    const chapters = (await u.get(`/api/stories/${s.story.id}`)).body.chapters;
    expect(chapters.map((c: any) => c.hasContent)).toEqual([true, false]);
  });

  it("repairs an invalid JSON answer once, and fails clearly when it happens twice", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await newStory(u);
    await fakeOpenAi.fault({ kind: "invalid_json", match: "story_meta" });
    const ok = await generate(u, s.story.id, { stage: "meta" });
    expect(ok.job.status).toBe("succeeded");
    const repair = (await fakeOpenAi.requests()).at(-1)!.body.messages.at(-1).content;
    expect(repair).toMatch(/cannot be used: The reply is not valid JSON/);

    const s2 = await newStory(u);
    await fakeOpenAi.fault({ kind: "invalid_json", match: "story_meta", times: 2 });
    const bad = await generate(u, s2.story.id, { stage: "meta" });
    expect(bad.job.status).toBe("failed");
    expect(bad.units[0].error).toMatch(/unusable twice/);
    expect((await u.get(`/api/stories/${s2.story.id}`)).body.characters).toEqual([]);
  });

  it("writes nothing of a truncated stream and charges nothing for it", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await plannedStory(u, 1);
    const chapterId = s.chapters[0]!.id;
    await u.patch(`/api/stories/${s.story.id}/chapters/${chapterId}`, { content: "The author's own draft." });
    const credits = await balance(u);
    await fakeOpenAi.fault({ kind: "truncate", match: proseOf(1) });
    const { job, units } = await generate(u, s.story.id, { stage: "chapters" });
    expect(job.status).toBe("failed");
    expect(units[0].error).toMatch(/stream ended/);
    const ch = (await u.get(`/api/stories/${s.story.id}/chapters/${chapterId}`)).body.chapter;
    expect(ch.content).toBe("The author's own draft.");
    expect((await u.get(`/api/stories/${s.story.id}/chapters/${chapterId}/revisions`)).body.revisions).toEqual([]);
    expect(await balance(u)).toEqual(credits);
  });

  it("changes nothing when a finished unit's message is delivered again, or twice at once", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await newStory(u);
    const { job } = await generate(u, s.story.id, { stage: "meta" });
    const after = await balance(u);
    const rows = await logRows(job.id);
    await env.GENERATION_QUEUE.send({ jobId: job.id, unit: "meta" });
    await runUnit(env, { jobId: job.id, unit: "meta" });
    await new Promise((r) => setTimeout(r, 300));
    expect(await balance(u)).toEqual(after);
    expect(await logRows(job.id)).toEqual(rows);
    expect(await ledgerSum(u.user.id)).toBe(after.text);

    // Two deliveries of a pending unit racing each other: one commit, one charge.
    const s2 = await newStory(u);
    const jobId = (await env.DB.prepare(
      "INSERT INTO generation_jobs (user_id, story_id, stage, status, current_stage, units_total) VALUES (?, ?, 'meta', 'queued', 'meta', 1) RETURNING id",
    ).bind(u.user.id, s2.story.id).first<{ id: number }>())!.id;
    const logId = (await env.DB.prepare(
      "INSERT INTO generation_logs (user_id, job_id, story_id, stage, unit, generation_type, credit_type, model, predicted_cost) VALUES (?, ?, ?, 'meta', 'meta', 'meta', 'text', 'gpt-4o-mini', 100) RETURNING id",
    ).bind(u.user.id, jobId, s2.story.id).first<{ id: number }>())!.id;
    const mid = await balance(u);
    await Promise.all([runUnit(env, { jobId, unit: "meta" }), runUnit(env, { jobId, unit: "meta" })]);
    const charged = (await env.DB.prepare("SELECT delta FROM credit_ledger WHERE ref = ?").bind(`log:${logId}`).all()).results;
    expect(charged).toHaveLength(1);
    expect((await balance(u)).text).toBe(mid.text + (charged[0] as { delta: number }).delta);
    expect(await ledgerSum(u.user.id)).toBe((await balance(u)).text);
    expect((await logRows(jobId))[0]).toMatchObject({ status: "succeeded" });
  });
});

describe("accepting work", () => {
  it("names what is missing before anything is queued", async () => {
    const u = await newUser();
    const s = await newStory(u);
    for (const [stage, missing] of [
      ["summaries", "characters and places"],
      ["arcs", "an outline"],
      ["guides", "an outline"],
      ["chapters", "an outline"],
    ] as const) {
      const res = await u.post(`/api/stories/${s.story.id}/generate`, { stage });
      expect(res.status, stage).toBe(400);
      expect(res.body.error).toMatchObject({ code: "missing_prerequisites", missing: [missing] });
    }
    expect((await u.get(`/api/stories/${s.story.id}/jobs`)).body.jobs).toEqual([]);
  });

  it("validates the request", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const other = await newStory(u);
    for (const [body, field] of [
      [{}, "stage"],
      [{ stage: "everything" }, "stage"],
      [{ stage: "chapters", chapterIds: [] }, "chapterIds"],
      [{ stage: "chapters", chapterIds: ["1"] }, "chapterIds.0"],
      [{ stage: "chapters", chapterIds: [other.chapters[0]!.id] }, "chapterIds.0"],
      [{ stage: "meta", chapterIds: [s.chapters[0]!.id] }, "chapterIds"],
      [{ stage: "cover", prompt: "x".repeat(4001) }, "prompt"],
      [{ stage: "meta", priority: "high" }, "priority"],
    ] as const) {
      const res = await u.post(`/api/stories/${s.story.id}/generate`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields[field], JSON.stringify(res.body)).toBeTruthy();
    }
    expect((await u.get(`/api/stories/${s.story.id}/jobs`)).body.jobs).toEqual([]);
  });

  it("cancels the units not started yet; running ones finish", async () => {
    const u = await newUser();
    await grantCredits(u, 20_000);
    const s = await plannedStory(u, 6);
    await fakeOpenAi.config({ latencyMs: 600 });
    const res = await u.post(`/api/stories/${s.story.id}/generate`, { stage: "guides" });
    await new Promise((r) => setTimeout(r, 200));
    const cancel = await u.post(`/api/jobs/${res.body.job.id}/cancel`);
    expect(cancel.status).toBe(200);
    const { job, units } = await waitForJob(u, res.body.job.id);
    expect(job.status).toBe("cancelled");
    // GENERATION_CONCURRENCY is 4 in tests: those were running and finished.
    expect(units.filter((x: any) => x.status === "succeeded").length).toBeLessThanOrEqual(4);
    expect(units.filter((x: any) => x.status === "cancelled").length).toBeGreaterThanOrEqual(2);
    expect((await u.post(`/api/jobs/${res.body.job.id}/cancel`)).status).toBe(409);
  });

  it("keeps jobs and images private to their owner", async () => {
    const u = await newUser();
    await grantCredits(u, 5000, 10);
    const s = await newStory(u);
    const { job } = await generate(u, s.story.id, { stage: "cover" });
    const stranger = await newUser();
    expect((await stranger.get(`/api/jobs/${job.id}`)).status).toBe(404);
    expect((await stranger.post(`/api/jobs/${job.id}/cancel`)).status).toBe(404);
    expect((await stranger.post(`/api/jobs/${job.id}/retry`)).status).toBe(404);
    expect((await stranger.get(`/api/images/${s.story.id}/cover`)).status).toBe(404);
    expect((await anonymous().get(`/api/jobs/${job.id}`)).status).toBe(401);
    const img = await u.get(`/api/images/${s.story.id}/cover`);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    const etag = img.headers.get("etag")!;
    expect((await u.get(`/api/images/${s.story.id}/cover`, { "if-none-match": etag })).status).toBe(304);
  });

  it("paints from a prompt composed from the story or the beats, unless the author writes their own", async () => {
    const u = await newUser();
    await grantCredits(u, 5000, 10);
    const s = await plannedStory(u, 1);
    await generate(u, s.story.id, { stage: "guides" });
    const d = (await u.get(`/api/stories/${s.story.id}`)).body;
    expect(d.defaultCoverPrompt).toContain('"The Lighthouse Keeper"');
    expect(d.defaultCoverPrompt).toContain("Ada Quill");
    const ch = (await u.get(`/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`)).body.chapter;
    expect(ch.defaultImagePrompt).toContain(`chapter 1, "${ch.title}"`);
    expect(ch.defaultImagePrompt).toContain(ch.guide[0].text.slice(0, 40));

    await generate(u, s.story.id, { stage: "cover" });
    const painted = () => fakeOpenAi.requests().then((rs) => rs.filter((r) => r.path.endsWith("/images/generations")).at(-1)!.body);
    expect((await painted()).prompt).toBe(d.defaultCoverPrompt);
    await generate(u, s.story.id, { stage: "chapter_image", chapterIds: [ch.id] });
    expect((await painted()).prompt).toBe(ch.defaultImagePrompt);

    await u.patch(`/api/stories/${s.story.id}/chapters/${ch.id}`, { imagePrompt: "A lamp in the fog" });
    await generate(u, s.story.id, { stage: "chapter_image", chapterIds: [ch.id] });
    expect((await painted()).prompt).toBe("A lamp in the fog");
    await generate(u, s.story.id, { stage: "cover", prompt: "Storm over the point" });
    expect((await painted()).prompt).toBe("Storm over the point");
    expect((await u.get(`/api/stories/${s.story.id}`)).body.story.coverImagePrompt).toBe("Storm over the point");
  });

  it("fails a unit whose message reached the dead-letter queue, finishing the job and freeing the lock", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const jobId = (await env.DB.prepare(
      "INSERT INTO generation_jobs (user_id, story_id, stage, status, current_stage, units_total) VALUES (?, ?, 'meta', 'running', 'meta', 1) RETURNING id",
    ).bind(u.user.id, s.story.id).first<{ id: number }>())!.id;
    await env.DB.prepare(
      "INSERT INTO generation_logs (user_id, job_id, story_id, stage, unit, generation_type, credit_type, model, predicted_cost, dispatched_at, started_at) VALUES (?, ?, ?, 'meta', 'meta', 'meta', 'text', 'gpt-4o-mini', 100, 1, 1)",
    ).bind(u.user.id, jobId, s.story.id).run();
    const hub = env.USER_HUB.getByName(`user:${u.user.id}`);
    await hub.acquireLock(jobId, 60_000);
    const t = await tab(u);
    const { exports } = await import("cloudflare:workers");
    const result = await exports.default.queue("generation-dlq", [
      { id: "dlq-1", timestamp: new Date(), attempts: 1, body: { jobId, unit: "meta" } },
      { id: "dlq-2", timestamp: new Date(), attempts: 1, body: { not: "a unit" } },
    ]);
    expect(result.outcome).toBe("ok");
    expect(result.explicitAcks.sort()).toEqual(["dlq-1", "dlq-2"]);
    const { job, units } = await waitForJob(u, jobId);
    expect(job.status).toBe("failed");
    expect(units[0].error).toMatch(/kept failing/);
    expect((await t.waitFor((e) => e.event === "generation_error")).data).toMatchObject({ jobId, stage: "meta" });
    expect(await hub.getLock()).toBeNull();
  });

  it("watches the job holding the lock: lost units are sent again, and a finished job's lock is freed", async () => {
    const u = await newUser();
    await grantCredits(u, 5000);
    const s = await newStory(u);
    const jobId = (await env.DB.prepare(
      "INSERT INTO generation_jobs (user_id, story_id, stage, status, current_stage, units_total) VALUES (?, ?, 'meta', 'running', 'meta', 1) RETURNING id",
    ).bind(u.user.id, s.story.id).first<{ id: number }>())!.id;
    // Queued an hour ago and never started: its message was lost.
    await env.DB.prepare(
      "INSERT INTO generation_logs (user_id, job_id, story_id, stage, unit, generation_type, credit_type, model, predicted_cost, dispatched_at) VALUES (?, ?, ?, 'meta', 'meta', 'meta', 'text', 'gpt-4o-mini', 100, ?)",
    ).bind(u.user.id, jobId, s.story.id, Date.now() - 3600_000).run();
    const hub = env.USER_HUB.getByName(`user:${u.user.id}`);
    await hub.acquireLock(jobId, 60_000);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    const { job } = await waitForJob(u, jobId);
    expect(job.status).toBe("succeeded");
    expect((await u.get(`/api/stories/${s.story.id}`)).body.characters.length).toBeGreaterThan(0);
    expect(await hub.getLock()).toBeNull();

    // A lock whose job already finished (its release was lost) is freed by the next look.
    await hub.acquireLock(jobId, 60_000);
    await runDurableObjectAlarm(hub);
    expect(await hub.getLock()).toBeNull();
  });
});
