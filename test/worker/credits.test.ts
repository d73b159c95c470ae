import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { admin, anonymous, grantCredits, newStory, newUser, PASSWORD, type Client } from "../support/client";
import { fakeOpenAi } from "../support/fake-openai";
import { generate } from "../support/jobs";

beforeEach(async () => {
  await fakeOpenAi.reset();
});

const me = async (c: Client) => (await c.get("/api/me")).body.user.credits as { text: number; image: number };
const ledger = async (userId: number) =>
  (await env.DB.prepare("SELECT credit_type AS type, coalesce(sum(delta), 0) AS n FROM credit_ledger WHERE user_id = ? GROUP BY credit_type").bind(userId).all<{ type: string; n: number }>()).results;
async function expectLedgerMatchesBalance(c: Client) {
  const sums = Object.fromEntries((await ledger(c.user.id)).map((r) => [r.type, r.n]));
  expect({ text: sums.text ?? 0, image: sums.image ?? 0 }).toEqual(await me(c));
}

describe("estimates", () => {
  it("predicts every stage with a traceable breakdown, a chapter subset and the whole book", async () => {
    const u = await newUser();
    await grantCredits(u, 20_000, 20);
    const s = await newStory(u, { chaptersCount: 3, targetChapterWords: 2000 });
    const id = s.story.id;
    const meta = (await u.get(`/api/stories/${id}/estimate?stage=meta`)).body;
    expect(meta.units).toHaveLength(1);
    const b = meta.units[0].breakdown;
    expect(b).toMatchObject({ kind: "text", tier: "standard", action: "meta", outputTokens: 200, inputTokensPerCredit: 6660, outputTokensPerCredit: 1665 });
    expect(b.inputTokens).toBeGreaterThan(100);
    expect(b.total).toBe(b.modifiedInput + b.modifiedOutput);
    expect(meta.totals).toEqual({ text: b.total, image: 0 });
    expect(meta.balance).toEqual(await me(u));

    await generate(u, id, { stage: "meta" });
    await generate(u, id, { stage: "summaries" });
    const all = (await u.get(`/api/stories/${id}/estimate?stage=chapters&mode=parallel`)).body;
    expect(all.units).toHaveLength(3);
    // A chapter is predicted at no less than target words × 1.35.
    expect(all.units[0].breakdown.outputTokens).toBe(2700);
    const one = (await u.get(`/api/stories/${id}/estimate?stage=chapters&mode=parallel&chapterIds=${s.chapters[1]!.id}`)).body;
    expect(one.units.map((x: any) => x.chapterId)).toEqual([s.chapters[1]!.id]);
    expect(one.totals.text).toBe(all.units[1].credits);

    const cover = (await u.get(`/api/stories/${id}/estimate?stage=cover`)).body;
    expect(cover.totals).toEqual({ text: 0, image: 4 });

    const book = (await u.get(`/api/stories/${id}/estimate?stage=book&mode=parallel`)).body;
    // Meta and outline exist, so the book runs the rest.
    expect(book.plan).toEqual(["arcs", "guides", "chapters", "cover"]);
    expect(book.units).toHaveLength(1 + 3 + 3 + 1);
    const fresh = (await u.get(`/api/stories/${(await newStory(u, { chaptersCount: 3 })).story.id}/estimate?stage=book&mode=parallel`)).body;
    expect(fresh.plan).toEqual(["meta", "summaries", "arcs", "guides", "chapters", "cover"]);
    expect(fresh.totals.image).toBe(4);
  });

  it("rejects bad estimate queries", async () => {
    const u = await newUser();
    const s = await newStory(u);
    for (const q of ["", "?stage=nope", "?stage=chapters&chapterIds=a,b", "?stage=chapters&chapterIds=999999", "?stage=book&regenerate=maybe"]) {
      const res = await u.get(`/api/stories/${s.story.id}/estimate${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it("follows a price change made by an admin with an API token at once", async () => {
    const a = await admin();
    const token = (await a.post("/api/me/tokens", { name: "pricing script" })).body.token.token;
    const script = anonymous();
    script.token = token;
    const u = await newUser();
    const s = await newStory(u);
    const before = (await u.get(`/api/stories/${s.story.id}/estimate?stage=meta`)).body.totals.text;
    const res = await script.patch("/api/admin/pricing", { creditConfig: [{ action: "meta_input", modifier: 100 }, { action: "meta_output", modifier: 100 }] });
    expect(res.status).toBe(200);
    const after = (await u.get(`/api/stories/${s.story.id}/estimate?stage=meta`)).body.totals.text;
    expect(after).toBe(before * 2);
    await script.patch("/api/admin/pricing", { creditConfig: [{ action: "meta_input", modifier: 50 }, { action: "meta_output", modifier: 50 }] });
  });
});

describe("charging", () => {
  it("refuses work the balance cannot cover with 402, and any work of a type at or below zero", async () => {
    const u = await newUser();
    const s = await newStory(u, { chaptersCount: 3 });
    await env.DB.prepare("UPDATE users SET text_credits = 10 WHERE id = ?").bind(u.user.id).run();
    const res = await u.post(`/api/stories/${s.story.id}/generate`, { stage: "meta" });
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: "insufficient_credits", creditType: "text", available: 10, required: expect.any(Number) });
    expect(res.body.error.required).toBeGreaterThan(10);
    await env.DB.prepare("UPDATE users SET text_credits = -5, image_credits = 0 WHERE id = ?").bind(u.user.id).run();
    expect((await u.get("/api/me")).body.user.credits).toEqual({ text: -5, image: 0 });
    expect((await u.post(`/api/stories/${s.story.id}/generate`, { stage: "cover" })).status).toBe(402);
    expect((await u.get(`/api/stories/${s.story.id}/jobs`)).body.jobs).toEqual([]);
  });

  it("charges each unit what it really used, records the tokens, and sums a job's units", async () => {
    const u = await newUser();
    await grantCredits(u, 20_000, 10);
    // Long enough that the shared prefix passes the provider's 1024-token caching threshold.
    const details = "An old keeper, a drowned town, letters that keep arriving from people long dead. ".repeat(60);
    const s = await newStory(u, { chaptersCount: 3, details: details.slice(0, 5000) });
    await generate(u, s.story.id, { stage: "meta" });
    await generate(u, s.story.id, { stage: "summaries" });
    const before = await me(u);
    const { job } = await generate(u, s.story.id, { stage: "chapters", mode: "parallel" });
    const logs = (await env.DB.prepare("SELECT * FROM generation_logs WHERE job_id = ?").bind(job.id).all<any>()).results;
    expect(logs).toHaveLength(3);
    for (const l of logs) {
      expect(l.status).toBe("succeeded");
      expect(l.reasoning_tokens).toBe(64); // the fake reports reasoning tokens for o-models
      expect(l.output_tokens).toBeGreaterThan(64);
      const br = JSON.parse(l.breakdown);
      expect(br).toMatchObject({ inputTokens: l.input_tokens, outputTokens: l.output_tokens, total: l.real_cost });
      expect(l.provider_cost_usd).toBeGreaterThan(0);
    }
    // The cache key is the story: later chapters of the same book hit the provider's prompt cache.
    expect(logs.some((l) => l.cached_input_tokens > 0)).toBe(true);
    const total = logs.reduce((n, l) => n + l.real_cost, 0);
    expect(job.actualCost).toBe(total);
    expect((await me(u)).text).toBe(before.text - total);
    await expectLedgerMatchesBalance(u);
    const history = (await u.get("/api/me/generations")).body;
    expect(history.generations[0]).toMatchObject({ jobId: job.id, predictedCost: expect.any(Number), realCost: expect.any(Number), storyTitle: "The Lighthouse Keeper" });
    expect((await (await newUser()).get("/api/me/generations")).body.generations).toEqual([]);
    expect(history.total).toBe(5);
  });

  it("stops a book before a unit the balance cannot cover, ends it partial with the reason, and retries it after a top-up", async () => {
    const u = await newUser();
    await grantCredits(u, 20_000, 10);
    const s = await newStory(u, { chaptersCount: 2 });
    await generate(u, s.story.id, { stage: "meta" });
    await generate(u, s.story.id, { stage: "summaries" });
    // A book at its chapters stage with two units; the second is predicted to cost more than is left.
    const jobId = (await env.DB.prepare(
      `INSERT INTO generation_jobs (user_id, story_id, stage, params, status, current_stage, units_total)
       VALUES (?, ?, 'book', '{"plan":["chapters"]}', 'running', 'chapters', 2) RETURNING id`,
    ).bind(u.user.id, s.story.id).first<{ id: number }>())!.id;
    await env.USER_HUB.getByName(`user:${u.user.id}`).acquireLock(jobId, 60_000);
    for (const [c, cost] of [[s.chapters[0]!, 100], [s.chapters[1]!, 1_000_000]] as const)
      await env.DB.prepare(
        `INSERT INTO generation_logs (user_id, job_id, story_id, stage, unit, chapter_id, generation_type, credit_type, model, predicted_cost, dispatched_at)
         VALUES (?, ?, ?, 'chapters', ?, ?, 'chapter', 'text', 'o4-mini', ?, 1)`,
      ).bind(u.user.id, jobId, s.story.id, `chapter:${c.id}`, c.id, cost).run();
    const { deliver: runUnit } = await import("../../src/queues");
    await runUnit(env, { jobId, unit: `chapter:${s.chapters[0]!.id}` });
    await runUnit(env, { jobId, unit: `chapter:${s.chapters[1]!.id}` });
    const { waitForJob } = await import("../support/jobs");
    const { job, units } = await waitForJob(u, jobId);
    expect(job.status).toBe("partial");
    expect(job.error).toMatch(/not enough text credits .*needs 1000000/);
    expect(units.map((x: any) => x.status)).toEqual(["succeeded", "failed"]);
    expect(units[1].realCost).toBeNull();
    await expectLedgerMatchesBalance(u);

    // After a top-up, Retry runs only the failed unit.
    await grantCredits(u, 2_000_000);
    const retry = await u.post(`/api/jobs/${jobId}/retry`);
    expect(retry.status).toBe(202);
    const done = await waitForJob(u, jobId);
    expect(done.job.status).toBe("succeeded");
    expect(done.units.map((x: any) => x.status)).toEqual(["succeeded", "succeeded"]);
    expect((await u.post(`/api/jobs/${jobId}/retry`)).status).toBe(409);
  });
});

describe("concurrency", () => {
  it("never loses a charge when many units finish at once, and the ledger sums to the balance", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000, 10);
    const s = await newStory(u, { chaptersCount: 8 });
    await generate(u, s.story.id, { stage: "meta" });
    await generate(u, s.story.id, { stage: "summaries" });
    const before = await me(u);
    const { job } = await generate(u, s.story.id, { stage: "guides" });
    expect(job.unitsDone).toBe(8);
    const charged = (await env.DB.prepare("SELECT count(*) AS n, sum(real_cost) AS c FROM generation_logs WHERE job_id = ?").bind(job.id).first<{ n: number; c: number }>())!;
    expect(charged.n).toBe(8);
    expect((await me(u)).text).toBe(before.text - charged.c);
    await expectLedgerMatchesBalance(u);
  });

  it("keeps ledger and balance equal through a random mix of generations, failures and admin adjustments", async () => {
    const a = await admin();
    const u = await newUser();
    await grantCredits(u, 30_000, 30);
    const s = await newStory(u, { chaptersCount: 3 });
    await generate(u, s.story.id, { stage: "meta" });
    await generate(u, s.story.id, { stage: "summaries" });
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
    for (let i = 0; i < 10; i++) {
      switch (rand(4)) {
        case 0:
          await a.post(`/api/admin/users/${u.user.id}/credits`, { type: rand(2) ? "text" : "image", delta: rand(200) - 100 || 1, reason: "random test" });
          break;
        case 1:
          await fakeOpenAi.fault({ kind: "status", status: 400, match: "Plan the chapter below" });
          await generate(u, s.story.id, { stage: "guides" });
          break;
        case 2:
          await generate(u, s.story.id, { stage: "chapter_image", chapterIds: [s.chapters[rand(3)]!.id] });
          break;
        default:
          await generate(u, s.story.id, { stage: "arcs" });
      }
      await expectLedgerMatchesBalance(u);
    }
  });
});

describe("admin API", () => {
  it("is for admins only, by cookie or token", async () => {
    const u = await newUser();
    for (const path of ["/api/admin/pricing", "/api/admin/users", "/api/admin/generations", "/api/admin/site", "/api/admin/analytics"]) {
      expect((await u.get(path)).status, path).toBe(403);
      expect((await anonymous().get(path)).status, path).toBe(401);
    }
    expect((await u.patch("/api/admin/pricing", { tokenCost: { costPerCredit: 1 } })).status).toBe(403);
    expect((await u.post(`/api/admin/users/${u.user.id}/credits`, { type: "text", delta: 100, reason: "me" })).status).toBe(403);
  });

  it("validates price changes field by field and audit-logs the ones it makes", async () => {
    const a = await admin();
    const before = (await a.get("/api/admin/pricing")).body;
    expect(before.tokenCost).toMatchObject({ costPerCredit: 0.000999, costPer1mInput: 0.15, o1CostPer1mOutput: 60, dallEPricePerImage: 0.08 });
    expect(before.examples.meta.total).toBe(100);
    for (const [body, field] of [
      [{ tokenCost: { costPerCredit: 0 } }, "tokenCost.costPerCredit"],
      [{ tokenCost: { costPer1mInput: -1 } }, "tokenCost.costPer1mInput"],
      [{ tokenCost: { costPer1mInput: "1" } }, "tokenCost.costPer1mInput"],
      [{ tokenCost: { bogus: 1 } }, "tokenCost.bogus"],
      [{ creditConfig: [{ action: "teleport_input", modifier: 2 }] }, "creditConfig.0.action"],
      [{ creditConfig: [{ action: "chapter_input", modifier: 0 }] }, "creditConfig.0.modifier"],
      [{ stages: [{ stage: "epilogue", model: "x" }] }, "stages.0.stage"],
      [{ stages: [{ stage: "chapters", tier: "premium" }] }, "stages.0.tier"],
      [{ stages: [{ stage: "chapters", predictedOutputTokens: 1.5 }] }, "stages.0.predictedOutputTokens"],
    ] as const) {
      const res = await a.patch("/api/admin/pricing", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields[field], JSON.stringify(res.body)).toBeTruthy();
    }
    expect((await a.get("/api/admin/pricing")).body.tokenCost).toEqual(before.tokenCost);

    const preview = await a.post("/api/admin/pricing/preview", { creditConfig: [{ action: "chapter_output", modifier: 4 }] });
    expect(preview.body.examples.chapter.modifiedOutput).toBe(before.examples.chapter.modifiedOutput * 2);
    expect((await a.get("/api/admin/pricing")).body.examples.chapter.total).toBe(before.examples.chapter.total);

    const res = await a.patch("/api/admin/pricing", { stages: [{ stage: "chapters", model: "gpt-5-mini", predictedOutputTokens: 400 }] });
    expect(res.body.stages.find((s: any) => s.stage === "chapters")).toEqual({ stage: "chapters", model: "gpt-5-mini", tier: "reasoning", predictedOutputTokens: 400 });
    const auditRow = await env.DB.prepare("SELECT action, after FROM audit_log WHERE action = 'pricing.update' ORDER BY id DESC").first<any>();
    expect(JSON.parse(auditRow.after)).toEqual({ stages: [{ stage: "chapters", model: "gpt-5-mini", predictedOutputTokens: 400 }] });
    await a.patch("/api/admin/pricing", { stages: [{ stage: "chapters", model: "o4-mini", predictedOutputTokens: 300 }] });
  });

  it("lists, searches and changes users, but an admin cannot demote, lock or delete themselves", async () => {
    const a = await admin();
    const u = await newUser("searchable");
    const found = (await a.get(`/api/admin/users?q=${u.user.username}`)).body;
    expect(found.users.map((x: any) => x.id)).toEqual([u.user.id]);
    expect((await a.get("/api/admin/users?page=0")).status).toBe(400);
    const roles = await env.DB.prepare("SELECT id, name FROM roles").all<{ id: number; name: string }>();
    const userRole = roles.results.find((r) => r.name === "user")!.id;
    expect((await a.patch(`/api/admin/users/${a.user.id}`, { roleId: userRole })).status).toBe(403);
    expect((await a.patch(`/api/admin/users/${a.user.id}`, { isLocked: true })).status).toBe(403);
    expect((await a.del(`/api/admin/users/${a.user.id}`)).status).toBe(403);
    expect((await a.patch(`/api/admin/users/${u.user.id}`, {})).status).toBe(400);
    expect((await a.patch(`/api/admin/users/${u.user.id}`, { roleId: 99999 })).status).toBe(400);

    const locked = await a.patch(`/api/admin/users/${u.user.id}`, { isLocked: true, underReview: true });
    expect(locked.body.user).toMatchObject({ isLocked: true, underReview: true });
    // Locking signed them out; once unlocked they sign in again.
    expect((await u.get("/api/stories")).status).toBe(401);
    await a.patch(`/api/admin/users/${u.user.id}`, { isLocked: false });
    expect((await u.post("/api/auth/login", { login: u.user.username, password: PASSWORD })).status).toBe(200);
    expect((await u.get("/api/stories")).status).toBe(200);

    const s = await newStory(u);
    await env.FILES.put(`stories/${s.story.id}/cover.png`, "x");
    expect((await a.del(`/api/admin/users/${u.user.id}`)).status).toBe(200);
    expect((await u.get("/api/me")).status).toBe(401);
    expect(await env.FILES.get(`stories/${s.story.id}/cover.png`)).toBeNull();
    expect((await a.del(`/api/admin/users/${u.user.id}`)).status).toBe(404);
  });

  it("adjusts credits with a reason in the ledger and tells the user's tabs", async () => {
    const a = await admin();
    const u = await newUser();
    const { openTab } = await import("../support/ws");
    const tab = await openTab(u);
    const res = await a.post(`/api/admin/users/${u.user.id}/credits`, { type: "text", delta: -600, reason: "Refund reversal" });
    expect(res.body.credits).toEqual({ text: -100, image: 8 });
    const ev = await tab.waitFor((e) => e.event === "credits_updated");
    expect(ev.data).toEqual({ text: -100, image: 8 });
    tab.close();
    const row = await env.DB.prepare("SELECT reason, note, ref FROM credit_ledger WHERE user_id = ? ORDER BY id DESC").bind(u.user.id).first<any>();
    expect(row).toEqual({ reason: "admin", note: "Refund reversal", ref: `admin:${a.user.id}` });
    await expectLedgerMatchesBalance(u);
    for (const body of [{ type: "gold", delta: 1, reason: "x" }, { type: "text", delta: 0, reason: "x" }, { type: "text", delta: 1.5, reason: "x" }, { type: "text", delta: 1 }, { type: "text", delta: 1e9, reason: "x" }]) {
      expect((await a.post(`/api/admin/users/${u.user.id}/credits`, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await a.post("/api/admin/users/999999/credits", { type: "text", delta: 1, reason: "x" })).status).toBe(404);
    await expectLedgerMatchesBalance(u);
  });

  it("filters generation logs, reads and changes site settings, and reports analytics", async () => {
    const a = await admin();
    const u = await newUser();
    await grantCredits(u, 5000, 10);
    const s = await newStory(u);
    await generate(u, s.story.id, { stage: "meta" });
    await fakeOpenAi.fault({ kind: "status", status: 400, match: "story_meta" });
    await generate(u, s.story.id, { stage: "meta" });
    const mine = (await a.get(`/api/admin/generations?user=${u.user.username}`)).body;
    expect(mine.generations.map((g: any) => g.status)).toEqual(["failed", "succeeded"]);
    expect((await a.get(`/api/admin/generations?user=${u.user.username}&status=failed`)).body.generations).toHaveLength(1);
    expect((await a.get("/api/admin/generations?stage=bogus")).status).toBe(400);

    expect((await a.get("/api/admin/site")).body.site).toMatchObject({ signupTextCredits: 500, signupImageCredits: 8 });
    expect((await a.patch("/api/admin/site", { signupTextCredits: -1 })).status).toBe(400);
    expect((await a.patch("/api/admin/site", { signupTextCredits: 750 })).body.site.signupTextCredits).toBe(750);
    expect((await newUser()).user.credits.text).toBe(750);
    await a.patch("/api/admin/site", { signupTextCredits: 500 });

    const an = (await a.get("/api/admin/analytics")).body;
    expect(an.providerCostUsd).toBeGreaterThan(0);
    expect(an.creditsCharged.text).toBeGreaterThan(0);
    expect(an.marginUsd).toBeCloseTo(an.revenueUsd - an.providerCostUsd, 6);
    expect(an.predictionError.find((p: any) => p.stage === "meta")).toMatchObject({ units: expect.any(Number), bias: expect.any(Number) });
    expect((await a.get("/api/admin/analytics?from=yesterday")).status).toBe(400);
  });
});
