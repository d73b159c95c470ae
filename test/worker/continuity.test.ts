// The continuity report through the API (docs/CONTINUITY.md): checks stored as chapters are written
// and saved, the book checked on request and after a cast change, dismissals that last until the
// quoted text changes, "rename everywhere", and a model audit whose unverifiable claims are dropped.
import { beforeEach, describe, expect, it } from "vitest";
import { grantCredits, newStory, newUser, type Client } from "../support/client";
import { fakeOpenAi } from "../support/fake-openai";
import { generate } from "../support/jobs";
import { openTab } from "../support/ws";
import { cleanBook } from "../fixtures/continuity/clean-book";

beforeEach(async () => {
  await fakeOpenAi.reset();
});

/** The clean fixture book: original prose whose beats it follows, a cast with aliases. */
const CAST = cleanBook.characters.map((c) => ({ name: c.name, aliases: c.aliases ?? [], description: `${c.name} of Ostry, who keeps the old ways.` }));
const PLACES = cleanBook.locations.map((l) => ({ name: l.name, aliases: l.aliases ?? [], description: "A place in Ostry." }));
const clean = (n: number) => cleanBook.chapters[n - 1]!.content!;

/** A story with the fixture's cast, places, outline and beats, and its first chapters' prose. */
async function written(c: Client, prose: string[]) {
  const s = await newStory(c, { chaptersCount: prose.length, targetChapterWords: cleanBook.targetChapterWords });
  const id = s.story.id;
  await c.put(`/api/stories/${id}/meta`, { characters: CAST, locations: PLACES });
  await c.put(`/api/stories/${id}/outline`, {
    chapters: s.chapters.map((ch, i) => ({ id: ch.id, title: cleanBook.chapters[i]!.title, summary: `What happens in chapter ${i + 1}.` })),
  });
  for (const [i, ch] of s.chapters.entries()) {
    await c.put(`/api/stories/${id}/chapters/${ch.id}/guide`, { parts: cleanBook.chapters[i]!.guide });
    await c.patch(`/api/stories/${id}/chapters/${ch.id}`, { content: prose[i] });
  }
  return { id, chapters: s.chapters.map((ch) => ch.id) };
}

const report = async (c: Client, id: number) => (await c.get(`/api/stories/${id}/continuity`)).body;
const findingsOf = (r: any, chapterId: number) => r.chapters.find((x: any) => x.chapterId === chapterId).findings as any[];

