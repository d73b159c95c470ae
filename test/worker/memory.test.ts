// Books with memory, through the API (docs/MEMORY.md): digests of written chapters, sequential and
// hybrid books, contracts and boundary rewrites, one canon per run, chapters that reach their length.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { canonKey } from "../../src/domain/prose";
import { sha256Hex } from "../../src/domain/crypto";
import { grantCredits, newStory, newUser, type Client } from "../support/client";
import { fakeOpenAi, proseOf } from "../support/fake-openai";
import { generate, waitForJob } from "../support/jobs";
import { openTab } from "../support/ws";

beforeEach(async () => {
  await fakeOpenAi.reset();
});

/** A story with its cast, places and outline in place, so runs start at the beats or the prose. */
async function planned(c: Client, chapters = 3) {
  await grantCredits(c, 100_000, 50);
  const s = await newStory(c, { chaptersCount: chapters, targetChapterWords: 600 });
  const id = s.story.id;
  await c.put(`/api/stories/${id}/meta`, {
    characters: [
      { name: "Ada Quill", description: "A keeper's daughter.", aliases: ["Addy"] },
      { name: "Bram Holt", description: "A diver." },
    ],
    locations: [{ name: "The Point Light", description: "A dark lighthouse." }, { name: "Salt Archive", description: "Damp records." }],
  });
  const res = await c.put(`/api/stories/${id}/outline`, {
    chapters: s.chapters.map((ch, i) => ({ id: ch.id, title: `Tide ${i + 1}`, summary: `Ada and Bram follow letter ${i + 1}.` })),
  });
  return { id, chapters: res.body.chapters as { id: number; number: number }[] };
}

const chatCalls = async () => (await fakeOpenAi.requests()).filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body);
const proseCalls = async () => (await chatCalls()).filter((b) => !b.response_format && JSON.stringify(b.messages).includes("Write the chapter below in full"));
const chapterOf = async (c: Client, id: number, chapterId: number) => (await c.get(`/api/stories/${id}/chapters/${chapterId}`)).body.chapter;
const canariesIn = (text: string) => text.match(/CANARY-\d+-[a-z0-9]+/g) ?? [];

describe("digests", () => {
  it("remembers each written chapter with facts that quote it, goes stale when the prose changes, and is rebuilt on request", async () => {
    const u = await newUser();
    const { id, chapters } = await planned(u, 2);
    await generate(u, id, { stage: "chapters", mode: "parallel" });
    let list = (await u.get(`/api/stories/${id}`)).body.chapters;
    expect(list.map((c: any) => [c.hasDigest, c.digestStale])).toEqual([[false, false], [false, false]]);

    await fakeOpenAi.fault({ kind: "invented", match: "chapter_digest", times: 1 });
    const { job, units } = await generate(u, id, { stage: "digests" });
    expect(job.status).toBe("succeeded");
    expect(units.map((x: any) => x.unit).sort()).toEqual(chapters.map((c) => `digest:${c.id}`).sort());
    const ch = await chapterOf(u, id, chapters[0]!.id);
    expect(ch.digest).toMatchObject({ source: "generated", ending: { present: expect.any(Array) } });
    // The invented fact was dropped and counted; the canary fact quotes the chapter exactly.
    const dropped = [ch.digest.droppedFacts, (await chapterOf(u, id, chapters[1]!.id)).digest.droppedFacts].sort();
    expect(dropped).toEqual([0, 1]);
    for (const f of ch.digest.facts) expect(ch.content).toContain(f.quote);
    const quotes = ch.digest.facts.map((f: any) => f.quote);
    for (const token of canariesIn(ch.content)) expect(quotes).toContain(token);

    await u.patch(`/api/stories/${id}/chapters/${chapters[0]!.id}`, { content: `${ch.content}\n\nOne more line the author added.` });
    list = (await u.get(`/api/stories/${id}`)).body.chapters;
    expect(list.map((c: any) => c.digestStale)).toEqual([true, false]);
    // Without chapterIds only what is due is rebuilt.
    const again = await generate(u, id, { stage: "digests" });
    expect(again.units.map((x: any) => x.unit)).toEqual([`digest:${chapters[0]!.id}`]);
    list = (await u.get(`/api/stories/${id}`)).body.chapters;
    expect(list.map((c: any) => c.digestStale)).toEqual([false, false]);
    expect((await u.post(`/api/stories/${id}/generate`, { stage: "digests", mode: "hybrid" })).body.error.fields).toEqual({ mode: "Not used by this stage" });
  });

  it("lets the author correct what the book remembers, refusing facts that do not quote the chapter", async () => {
    const u = await newUser();
    const { id, chapters } = await planned(u, 1);
    const chapterId = chapters[0]!.id;
    const path = `/api/stories/${id}/chapters/${chapterId}/digest`;
    const body = (quote: string) => ({
      summary: "Ada reads the letter at the lamp.",
      ending: { place: "The Point Light", time: "Midnight", present: ["Ada Quill"], lastBeat: "She keeps it." },
      states: [{ name: "Ada Quill", where: "The Point Light", condition: "shaken", knows: ["the sender"], has: ["the letter"] }],
      facts: [{ text: "The letter is wet.", quote }],
      threadsOpened: ["Who sent it?"],
      threadsClosed: [],
      firstMeetings: [["Ada Quill", "Bram Holt"]],
    });
    expect((await u.put(path, body("x"))).status).toBe(409); // no prose yet
    await u.patch(`/api/stories/${id}/chapters/${chapterId}`, { content: "The letter was wet through. Ada read it twice." });
    const bad = await u.put(path, body("never written"));
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ "facts.0.quote": "Not found word for word in the chapter" });
    const tooLong = await u.put(path, { ...body("was wet"), summary: "word ".repeat(121) });
    expect(tooLong.body.error.fields.summary).toMatch(/120 words/);
    const ok = await u.put(path, body("was wet through"));
    expect(ok.status).toBe(200);
    expect(ok.body.chapter).toMatchObject({ hasDigest: true, digestStale: false, digest: { source: "edited", droppedFacts: 0 } });
  });
});

