// Prose lives in R2 and D1 keeps its hash (docs/SCALE.md): every version is one object, edits,
// restores and deletes follow it there, rows written before the move still read and are moved by
// the hourly upkeep, and objects no row points at are swept.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker";
import { getDb } from "../../src/domain/db/client";
import { dropUnreferenced, findingsKey, guideKey, proseKey, proseUpkeep } from "../../src/domain/prose";
import { sha256Hex } from "../../src/domain/crypto";
import { newStory, newUser, type Client } from "../support/client";

const row = (id: number) => env.DB.prepare("SELECT content, content_hash AS hash, word_count AS words FROM chapters WHERE id = ?").bind(id).first<{ content: string | null; hash: string | null; words: number }>();
const revisionRows = (id: number) =>
  env.DB.prepare("SELECT content, content_hash AS hash, word_count AS words FROM chapter_revisions WHERE chapter_id = ? ORDER BY id").bind(id).all<{ content: string; hash: string | null; words: number }>().then((r) => r.results);
const all = async (prefix: string) => (await env.FILES.list({ prefix })).objects.map((o) => o.key).sort();
/** A chapter's prose versions under `prefix` (its findings are objects beside them). */
const keys = async (prefix: string) => (await all(prefix)).filter((k) => k.endsWith(".md"));
const findingsRow = (id: number) => env.DB.prepare("SELECT findings, findings_hash AS hash FROM chapter_checks WHERE chapter_id = ?").bind(id).first<{ findings: string; hash: string | null }>();
const text = async (key: string) => (await env.FILES.get(key))?.text() ?? null;

async function storyWithProse(u: Client, ...versions: string[]) {
  const s = await newStory(u);
  const chapterId = s.chapters[0]!.id;
  for (const content of versions) expect((await u.patch(`/api/stories/${s.story.id}/chapters/${chapterId}`, { content })).status).toBe(200);
  return { storyId: s.story.id, chapterId };
}

