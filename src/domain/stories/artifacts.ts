// The artifacts of a story: cast and places, arcs, the outline, chapters and their beats. Every write that touches more than one row is one batch.
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Digest, GuideInput, MetaInput, OutlineInput, RenameInput, UpdateChapterInput } from "../../shared/schemas";
import { chapterCheckItems } from "../continuity";
import { sha256Hex } from "../crypto";
import { chunkedInsert, runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { chapterDigests, chapters, characters, locations, stories, storyArcs } from "../db/schema";
import { AppError, fieldError } from "../errors";
import { putProse, readGuides, readProse, readText, storeGuide, type StoredGuide, type TextRef } from "../prose";
import { LIMITS } from "../../shared/schemas";
import type { ChapterRow, StoryRow } from "./access";
import { lastRevisionAt, setContentItems } from "./revisions";

// ---------------------------------------------------------------- artifacts

export function replaceMetaItems(db: Db, storyId: number, meta: MetaInput): BatchItem<"sqlite">[] {
  const now = new Date();
  return [
    db.delete(characters).where(eq(characters.storyId, storyId)),
    db.delete(locations).where(eq(locations.storyId, storyId)),
    ...chunkedInsert(
      db,
      characters,
      meta.characters.map((c, position) => ({ storyId, position, ...c })),
    ),
    ...chunkedInsert(
      db,
      locations,
      meta.locations.map((l, position) => ({ storyId, position, ...l })),
    ),
    db.update(stories).set({ metaUpdatedAt: now, updatedAt: now }).where(eq(stories.id, storyId)),
  ];
}

export function replaceArcsItems(db: Db, storyId: number, arcs: string[]): BatchItem<"sqlite">[] {
  const now = new Date();
  return [
    db.delete(storyArcs).where(eq(storyArcs.storyId, storyId)),
    ...chunkedInsert(
      db,
      storyArcs,
      arcs.map((text, position) => ({ storyId, position, text })),
    ),
    db.update(stories).set({ arcsUpdatedAt: now, updatedAt: now }).where(eq(stories.id, storyId)),
  ];
}

export async function putOutline(db: Db, story: StoryRow, input: OutlineInput) {
  const existing = await db
    .select({ id: chapters.id, number: chapters.number, title: chapters.title, summary: chapters.summary })
    .from(chapters)
    .where(eq(chapters.storyId, story.id))
    .orderBy(asc(chapters.number));
  const byId = new Map(existing.map((c) => [c.id, c]));
  const fields: Record<string, string> = {};
  input.chapters.forEach((c, i) => {
    if (c.id && !byId.has(c.id)) fields[`chapters.${i}.id`] = "Not a chapter of this story";
  });
  if (Object.keys(fields).length)
    throw new AppError("validation_failed", "The outline names chapters this story does not have", { fields });

  const listed = new Set(input.chapters.flatMap((c) => (c.id ? [c.id] : [])));
  const missing = existing.filter((c) => !listed.has(c.id));
  const kept = input.deleteMissing ? [] : missing;
  // Chapters left out are kept (unless deleteMissing), so the limit is on what the story will have.
  const total = input.chapters.length + kept.length;
  if (total > LIMITS.chapters)
    throw new AppError(
      "validation_failed",
      `chapters: a story has at most ${LIMITS.chapters} chapters, and this outline would make ${total} (${kept.length} left out of it are kept). Give the ids of the chapters you keep, or set deleteMissing.`,
      { fields: { chapters: `At most ${LIMITS.chapters} chapters in all; this would make ${total}` } },
    );
  if (total < 1) throw fieldError("chapters", "A story keeps at least one chapter");
  const now = new Date();
  const items: BatchItem<"sqlite">[] = [
    // Two-phase renumbering keeps (story_id, number) unique after every statement.
    db
      .update(chapters)
      .set({ number: sql`-${chapters.number}` })
      .where(eq(chapters.storyId, story.id)),
  ];
  if (input.deleteMissing && missing.length)
    items.push(
      db.delete(chapters).where(
        inArray(
          chapters.id,
          missing.map((c) => c.id),
        ),
      ),
    );
  const fresh: (typeof chapters.$inferInsert)[] = [];
  input.chapters.forEach((c, i) => {
    const number = i + 1;
    const old = c.id ? byId.get(c.id) : undefined;
    if (!old) {
      fresh.push({ storyId: story.id, number, title: c.title, summary: c.summary, summaryUpdatedAt: now });
      return;
    }
    const changed = old.title !== c.title || old.summary !== c.summary;
    items.push(
      db
        .update(chapters)
        .set({ number, title: c.title, summary: c.summary, ...(changed ? { summaryUpdatedAt: now, updatedAt: now } : {}) })
        .where(eq(chapters.id, old.id)),
    );
  });
  kept.forEach((c, i) =>
    items.push(
      db
        .update(chapters)
        .set({ number: input.chapters.length + i + 1 })
        .where(eq(chapters.id, c.id)),
    ),
  );
  items.push(...chunkedInsert(db, chapters, fresh));
  items.push(
    db
      .update(stories)
      .set({ chaptersCount: realChapterCount(story.id), outlineUpdatedAt: now, updatedAt: now })
      .where(eq(stories.id, story.id)),
  );
  await runBatch(db, items);
}

/** chapters_count as SQL: always the number of chapter rows, counted in the statement that sets it. */
export const realChapterCount = (storyId: number) => sql<number>`(SELECT count(*) FROM chapters c WHERE c.story_id = ${storyId})`;

export async function deleteChapter(db: Db, story: StoryRow, chapter: ChapterRow) {
  const now = new Date();
  const [{ n }] = (await db.select({ n: count() }).from(chapters).where(eq(chapters.storyId, story.id))) as [{ n: number }];
  if (n <= 1) throw new AppError("conflict", "A story keeps at least one chapter: write over this one instead");
  await db.batch([
    db.delete(chapters).where(eq(chapters.id, chapter.id)),
    db
      .update(chapters)
      .set({ number: sql`${chapters.number} - 1` })
      .where(and(eq(chapters.storyId, story.id), sql`${chapters.number} > ${chapter.number}`)),
    db
      .update(stories)
      .set({ chaptersCount: realChapterCount(story.id), outlineUpdatedAt: now, updatedAt: now })
      .where(eq(stories.id, story.id)),
  ]);
}

/** Whether `text` is what the chapter holds now, without reading it from R2. */
const sameText = async (chapter: TextRef, text: string) =>
  chapter.content !== null ? chapter.content === text : chapter.contentHash === (text === "" ? null : await sha256Hex(text));

export async function updateChapter(db: Db, bucket: R2Bucket, story: StoryRow, chapter: ChapterRow, patch: UpdateChapterInput) {
  const now = new Date();
  const items: BatchItem<"sqlite">[] = [];
  const { content, ...fields } = patch;
  const summaryChanged =
    (fields.title !== undefined && fields.title !== chapter.title) ||
    (fields.summary !== undefined && fields.summary !== chapter.summary);
  if (Object.keys(fields).length)
    items.push(
      db
        .update(chapters)
        .set({ ...fields, ...(summaryChanged ? { summaryUpdatedAt: now } : {}), updatedAt: now })
        .where(eq(chapters.id, chapter.id)),
    );
  if (content !== undefined && !(await sameText(chapter, content)))
    items.push(
      ...setContentItems(db, chapter, await putProse(bucket, story.id, chapter.id, content), "edited", await lastRevisionAt(db, chapter.id), { bibleHash: null }),
      // Its continuity checks run on every save, in the same batch.
      ...(await chapterCheckItems(db, bucket, story.id, chapter, content)).items,
    );
  items.push(db.update(stories).set({ updatedAt: now }).where(eq(stories.id, story.id)));
  await runBatch(db, items);
}

/** Checks beat names against the cast and returns canonical spellings, or a 400 naming each unknown. */
export async function putGuide(db: Db, bucket: R2Bucket, story: StoryRow, chapter: ChapterRow, input: GuideInput) {
  const [chars, locs] = await db.batch([
    db.select({ name: characters.name }).from(characters).where(eq(characters.storyId, story.id)),
    db.select({ name: locations.name }).from(locations).where(eq(locations.storyId, story.id)),
  ]);
  const known = (rows: { name: string }[]) => new Map(rows.map((r) => [r.name.toLowerCase(), r.name]));
  const charNames = known(chars);
  const locNames = known(locs);
  const fields: Record<string, string> = {};
  const parts = (input.parts ?? []).map((p, i) => ({
    text: p.text,
    characters: p.characters.map((n, j) => {
      const name = charNames.get(n.trim().toLowerCase());
      if (!name) fields[`parts.${i}.characters.${j}`] = `Unknown character "${n}"`;
      return name ?? n;
    }),
    locations: p.locations.map((n, j) => {
      const name = locNames.get(n.trim().toLowerCase());
      if (!name) fields[`parts.${i}.locations.${j}`] = `Unknown location "${n}"`;
      return name ?? n;
    }),
  }));
  if (Object.keys(fields).length)
    throw new AppError("validation_failed", "The beats name characters or places the story does not have", {
      fields,
    });
  // The object first, its hash in the batch; if the batch fails, the sweep takes the object.
  const stored = input.parts ? await storeGuide(bucket, story.id, chapter.id, parts) : null;
  await runBatch(db, [...(stored ? replaceGuideItems(db, chapter.id, stored) : []), ...(await contractItems(db, story, chapter, input))]);
}

/**
 * The chapter's contracts, saved with its beats. Its exit is stored on it; its entry is the previous
 * chapter's exit (or the book's opening for chapter 1), so the two can never disagree.
 */
async function contractItems(db: Db, story: StoryRow, chapter: ChapterRow, input: GuideInput): Promise<BatchItem<"sqlite">[]> {
  const items: BatchItem<"sqlite">[] = [];
  if (input.exit !== undefined) items.push(db.update(chapters).set({ exitContract: input.exit }).where(eq(chapters.id, chapter.id)));
  if (input.entry !== undefined) {
    const [prev] = await db
      .select({ id: chapters.id })
      .from(chapters)
      .where(and(eq(chapters.storyId, story.id), eq(chapters.number, chapter.number - 1)));
    items.push(
      prev
        ? db.update(chapters).set({ exitContract: input.entry }).where(eq(chapters.id, prev.id))
        : db.update(stories).set({ openingContract: input.entry }).where(eq(stories.id, story.id)),
    );
  }
  return items;
}

/**
 * The author's correction of what the book remembers from a chapter. It describes the prose as it
 * is now; every fact must quote the chapter exactly (a 400 names the ones that do not).
 */
export async function putDigest(db: Db, bucket: R2Bucket, chapter: ChapterRow, digest: Digest) {
  const text = await readText(bucket, chapter.storyId, chapter.id, chapter);
  if (!text) throw new AppError("conflict", "This chapter has no prose yet: write it first, then its memory can be corrected");
  const fields: Record<string, string> = {};
  digest.facts.forEach((f, i) => {
    if (!text.includes(f.quote)) fields[`facts.${i}.quote`] = "Not found word for word in the chapter";
  });
  if (Object.keys(fields).length) throw new AppError("validation_failed", "Some facts quote words the chapter does not have", { fields });
  const contentHash = chapter.contentHash ?? (await sha256Hex(text));
  const now = new Date();
  await db.batch([
    db
      .insert(chapterDigests)
      .values({ chapterId: chapter.id, contentHash, digest, droppedFacts: 0, source: "edited", updatedAt: now })
      .onConflictDoUpdate({ target: chapterDigests.chapterId, set: { contentHash, digest, droppedFacts: 0, source: "edited", updatedAt: now } }),
    db.update(chapters).set({ contentHash }).where(eq(chapters.id, chapter.id)),
  ]);
}

/** Records a chapter's new beats, already stored (`storeGuide`), and restarts their clock. */
export function replaceGuideItems(db: Db, chapterId: number, { columns }: StoredGuide): BatchItem<"sqlite">[] {
  const now = new Date();
  return [db.update(chapters).set({ ...columns, guideUpdatedAt: now, updatedAt: now }).where(eq(chapters.id, chapterId))];
}

/** Whole-word occurrences of `name` (letters and digits around it end a word, in any script). */
const wordsOf = (name: string) => new RegExp(`(?<![\\p{L}\\p{N}])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "gu");

/**
 * Renames a name everywhere in a story: every chapter's prose (each changed chapter keeps its old
 * text as a revision), titles and summaries, beats (their text and the names they list), and the
 * character or place that has it. Answers how many occurrences changed.
 */
export async function renameEverywhere(db: Db, bucket: R2Bucket, story: StoryRow, input: RenameInput): Promise<{ replaced: number }> {
  const { from, to } = input;
  const find = wordsOf(from);
  const [rows, chars, locs] = await db.batch([
    db.select().from(chapters).where(eq(chapters.storyId, story.id)),
    db.select({ id: characters.id, name: characters.name }).from(characters).where(eq(characters.storyId, story.id)),
    db.select({ id: locations.id, name: locations.name }).from(locations).where(eq(locations.storyId, story.id)),
  ]);
  const taken = (list: { name: string }[]) => list.some((x) => x.name.toLowerCase() === to.toLowerCase() && x.name !== from);
  if (chars.some((c) => c.name === from) && taken(chars)) throw new AppError("conflict", `A character is already called ${to}`, { fields: { to: "Already a character's name" } });
  if (locs.some((l) => l.name === from) && taken(locs)) throw new AppError("conflict", `A place is already called ${to}`, { fields: { to: "Already a place's name" } });
  const [texts, guides] = await Promise.all([readProse(bucket, story.id, rows), readGuides(bucket, story.id, rows)]);
  let replaced = 0;
  const swap = (text: string) => text.replace(find, () => (replaced++, to));
  const items: BatchItem<"sqlite">[] = [];
  const now = new Date();
  for (const c of rows) {
    const title = swap(c.title);
    const summary = swap(c.summary);
    if (title !== c.title || summary !== c.summary) items.push(db.update(chapters).set({ title, summary, updatedAt: now }).where(eq(chapters.id, c.id)));
    const text = texts.get(c.id);
    if (!text) continue;
    const content = swap(text);
    if (content === text) continue;
    items.push(
      ...setContentItems(db, c, await putProse(bucket, story.id, c.id, content), "edited", await lastRevisionAt(db, c.id), { bibleHash: c.bibleHash }),
      ...(await chapterCheckItems(db, bucket, story.id, c, content)).items,
    );
  }
  const names = (xs: string[]) => xs.map((n) => (n === from ? to : n));
  for (const [chapterId, parts] of guides) {
    const renamed = parts.map((p) => ({ text: swap(p.text), characters: names(p.characters), locations: names(p.locations) }));
    if (JSON.stringify(renamed) === JSON.stringify(parts)) continue;
    const { columns } = await storeGuide(bucket, story.id, chapterId, renamed);
    items.push(db.update(chapters).set(columns).where(eq(chapters.id, chapterId)));
  }
  for (const c of chars.filter((x) => x.name === from)) items.push(db.update(characters).set({ name: to }).where(eq(characters.id, c.id)));
  for (const l of locs.filter((x) => x.name === from)) items.push(db.update(locations).set({ name: to }).where(eq(locations.id, l.id)));
  items.push(db.update(stories).set({ updatedAt: now }).where(eq(stories.id, story.id)));
  await runBatch(db, items);
  return { replaced };
}