describe("a sequential book", () => {
  it("writes chapter after chapter, each prompt carrying every earlier chapter's facts and the previous chapter's real ending", async () => {
    const u = await newUser();
    const { id, chapters } = await planned(u, 3);
    const { job, units } = await generate(u, id, { stage: "chapters", mode: "sequential" });
    expect(job).toMatchObject({ status: "succeeded", mode: "sequential" });
    expect(units.map((x: any) => x.unit)).toEqual(chapters.flatMap((c) => [`chapter:${c.id}`, `digest:${c.id}`]));
    const prompts = (await proseCalls()).map((b) => JSON.stringify(b.messages));
    expect(prompts).toHaveLength(3);
    const texts = await Promise.all(chapters.map(async (c) => (await chapterOf(u, id, c.id)).content as string));
    // Canary propagation: chapter k's fact token reaches the prompt of every later chapter.
    for (let k = 0; k < 3; k++) for (let later = k + 1; later < 3; later++) for (const token of canariesIn(texts[k]!)) expect(prompts[later]).toContain(token);
    expect(prompts[1]).toContain("previous_chapter_ending");
    expect(prompts[1]).toContain(JSON.stringify(texts[0]!.split(/\s+/).slice(-20).join(" ")).slice(1, -1));
    // The prompt grows at its end only: chapter 3's starts with chapter 2's, up to its last digest.
    const msgs = (await proseCalls()).map((b) => b.messages);
    expect(msgs[2][0].content).toBe(msgs[1][0].content);
    expect(msgs[2][1].content.startsWith(msgs[1][1].content.replace(/\n?<\/story_so_far>$/, ""))).toBe(true);
  });

  it("stops the chain at a chapter that fails, and a retry runs the rest in order", async () => {
    const u = await newUser();
    const { id, chapters } = await planned(u, 3);
    await fakeOpenAi.fault({ kind: "status", status: 400, match: proseOf(2) });
    const first = await generate(u, id, { stage: "chapters", mode: "sequential" });
    expect(first.job.status).toBe("partial");
    expect(first.units.map((x: any) => x.status)).toEqual(["succeeded", "succeeded", "failed", "failed", "failed", "failed"]);
    expect(first.units[4].error).toMatch(/builds on did not succeed/);
    const res = await u.post(`/api/jobs/${first.job.id}/retry`);
    expect(res.status).toBe(202);
    const done = await waitForJob(u, first.job.id);
    expect(done.job.status).toBe("succeeded");
    const list = (await u.get(`/api/stories/${id}`)).body.chapters;
    expect(list.every((c: any) => c.hasContent && c.hasDigest && !c.digestStale)).toBe(true);
    expect(chapters).toHaveLength(3);
  });
});