describe("prose in R2", () => {
  it("keeps each version's text in R2 under its hash, and only the hash and word count in D1", async () => {
    const u = await newUser();
    const first = "The first draft of the opening, short and plain.";
    const second = "The second draft, which the author liked better, and kept for a while.";
    const { storyId, chapterId } = await storyWithProse(u, first, second);
    const now = await row(chapterId);
    expect(now).toEqual({ content: null, hash: await sha256Hex(second), words: 13 });
    expect(await text(proseKey(storyId, chapterId, now!.hash!))).toBe(second);
    expect(await revisionRows(chapterId)).toEqual([{ content: "", hash: await sha256Hex(first), words: 9 }]);
    expect(await keys(`stories/${storyId}/chapters/${chapterId}/`)).toEqual(
      [proseKey(storyId, chapterId, await sha256Hex(first)), proseKey(storyId, chapterId, await sha256Hex(second))].sort(),
    );
    const chapter = (await u.get(`/api/stories/${storyId}/chapters/${chapterId}`)).body.chapter;
    expect(chapter.content).toBe(second);
    expect(chapter.wordCount).toBe(13);

    // A revision is listed with its text and restored by its key: nothing new is stored.
    const [rev] = (await u.get(`/api/stories/${storyId}/chapters/${chapterId}/revisions`)).body.revisions;
    expect(rev).toMatchObject({ content: first, wordCount: 9 });
    const restored = await u.post(`/api/stories/${storyId}/chapters/${chapterId}/revisions/${rev.id}/restore`, {});
    expect(restored.body.chapter.content).toBe(first);
    expect((await keys(`stories/${storyId}/chapters/${chapterId}/`)).length).toBe(2);

    // The book exports from R2 too.
    const md = await u.get(`/api/stories/${storyId}/export?format=md`);
    expect(md.status).toBe(200);
    expect(md.body).toContain(first);

    // Deleting the chapter, then the story, deletes their objects.
    const other = (await u.get(`/api/stories/${storyId}`)).body.chapters[1].id;
    await u.patch(`/api/stories/${storyId}/chapters/${other}`, { content: "Another chapter's prose, enough to count." });
    expect(await keys(`stories/${storyId}/chapters/${other}/`)).toHaveLength(1);
    expect((await u.del(`/api/stories/${storyId}/chapters/${chapterId}`)).status).toBe(200);
    expect(await all(`stories/${storyId}/chapters/${chapterId}/`)).toEqual([]);
    expect(await keys(`stories/${storyId}/chapters/${other}/`)).toHaveLength(1);
    expect((await u.del(`/api/stories/${storyId}`)).status).toBe(200);
    expect(await keys(`stories/${storyId}/`)).toEqual([]);
  });

  it("reads prose stored in D1 before the move, and the hourly upkeep moves it without changing a word", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const chapterId = s.chapters[0]!.id;
    const legacy = "Prose written before R2, stored inline in D1 as it always was.";
    const older = "An older version, kept inline in its revision row.";
    await env.DB.prepare("UPDATE chapters SET content = ?, content_source = 'generated', content_hash = NULL, word_count = 12 WHERE id = ?").bind(legacy, chapterId).run();
    await env.DB.prepare("INSERT INTO chapter_revisions (chapter_id, content, source) VALUES (?, ?, 'generated')").bind(chapterId, older).run();
    const path = `/api/stories/${s.story.id}/chapters/${chapterId}`;
    expect((await u.get(path)).body.chapter.content).toBe(legacy);
    expect((await u.get(`${path}/revisions`)).body.revisions[0].content).toBe(older);

    // The Worker's scheduled handler, as the hourly cron calls it.
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    expect(await row(chapterId)).toEqual({ content: null, hash: await sha256Hex(legacy), words: 12 });
    expect(await revisionRows(chapterId)).toEqual([{ content: "", hash: await sha256Hex(older), words: 9 }]);
    expect(await text(proseKey(s.story.id, chapterId, await sha256Hex(legacy)))).toBe(legacy);
    expect((await u.get(path)).body.chapter.content).toBe(legacy);
    expect((await u.get(`${path}/revisions`)).body.revisions[0]).toMatchObject({ content: older, wordCount: 9 });
    // Run again: nothing left to move, nothing changes.
    expect((await proseUpkeep(getDb(env), env.FILES)).moved).toEqual({ chapters: 0, revisions: 0, guides: 0 });
    expect((await u.get(path)).body.chapter.content).toBe(legacy);
  });

  it("treats a chapter emptied before the move as empty: no prose, no revision of nothing, nothing read from R2", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const chapterId = s.chapters[0]!.id;
    // What saving an empty text used to store: '' inline, with the hash of ''.
    await env.DB.prepare("UPDATE chapters SET content = '', content_source = 'edited', content_hash = ? WHERE id = ?").bind(await sha256Hex(""), chapterId).run();
    const path = `/api/stories/${s.story.id}/chapters/${chapterId}`;
    const read = await u.get(path);
    expect(read.status).toBe(200);
    expect(read.body.chapter.content).toBeNull();
    expect((await u.get(`/api/stories/${s.story.id}`)).body.chapters[0].hasContent).toBe(false);
    expect((await u.patch(path, { content: "Words at last, written after the move." })).status).toBe(200);
    expect(await revisionRows(chapterId)).toEqual([]);
    expect((await u.get(path)).body.chapter.content).toBe("Words at last, written after the move.");
  });

  it("keeps a chapter's findings in R2 under their hash, reads them into the report, and sweeps the ones a new check replaced", async () => {
    const u = await newUser();
    // A chapter far short of its target length has a finding.
    const { storyId, chapterId } = await storyWithProse(u, "The fog came in over the harbour, and nobody at all was out in it.");
    const first = (await findingsRow(chapterId))!;
    expect(first.findings).toBe("[]");
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = await text(findingsKey(storyId, chapterId, first.hash!));
    expect(await sha256Hex(stored!)).toBe(first.hash);
    const report = (await u.get(`/api/stories/${storyId}/continuity`)).body;
    const mine = report.chapters.find((c: { chapterId: number }) => c.chapterId === chapterId);
    expect(mine.findings.length).toBeGreaterThan(0);
    expect(mine.findings).toEqual(JSON.parse(stored!));

    // A save that changes the findings stores a new object; the old one goes with the sweep.
    await u.patch(`/api/stories/${storyId}/chapters/${chapterId}`, { content: "Ada rowed out to the light, and a longer draft it was, though still far too short for a chapter." });
    const second = (await findingsRow(chapterId))!;
    expect(second.hash).not.toBe(first.hash);
    await proseUpkeep(getDb(env), env.FILES, Date.now() + 2 * 60 * 60 * 1000);
    expect(await text(findingsKey(storyId, chapterId, first.hash!))).toBeNull();
    const now = (await u.get(`/api/stories/${storyId}/continuity`)).body.chapters.find((c: { chapterId: number }) => c.chapterId === chapterId);
    expect(now.findings).toEqual(JSON.parse((await text(findingsKey(storyId, chapterId, second.hash!)))!));

    // A check stored before findings moved to R2 is still read from its row.
    await env.DB.prepare("UPDATE chapter_checks SET findings = ?, findings_hash = NULL WHERE chapter_id = ?").bind(stored, chapterId).run();
    const legacy = (await u.get(`/api/stories/${storyId}/continuity`)).body.chapters.find((c: { chapterId: number }) => c.chapterId === chapterId);
    expect(legacy.findings).toEqual(JSON.parse(stored!));
  });

  it("sweeps objects no row points at, once past the grace a unit in flight needs, and keeps every version in use", async () => {
    const u = await newUser();
    const { storyId, chapterId } = await storyWithProse(u, "Version one of the chapter, plain.", "Version two of the chapter, better.");
    const orphan = proseKey(storyId, chapterId, "0".repeat(64));
    await env.FILES.put(orphan, "A unit put this, then crashed before its commit.");
    const db = getDb(env);
    // Within the grace it stays: its unit may still commit.
    expect((await proseUpkeep(db, env.FILES)).swept).toBe(0);
    expect(await text(orphan)).not.toBeNull();
    const later = Date.now() + 2 * 60 * 60 * 1000;
    expect((await proseUpkeep(db, env.FILES, later)).swept).toBeGreaterThanOrEqual(1);
    expect(await text(orphan)).toBeNull();
    expect(await keys(`stories/${storyId}/chapters/${chapterId}/`)).toHaveLength(2);
    expect((await u.get(`/api/stories/${storyId}/chapters/${chapterId}`)).body.chapter.content).toBe("Version two of the chapter, better.");

    // What a unit drops when its commit did not apply: its own object, never one a row names.
    const current = proseKey(storyId, chapterId, (await row(chapterId))!.hash!);
    await env.FILES.put(orphan, "Another lost unit's text.");
    await dropUnreferenced(db, env.FILES, storyId, [orphan, current]);
    expect(await text(orphan)).toBeNull();
    expect(await text(current)).toBe("Version two of the chapter, better.");
  });
});