describe("the continuity report", () => {
  it("stores each chapter's checks when it is saved, with metrics, exact quotes and counts", async () => {
    const u = await newUser();
    const leak = `Chapter 2\n\n${clean(2)} Zephyrine Marlowe watched them from the quay.\n\nTo be continued...`;
    const { id, chapters } = await written(u, [clean(1), leak]);
    const r = await report(u, id);
    expect(r.chapters).toHaveLength(2);
    expect(findingsOf(r, chapters[0]!).filter((f) => f.severity !== "info")).toEqual([]);
    const second = findingsOf(r, chapters[1]!);
    expect(second.map((f) => f.type)).toEqual(expect.arrayContaining(["format_leak", "unknown_name"]));
    const stranger = second.find((f) => f.type === "unknown_name");
    expect(stranger.names).toEqual(["Zephyrine Marlowe"]);
    for (const f of second) if (f.quote) expect(leak).toContain(f.quote);
    const metrics = r.chapters[1].metrics;
    expect(metrics).toMatchObject({ target: cleanBook.targetChapterWords, beatCoverage: 1 });
    expect(metrics.words).toBeGreaterThan(1000);
    expect(r.book.metrics.bySeverity.error).toBeGreaterThanOrEqual(1);
    expect(r.chapters[1].outdated).toBe(false);

    // Saving the chapter without the leak re-checks it at once.
    await u.patch(`/api/stories/${id}/chapters/${chapters[1]}`, { content: clean(2) });
    expect(findingsOf(await report(u, id), chapters[1]!).filter((f) => f.severity !== "info")).toEqual([]);
  });

  it("keeps a dismissed finding dismissed until the text it quotes changes", async () => {
    const u = await newUser();
    const { id, chapters } = await written(u, [`${clean(1)} From the quay, Zephyrine waved.`]);
    const f = findingsOf(await report(u, id), chapters[0]!).find((x) => x.type === "unknown_name");
    const res = await u.post(`/api/stories/${id}/continuity/${f.id}/dismiss`, {});
    expect(res.status).toBe(200);
    let again = findingsOf(await report(u, id), chapters[0]!).find((x) => x.type === "unknown_name");
    expect(again).toMatchObject({ id: f.id, dismissed: true });
    expect((await report(u, id)).book.metrics.bySeverity.warning).toBe(0);
    // Another sentence with the same stranger: a new finding, not dismissed.
    await u.patch(`/api/stories/${id}/chapters/${chapters[0]}`, { content: `${clean(1)} Later that night, Zephyrine rowed out alone.` });
    again = findingsOf(await report(u, id), chapters[0]!).find((x) => x.type === "unknown_name");
    expect(again.dismissed).toBeUndefined();
    expect((await u.post(`/api/stories/${id}/continuity/nope1234/dismiss`, {})).status).toBe(404);
    const other = await newUser();
    expect((await other.get(`/api/stories/${id}/continuity`)).status).toBe(404);
  });

  it("renames a name everywhere, keeping the old prose as a revision, and the finding goes", async () => {
    const u = await newUser();
    const { id, chapters } = await written(u, [`${clean(1)} From the quay, Zephyrine waved.`, `${clean(2)} By morning, Zephyrine was gone.`]);
    const res = await u.post(`/api/stories/${id}/rename`, { from: "Zephyrine", to: "Tomas" });
    expect(res.status).toBe(200);
    expect(res.body.replaced).toBe(2);
    const r = await report(u, id);
    for (const ch of chapters) expect(findingsOf(r, ch).some((f) => f.type === "unknown_name")).toBe(false);
    const ch = (await u.get(`/api/stories/${id}/chapters/${chapters[0]}`)).body.chapter;
    expect(ch.content).toContain("From the quay, Tomas waved.");
    expect((await u.get(`/api/stories/${id}/chapters/${chapters[0]}/revisions`)).body.revisions[0].content).toContain("Zephyrine");
    // Renaming a character renames the cast and the beats too; a name already taken is refused.
    const [first, second] = CAST;
    const taken = await u.post(`/api/stories/${id}/rename`, { from: first!.name, to: second!.name });
    expect(taken.status).toBe(409);
    expect(taken.body.error.fields).toEqual({ to: "Already a character's name" });
    await u.post(`/api/stories/${id}/rename`, { from: second!.name, to: "Tomas Kell" });
    const d = (await u.get(`/api/stories/${id}`)).body;
    expect(d.characters.map((c: any) => c.name)[1]).toBe("Tomas Kell");
    const beats = (await u.get(`/api/stories/${id}/chapters/${chapters[0]}`)).body.chapter.guide;
    expect(beats.some((b: any) => b.characters.includes("Tomas Kell"))).toBe(true);
    expect((await u.post(`/api/stories/${id}/rename`, { from: "x", to: "x" })).body.error.fields).toEqual({ to: "The new name is the same as the old one" });
  });

  it("checks the whole book again after the cast changes, and on request", async () => {
    const u = await newUser();
    const { id, chapters } = await written(u, [`${clean(1)} From the quay, Zephyrine waved.`]);
    const tab = await openTab(u);
    await u.put(`/api/stories/${id}/meta`, { characters: [...CAST, { name: "Zephyrine", description: "The ferry woman." }], locations: PLACES });
    const ev = await tab.waitFor((e) => e.event === "chapter_checked");
    expect(ev.data).toMatchObject({ storyId: id, chapterId: chapters[0] });
    expect(findingsOf(await report(u, id), chapters[0]!).some((f) => f.type === "unknown_name")).toBe(false);
    // Two characters who share a first name: a book-level clash, found at the cast stage.
    await u.put(`/api/stories/${id}/meta`, { characters: [...CAST, { name: `${CAST[0]!.name.split(" ")[0]} Marlowe`, description: "" }], locations: PLACES });
    const posted = await u.post(`/api/stories/${id}/continuity`, {});
    expect(posted.status).toBe(200);
    expect(posted.body.book.findings.map((f: any) => f.type)).toContain("name_clash");
    tab.close();
  });

  it("stores the checks of a chapter the engine writes, and checks the book when the run ends", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000);
    const { id, chapters } = await written(u, [clean(1), clean(2)]);
    const tab = await openTab(u);
    await generate(u, id, { stage: "chapters", mode: "parallel", chapterIds: [chapters[1]!] });
    await tab.waitFor((e) => e.event === "chapter_checked" && (e.data as any).chapterId === chapters[1]);
    const r = await report(u, id);
    expect(r.chapters[1].checkedAt).not.toBeNull();
    expect(r.chapters[1].metrics.words).toBeGreaterThan(50);
    tab.close();
  });
});

describe("the model audit", () => {
  it("keeps only contradictions whose quotes are really in the book, and counts the rest", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000);
    const { id, chapters } = await written(u, [clean(1)]);
    const est = (await u.get(`/api/stories/${id}/estimate?stage=audit`)).body;
    expect(est.units).toHaveLength(1);
    const { job } = await generate(u, id, { stage: "audit" });
    expect(job.status).toBe("succeeded");
    const r = await report(u, id);
    const contradictions = findingsOf(r, chapters[0]!).filter((f) => f.type === "contradiction");
    expect(contradictions).toHaveLength(1);
    expect(contradictions[0]).toMatchObject({ severity: "warning", contradicts: { chapterNumber: null } });
    expect(clean(1)).toContain(contradictions[0].quote);
    expect(CAST[0]!.description).toContain(contradictions[0].contradicts.quote);
    expect(r.chapters[0].metrics.unverifiedDropped).toBe(2);
    // The audit described the prose as it was: once the prose changes, its findings are gone.
    await u.patch(`/api/stories/${id}/chapters/${chapters[0]}`, { content: clean(3) });
    const after = await report(u, id);
    expect(findingsOf(after, chapters[0]!).some((f) => f.type === "contradiction")).toBe(false);
    expect(after.chapters[0].metrics.unverifiedDropped).toBeUndefined();
  });
});