describe("a hybrid book", () => {
  it("plans contracts whose entries are the previous exits, drafts against them, and checks every seam without a rewrite when they hold", async () => {
    const u = await newUser();
    const s = await newStory(u, { chaptersCount: 3, targetChapterWords: 600 });
    await grantCredits(u, 100_000, 50);
    const { job, units } = await generate(u, s.story.id, { stage: "book" });
    expect(job).toMatchObject({ status: "succeeded", mode: "hybrid" });
    expect(units.map((x: any) => x.stage).filter((st: string, i: number, a: string[]) => a.indexOf(st) === i)).toEqual([
      "meta", "summaries", "arcs", "contracts", "guides", "chapters", "digests", "boundaries", "cover",
    ]);
    const list = (await u.get(`/api/stories/${s.story.id}`)).body.chapters;
    const details = await Promise.all(list.map((c: any) => chapterOf(u, s.story.id, c.id)));
    for (let k = 1; k < details.length; k++) expect(details[k].entry).toEqual(details[k - 1].exit);
    expect(details[0].entry).toBeTruthy();
    // Beats and prose were written against the contracts.
    const guidePrompt = (await chatCalls()).find((b) => b.response_format?.json_schema?.name === "chapter_guide");
    expect(JSON.stringify(guidePrompt.messages)).toContain("<exit>");
    const seams = units.filter((x: any) => x.stage === "boundaries");
    expect(seams.map((x: any) => x.realCost)).toEqual([0, 0]);
    expect(list.every((c: any) => c.hasDigest && !c.digestStale)).toBe(true);
  });

  it("rewrites only the opening of the next chapter where a chapter really ends elsewhere than its contract says", async () => {
    const u = await newUser();
    const { id, chapters } = await planned(u, 2);
    await generate(u, id, { stage: "contracts" });
    const tab = await openTab(u);
    // Chapter 1's digest says it ended somewhere else.
    await fakeOpenAi.fault({ kind: "elsewhere", match: 'chapter_text number=\\"1\\"' });
    const { job, units } = await generate(u, id, { stage: "chapters" });
    expect(job.status).toBe("succeeded");
    const seam = units.find((x: any) => x.unit === `boundary:${chapters[1]!.id}`);
    expect(seam.realCost).toBeGreaterThan(0);
    const ev = await tab.waitFor((e) => e.event === "boundary_checked");
    expect(ev.data).toMatchObject({ chapterId: chapters[1]!.id, rewritten: true });
    const ch2 = await chapterOf(u, id, chapters[1]!.id);
    expect(ch2.content).toContain("The way here had been longer than anyone planned");
    // Only the opening changed: the drafted chapter is kept as a revision, and its later
    // paragraphs are still the chapter's.
    const revisions = (await u.get(`/api/stories/${id}/chapters/${chapters[1]!.id}/revisions`)).body.revisions;
    expect(revisions).toHaveLength(1);
    const paragraphs = (t: string) => t.split("\n\n");
    expect(paragraphs(ch2.content)[0]).not.toBe(paragraphs(revisions[0].content)[0]);
    expect(paragraphs(ch2.content).slice(-3)).toEqual(paragraphs(revisions[0].content).slice(-3));
    expect(ch2.digestStale).toBe(false);
    tab.close();
  });
});