describe("beats in R2", () => {
  const guideRow = (id: number) =>
    env.DB.prepare("SELECT guide, guide_hash AS hash, guide_count AS count FROM chapters WHERE id = ?").bind(id).first<{ guide: string | null; hash: string | null; count: number }>();
  const beats = (...texts: string[]) => texts.map((text) => ({ text, characters: [], locations: [] }));

  it("keeps a chapter's beats as one object under their hash, with the hash and count in D1, and reads them into the chapter, the story and the estimate", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const storyId = s.story.id;
    const chapterId = s.chapters[0]!.id;
    const path = `/api/stories/${storyId}/chapters/${chapterId}`;
    const parts = beats("The lamp goes out at the harbour mouth.", "Ada rows to the light alone.");
    expect((await u.put(`${path}/guide`, { parts })).status).toBe(200);
    const stored = (await guideRow(chapterId))!;
    expect(stored).toEqual({ guide: null, hash: await sha256Hex(JSON.stringify(parts)), count: 2 });
    expect(JSON.parse((await text(guideKey(storyId, chapterId, stored.hash!)))!)).toEqual(parts);
    expect((await u.get(path)).body.chapter.guide).toEqual(parts);
    const story = (await u.get(`/api/stories/${storyId}`)).body;
    expect(story.chapters.map((c: { hasGuide: boolean }) => c.hasGuide)).toEqual(s.chapters.map((_, i) => i === 0));

    // New beats are a new object; the old one goes with the sweep. Clearing them stores none.
    const next = beats("The lamp goes out.", "Ada rows out.", "The light answers.");
    await u.put(`${path}/guide`, { parts: next });
    const replaced = (await guideRow(chapterId))!;
    expect(replaced.count).toBe(3);
    await proseUpkeep(getDb(env), env.FILES, Date.now() + 2 * 60 * 60 * 1000);
    expect(await text(guideKey(storyId, chapterId, stored.hash!))).toBeNull();
    expect(JSON.parse((await text(guideKey(storyId, chapterId, replaced.hash!)))!)).toEqual(next);
    await u.put(`${path}/guide`, { parts: [] });
    expect(await guideRow(chapterId)).toEqual({ guide: null, hash: null, count: 0 });
    expect((await u.get(path)).body.chapter.guide).toEqual([]);
    expect((await u.get(`/api/stories/${storyId}`)).body.chapters[0].hasGuide).toBe(false);
  });

  it("renames a name in the beats by writing them again", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const path = `/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`;
    await u.put(`${path}/guide`, { parts: beats("Mara finds the letter.", "Nobody answers the door.") });
    const rename = await u.post(`/api/stories/${s.story.id}/rename`, { from: "Mara", to: "Cora" });
    expect(rename.status).toBe(200);
    expect(rename.body.replaced).toBe(1);
    expect((await u.get(path)).body.chapter.guide.map((p: { text: string }) => p.text)).toEqual(["Cora finds the letter.", "Nobody answers the door."]);
  });

  it("reads beats stored in D1 before the move, and the hourly upkeep moves them without changing one", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const chapterId = s.chapters[1]!.id;
    const parts = [
      { text: "The tide turns early.", characters: ["Ada"], locations: ["The Point"] },
      { text: "A boat without a name.", characters: [], locations: [] },
    ];
    // What migration 0007 leaves: the rows' beats as the chapter's JSON, in order, with their count.
    const inline = JSON.stringify(parts);
    await env.DB.prepare("UPDATE chapters SET guide = ?, guide_hash = NULL, guide_count = 2 WHERE id = ?").bind(inline, chapterId).run();
    const path = `/api/stories/${s.story.id}/chapters/${chapterId}`;
    expect((await u.get(path)).body.chapter.guide).toEqual(parts);
    expect((await u.get(`/api/stories/${s.story.id}`)).body.chapters[1].hasGuide).toBe(true);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    expect(await guideRow(chapterId)).toEqual({ guide: null, hash: await sha256Hex(inline), count: 2 });
    expect(JSON.parse((await text(guideKey(s.story.id, chapterId, await sha256Hex(inline))))!)).toEqual(parts);
    expect((await u.get(path)).body.chapter.guide).toEqual(parts);
    expect((await proseUpkeep(getDb(env), env.FILES)).moved.guides).toBe(0);
  });
});
