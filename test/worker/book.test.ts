import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { grantCredits, newStory, newUser } from "../support/client";
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

// These pin the mechanics of a parallel book (every chapter at once, no memory); books with memory
// are tested in memory.test.ts.
describe("the whole book in one run", () => {
  it("runs meta → summaries → arcs → guides → chapters → cover in one job under one lock", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000, 10);
    const tab = await openTab(u);
    tabs.push(tab);
    const s = await newStory(u, { chaptersCount: 4 });
    const quote = (await u.get(`/api/stories/${s.story.id}/estimate?stage=book&mode=parallel`)).body;
    const res = await u.post(`/api/stories/${s.story.id}/generate`, { stage: "book", mode: "parallel" });
    expect(res.status).toBe(202);
    expect(res.body.job).toMatchObject({ stage: "book", currentStage: "meta", unitsTotal: 1 + 1 + 1 + 4 + 4 + 1, predictedCost: quote.totals.text, predictedImageCost: 4 });
    // The lock covers the whole run.
    expect((await u.post(`/api/stories/${s.story.id}/generate`, { stage: "cover" })).status).toBe(409);

    const { job, units } = await waitForJob(u, res.body.job.id, 30_000);
    expect(job).toMatchObject({ status: "succeeded", unitsDone: 12, unitsFailed: 0, currentStage: "cover" });
    expect(units.map((x: any) => x.stage)).toEqual(["meta", "summaries", "arcs", ...Array(4).fill("guides"), ...Array(4).fill("chapters"), "cover"]);
    expect(job.actualCost).toBe(units.filter((x: any) => x.stage !== "cover").reduce((n: number, x: any) => n + x.realCost, 0));
    expect(job.actualImageCost).toBe(4);

    const d = (await u.get(`/api/stories/${s.story.id}`)).body;
    expect(d.characters.length).toBeGreaterThan(0);
    expect(d.arcs.length).toBeGreaterThan(0);
    expect(d.chapters.every((c: any) => c.hasContent && c.hasGuide && !c.stale)).toBe(true);
    expect(d.story.coverImageUrl).toBeTruthy();

    // job_progress reports done/total per stage as it goes. The events reach the tab after the
    // job's row says it succeeded (advance.ts publishes once the row is written): wait for the last.
    await tab.waitFor((e) => e.event === "job_finished" && (e.data as any).job.id === res.body.job.id);
    const progress = tab.events.filter((e) => e.event === "job_progress").map((e) => e.data as any);
    expect(progress.find((p) => p.stage === "chapters" && p.done === 4)).toMatchObject({ total: 4, failed: 0 });
    expect(progress.find((p) => p.stage === "guides" && p.done === 0)).toMatchObject({ total: 4 });
    expect(tab.events.filter((e) => e.event === "chapter_generated")).toHaveLength(4);
    expect(tab.events.at(-1)?.event === "notification" || tab.events.some((e) => e.event === "job_finished")).toBe(true);
  });

  it("skips what exists unless regenerate is set", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000, 10);
    const s = await newStory(u, { chaptersCount: 2 });
    await generate(u, s.story.id, { stage: "meta" });
    await generate(u, s.story.id, { stage: "summaries" });
    await generate(u, s.story.id, { stage: "chapters", mode: "parallel", chapterIds: [s.chapters[0]!.id] });
    const before = (await u.get(`/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`)).body.chapter.content;

    const quote = (await u.get(`/api/stories/${s.story.id}/estimate?stage=book&mode=parallel`)).body;
    expect(quote.plan).toEqual(["arcs", "guides", "chapters", "cover"]);
    const { job, units } = await generate(u, s.story.id, { stage: "book", mode: "parallel" });
    expect(job.status).toBe("succeeded");
    expect(units.map((x: any) => x.unit)).toEqual(["arcs", `guide:${s.chapters[0]!.id}`, `guide:${s.chapters[1]!.id}`, `chapter:${s.chapters[1]!.id}`, "cover"]);
    expect((await u.get(`/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`)).body.chapter.content).toBe(before);

    const nothing = await u.post(`/api/stories/${s.story.id}/generate`, { stage: "book", mode: "parallel" });
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.message).toMatch(/Nothing to generate/);

    const again = await generate(u, s.story.id, { stage: "book", mode: "parallel", regenerate: true });
    expect(again.job.status).toBe("succeeded");
    expect(again.units).toHaveLength(1 + 1 + 1 + 2 + 2 + 1);
  });

  it("keeps the other chapters when one fails for good, and retries that one alone", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000, 10);
    const s = await newStory(u, { chaptersCount: 3 });
    await fakeOpenAi.fault({ kind: "status", status: 400, match: proseOf(2) });
    const first = await generate(u, s.story.id, { stage: "book", mode: "parallel" });
    expect(first.job.status).toBe("partial");
    expect(first.job.error).toMatch(/1 of 10 units failed/);
    const failed = first.units.filter((x: any) => x.status === "failed");
    expect(failed.map((x: any) => x.unit)).toEqual([`chapter:${s.chapters[1]!.id}`]);
    let d = (await u.get(`/api/stories/${s.story.id}`)).body;
    expect(d.chapters.map((c: any) => c.hasContent)).toEqual([true, false, true]);
    // The cover still ran after the failed chapter.
    expect(d.story.coverImageUrl).toBeTruthy();

    const calls = (await fakeOpenAi.requests()).length;
    const retry = await u.post(`/api/jobs/${first.job.id}/retry`);
    expect(retry.status).toBe(202);
    const done = await waitForJob(u, first.job.id);
    expect(done.job).toMatchObject({ status: "succeeded", unitsFailed: 0, unitsDone: 10 });
    expect((await fakeOpenAi.requests()).length).toBe(calls + 1);
    d = (await u.get(`/api/stories/${s.story.id}`)).body;
    expect(d.chapters.every((c: any) => c.hasContent)).toBe(true);
  });

  it("stops after a failed single step: no outline, no arcs or chapters", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000, 10);
    const s = await newStory(u, { chaptersCount: 2 });
    await fakeOpenAi.fault({ kind: "status", status: 400, match: "chapter_summaries" });
    const { job, units } = await generate(u, s.story.id, { stage: "book", mode: "parallel" });
    expect(job.status).toBe("partial");
    expect(job.error).toMatch(/outline could not be generated/);
    expect(units.map((x: any) => [x.stage, x.status])).toEqual([
      ["meta", "succeeded"],
      ["summaries", "failed"],
    ]);
    // Retrying the failed step carries the book on to the end.
    await u.post(`/api/jobs/${job.id}/retry`);
    const done = await waitForJob(u, job.id);
    expect(done.job.status).toBe("succeeded");
    expect(done.units).toHaveLength(1 + 1 + 1 + 2 + 2 + 1);
  });

  it("moves to the next stage exactly once when messages are delivered again", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000, 10);
    const s = await newStory(u, { chaptersCount: 3 });
    const { job } = await generate(u, s.story.id, { stage: "book", mode: "parallel" });
    expect(job.status).toBe("succeeded");
    // Redeliver every unit of the finished book, all at once.
    const { units } = await waitForJob(u, job.id);
    await env.GENERATION_QUEUE.sendBatch(units.map((x: any) => ({ body: { jobId: job.id, unit: x.unit } })));
    await new Promise((r) => setTimeout(r, 1000));
    const after = await waitForJob(u, job.id);
    expect(after.units).toHaveLength(units.length);
    expect(after.job).toEqual(job);
    const charges = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND reason = 'generation'").bind(u.user.id).first<{ n: number }>();
    expect(charges!.n).toBe(units.length);
  });

  it("cancels a book: units not started stop, and no later stage begins", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000, 10);
    const s = await newStory(u, { chaptersCount: 3 });
    await fakeOpenAi.config({ latencyMs: 400 });
    const res = await u.post(`/api/stories/${s.story.id}/generate`, { stage: "book", mode: "parallel" });
    await new Promise((r) => setTimeout(r, 150));
    expect((await u.post(`/api/jobs/${res.body.job.id}/cancel`)).status).toBe(200);
    const { job, units } = await waitForJob(u, res.body.job.id);
    expect(job.status).toBe("cancelled");
    expect(units.map((x: any) => x.stage)).toEqual(["meta"]);
    expect((await u.post(`/api/stories/${s.story.id}/generate`, { stage: "meta" })).status).toBe(202);
  });
});