describe("one canon per run", () => {
  it("keeps a running book on the bible it started its chapters with, and marks those chapters stale once the cast changes", async () => {
    const u = await newUser();
    const { id, chapters } = await planned(u, 3);
    await generate(u, id, { stage: "guides" });
    await fakeOpenAi.config({ latencyMs: 400 });
    const res = await u.post(`/api/stories/${id}/generate`, { stage: "chapters", mode: "sequential" });
    expect(res.status).toBe(202);
    // While chapter 1 is being written, the author renames a character's description.
    await new Promise((r) => setTimeout(r, 200));
    await u.put(`/api/stories/${id}/meta`, {
      characters: [
        { name: "Ada Quill", description: "A lighthouse engineer from the city." },
        { name: "Bram Holt", description: "A diver." },
      ],
      locations: [{ name: "The Point Light", description: "A dark lighthouse." }],
    });
    const done = await waitForJob(u, res.body.job.id, 30_000);
    expect(done.job.status).toBe("succeeded");
    // The canon is one R2 object under its hash; D1 keeps only that hash, on the job.
    const bibleHash = async (jobId: number) => (await env.DB.prepare("SELECT bible_hash AS h FROM generation_jobs WHERE id = ?").bind(jobId).first<{ h: string }>())!.h;
    const first = await bibleHash(res.body.job.id);
    const canon = await (await env.FILES.get(canonKey(id, first)))!.text();
    expect(await sha256Hex(canon)).toBe(first);
    expect(JSON.parse(canon).characters[0].description).toBe("A keeper's daughter.");
    expect(await env.DB.prepare("SELECT count(*) AS n FROM job_canons").first("n")).toBe(0);
    const prompts = (await proseCalls()).map((b) => b.messages[0].content);
    expect(prompts).toHaveLength(3);
    for (const p of prompts) {
      expect(p).toContain("A keeper&#39;s daughter.".replace("&#39;", "'"));
      expect(p).not.toContain("lighthouse engineer");
    }
    const list = (await u.get(`/api/stories/${id}`)).body.chapters;
    expect(list.map((c: any) => c.stale)).toEqual([true, true, true]);
    expect(list[2].staleReason).toMatch(/earlier version of the story/);
    // The next run writes against the new bible.
    await fakeOpenAi.config({ latencyMs: 0 });
    const { job: next } = await generate(u, id, { stage: "chapters", mode: "parallel", chapterIds: [chapters[2]!.id] });
    const after = (await u.get(`/api/stories/${id}`)).body.chapters;
    expect(after[2].stale).toBe(false);
    const second = await bibleHash(next.id);
    expect(second).not.toBe(first);
    expect(JSON.parse(await (await env.FILES.get(canonKey(id, second)))!.text()).characters[0].description).toBe("A lighthouse engineer from the city.");
  });
});

describe("chapters that reach their length", () => {
  it("continues a reply cut off at its cap and saves the whole chapter", async () => {
    const u = await newUser();
    const { id, chapters } = await planned(u, 1);
    await fakeOpenAi.fault({ kind: "length", match: proseOf(1) });
    const { job } = await generate(u, id, { stage: "chapters", mode: "parallel" });
    expect(job.status).toBe("succeeded");
    const calls = await chatCalls();
    expect(calls).toHaveLength(2);
    expect(JSON.stringify(calls[1].messages)).toContain("cut off at its length limit");
    expect((await chapterOf(u, id, chapters[0]!.id)).wordCount).toBeGreaterThan(300);
  });

  it("gives a chapter far from its target one length pass, charged only because it ran", async () => {
    const u = await newUser();
    const { id, chapters } = await planned(u, 1);
    await fakeOpenAi.fault({ kind: "short", match: proseOf(1) });
    const { job, units } = await generate(u, id, { stage: "chapters", mode: "parallel" });
    expect(job.status).toBe("succeeded");
    const calls = await chatCalls();
    expect(calls).toHaveLength(2);
    expect(JSON.stringify(calls[1].messages)).toMatch(/This chapter has \d+ words; it should have about 600/);
    const words = (await chapterOf(u, id, chapters[0]!.id)).wordCount;
    expect(Math.abs(words - 600) / 600).toBeLessThan(0.2);
    const log = await env.DB.prepare("SELECT input_tokens FROM generation_logs WHERE job_id = ? AND stage = 'chapters'").bind(job.id).first<any>();
    expect(log.input_tokens).toBeGreaterThan(units[0].predictedCost); // both calls' tokens are in the charge
  });
});

describe("quotes stay honest", () => {
  it("charges a book within 15 % of its quote in every mode", async () => {
    for (const mode of ["parallel", "sequential", "hybrid"] as const) {
      const u = await newUser();
      await grantCredits(u, 200_000, 50);
      const s = await newStory(u, { chaptersCount: 4, targetChapterWords: 600 });
      const quote = (await u.get(`/api/stories/${s.story.id}/estimate?stage=book&mode=${mode}`)).body;
      expect(quote.mode).toBe(mode);
      const { job } = await generate(u, s.story.id, { stage: "book", mode });
      expect(job.status, mode).toBe("succeeded");
      const off = job.actualCost / quote.totals.text - 1;
      expect(Math.abs(off), `${mode}: charged ${job.actualCost}, quoted ${quote.totals.text}`).toBeLessThan(0.15);
      expect(job.actualCost).toBeLessThanOrEqual(quote.maxTotals.text);
    }
  });
});
