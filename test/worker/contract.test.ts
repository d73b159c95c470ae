// Every GET without side effects, as a signed-in author and as an admin: the test client checks
// each answer against its operation in the API document (test/support/client.ts), so a route
// whose answer drifts from its response schema fails here even when no other test reads it.
import { beforeEach, describe, expect, it } from "vitest";
import { operationList } from "../../src/worker/openapi";
import { admin, checkContract, ContractError, grantCredits, newStory, newUser, type Client } from "../support/client";
import { fakeOpenAi } from "../support/fake-openai";
import { generate } from "../support/jobs";

/** GETs that change something: consuming an e-mail token, opening a WebSocket. */
const SIDE_EFFECTS = new Set(["verifyEmail", "openEventSocket"]);
/** Query strings a GET needs to answer 200. */
const QUERY: Record<string, string> = { getEstimate: "?stage=book", suggestTags: "?q=my" };

type Ids = { id: number; chapterId: number; jobId: number };

/** A concrete path for a template: story routes get the story, job routes the job. */
function fill(path: string, ids: Ids) {
  const id = path.startsWith("/api/jobs/") ? ids.jobId : ids.id;
  return path.replace("{id}", String(id)).replace("{chapterId}", String(ids.chapterId));
}

const gets = () => operationList().filter((r) => r.method === "get" && !SIDE_EFFECTS.has(r.op.id));

beforeEach(async () => {
  await fakeOpenAi.reset();
});

/** An author with a story whose cast exists (one job ran) and a comment on it. */
async function authorWithStory(): Promise<{ author: Client; ids: Ids }> {
  const author = await newUser("contract");
  await grantCredits(author, 100_000, 10);
  const detail = await newStory(author, { chaptersCount: 2, tags: ["mystery"] });
  const { job } = await generate(author, detail.story.id, { stage: "meta" });
  await author.post(`/api/stories/${detail.story.id}/comments`, { body: "A note to self" });
  return { author, ids: { id: detail.story.id, chapterId: detail.chapters[0]!.id, jobId: job.id } };
}

async function sweep(c: Client, ids: Ids) {
  const seen: Record<string, number> = {};
  for (const { path, op } of gets()) {
    const res = await c.get(fill(path, ids) + (QUERY[op.id] ?? ""));
    seen[op.id] = res.status;
  }
  return seen;
}

describe("every GET answers what the API document says", () => {
  it("as the story's author", async () => {
    const { author, ids } = await authorWithStory();
    const seen = await sweep(author, ids);
    const expected = (path: string) => (path.startsWith("/api/admin/") ? 403 : path.startsWith("/api/images/") ? 404 : 200);
    expect(gets().filter(({ path, op }) => seen[op.id] !== expected(path)).map(({ op }) => `${op.id}: ${seen[op.id]}`)).toEqual([]);
    // The answers are typed from the same schemas.
    const me = await author.typed.get("/api/me");
    expect(me.body.user.credits.text).toBeGreaterThan(0);
    const story = await author.typed.get(`/api/stories/${ids.id}`);
    expect(story.body.characters.length).toBeGreaterThan(0);
    const estimate = await author.typed.get(`/api/stories/${ids.id}/estimate?stage=book`);
    expect(estimate.body.units.every((u) => u.credits > 0)).toBe(true);
  });

  it("as an admin, who may also read everyone's stories", async () => {
    const { ids } = await authorWithStory();
    const a = await admin();
    const seen = await sweep(a, ids);
    // Admins read every story, but the author's jobs, drafts and estimates are theirs alone; there are no images yet.
    const ownerOnly = new Set(["listChapterRevisions", "getEstimate", "getContinuityReport", "listStoryJobs", "getJob", "getCoverImage", "getChapterImage"]);
    const expected = (id: string) => (ownerOnly.has(id) ? 404 : 200);
    expect(gets().filter(({ op }) => seen[op.id] !== expected(op.id)).map(({ op }) => `${op.id}: ${seen[op.id]}`)).toEqual([]);
    const pricing = await a.typed.get("/api/admin/pricing");
    expect(pricing.body.examples.chapter.total).toBeGreaterThan(0);
  });
});

describe("the contract check", () => {
  it("refuses an answer that leaves the schema, an undocumented status and a malformed error", () => {
    const user = { id: 1, username: "a", email: "a@example.com", role: "user", isAdmin: false, verified: true, showMature: false, underReview: false, credits: { text: 1, image: 0 }, createdAt: new Date().toISOString() };
    const json = "application/json";
    expect(() => checkContract("GET", "/api/me", 200, json, { user })).not.toThrow();
    expect(() => checkContract("GET", "/api/me", 200, json, { user: { ...user, passwordHash: "x" } })).toThrow(ContractError);
    expect(() => checkContract("GET", "/api/me", 200, json, { user: { ...user, credits: undefined } })).toThrow(ContractError);
    expect(() => checkContract("GET", "/api/me", 409, json, { error: { code: "conflict", message: "?" } })).toThrow(/not documented/);
    expect(() => checkContract("GET", "/api/me", 401, json, { error: { code: "unauthorized", message: "Please sign in" } })).not.toThrow();
    expect(() => checkContract("GET", "/api/me", 401, json, { error: { code: "no_such_code", message: "?" } })).toThrow(ContractError);
    expect(() => checkContract("GET", "/api/stories/1/chapters/2", 200, "text/html", "<p>")).toThrow(/answers JSON/);
  });
});
