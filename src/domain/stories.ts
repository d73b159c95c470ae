// Stories and their artifacts: reads, edits, revisions. Every write that touches more than one
// row goes through one db.batch, so an edit either lands whole or not at all.
import { and, asc, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type {
  Chapter,
  ChapterSummary,
  GuidePart as GuidePartJson,
  Revision,
  Story,
  StoryDetail,
} from "../shared/api";
import type {
  CreateStoryInput,
  GuideInput,
  MetaInput,
  OutlineInput,
  UpdateChapterInput,
  UpdateStoryInput,
} from "../shared/schemas";
import { defaultChapterImagePrompt, defaultCoverPrompt } from "../core/prompts";
import { countWords, uniqueCaseless } from "../core/text";
import { chunkedInsert, runBatch } from "./db/batch";
import type { Db } from "./db/client";
import {
  chapterGuides,
  chapterRevisions,
  chapters,
  characters,
  locations,
  stories,
  storyArcs,
  storyTags,
  tags,
  users,
} from "./db/schema";
import { AppError, notFound } from "./errors";
import type { SessionUser } from "./accounts";
import { storyPartsQueries } from "./context";

export type StoryRow = typeof stories.$inferSelect;
export type ChapterRow = typeof chapters.$inferSelect;

export const KEEP_REVISIONS = 10;
/** Autosaves of one editing session share a single snapshot of what came before it. */
const EDIT_SESSION_MS = 10 * 60 * 1000;

// ---------------------------------------------------------------- access

/** The caller's own story, or 404 (another user's private story does not exist for them). */
export async function ownedStory(db: Db, storyId: number, user: SessionUser): Promise<StoryRow> {
  const [row] = await db
    .select()
    .from(stories)
    .where(and(eq(stories.id, storyId), eq(stories.userId, user.id)));
  if (!row) throw notFound("Story");
  return row;
}

export const isPublic = (s: StoryRow) => s.shared && !s.flagged;

/** Own stories, public ones (signed-in readers) and, for admins, any. */
const canRead = (s: StoryRow, user: SessionUser) => s.userId === user.id || isPublic(s) || user.isAdmin;

export async function readableStory(db: Db, storyId: number, user: SessionUser): Promise<StoryRow> {
  const [row] = await db.select().from(stories).where(eq(stories.id, storyId));
  if (!row || !canRead(row, user)) throw notFound("Story");
  return row;
}

export async function storyChapter(db: Db, storyId: number, chapterId: number): Promise<ChapterRow> {
  const [row] = await db
    .select()
    .from(chapters)
    .where(and(eq(chapters.id, chapterId), eq(chapters.storyId, storyId)));
  if (!row) throw notFound("Chapter");
  return row;
}

// ---------------------------------------------------------------- JSON shapes

export const coverUrl = (s: Pick<StoryRow, "id" | "coverImageKey" | "updatedAt">) =>
  s.coverImageKey ? `/api/images/${s.id}/cover?v=${s.updatedAt.getTime()}` : null;

export const chapterImageUrl = (c: Pick<ChapterRow, "id" | "storyId" | "imageKey" | "updatedAt">) =>
  c.imageKey ? `/api/images/${c.storyId}/chapters/${c.id}?v=${c.updatedAt.getTime()}` : null;

export function toStoryJson(s: StoryRow, tagNames: string[], author: string): Story {
  return {
    id: s.id,
    userId: s.userId,
    author,
    title: s.title,
    details: s.details,
    tags: tagNames,
    inspirations: s.inspirations,
    writingStyle: s.writingStyle,
    chaptersCount: s.chaptersCount,
    targetChapterWords: s.targetChapterWords,
    shared: s.shared,
    mature: s.mature,
    spotlight: s.spotlight,
    flagged: s.flagged,
    coverImageUrl: coverUrl(s),
    coverImagePrompt: s.coverImagePrompt,
    favoritesCount: s.favoritesCount,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

const time = (d: Date | null | undefined) => d?.getTime() ?? 0;

type ChapterListRow = Omit<ChapterRow, "content"> & { hasContent: boolean };

function toChapterSummary(story: StoryRow, c: ChapterListRow, guideCount: number): ChapterSummary {
  const upstream = Math.max(time(story.metaUpdatedAt), time(story.arcsUpdatedAt));
  const hasGuide = guideCount > 0;
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    summary: c.summary,
    wordCount: c.wordCount,
    hasContent: c.hasContent,
    hasGuide,
    imageUrl: chapterImageUrl(c),
    imagePrompt: c.imagePrompt,
    stale:
      c.hasContent &&
      time(c.contentUpdatedAt) < Math.max(upstream, time(c.summaryUpdatedAt), time(c.guideUpdatedAt)),
    guideStale: hasGuide && time(c.guideUpdatedAt) < Math.max(upstream, time(c.summaryUpdatedAt)),
    updatedAt: c.updatedAt.toISOString(),
  };
}

async function tagsByStory(db: Db, storyIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (!storyIds.length) return map;
  const rows = await db
    .select({ storyId: storyTags.storyId, name: tags.name })
    .from(storyTags)
    .innerJoin(tags, eq(storyTags.tagId, tags.id))
    .where(inArray(storyTags.storyId, storyIds))
    .orderBy(asc(storyTags.position));
  for (const r of rows) map.set(r.storyId, [...(map.get(r.storyId) ?? []), r.name]);
  return map;
}

export async function listStories(db: Db, user: SessionUser): Promise<Story[]> {
  const rows = await db
    .select()
    .from(stories)
    .where(eq(stories.userId, user.id))
    .orderBy(desc(stories.updatedAt));
  const tagMap = await tagsByStory(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toStoryJson(r, tagMap.get(r.id) ?? [], user.username));
}

const chapterListColumns = {
  id: chapters.id,
  storyId: chapters.storyId,
  number: chapters.number,
  title: chapters.title,
  summary: chapters.summary,
  contentSource: chapters.contentSource,
  hasContent: sql<boolean>`${chapters.content} IS NOT NULL AND ${chapters.content} <> ''`.mapWith(Boolean),
  wordCount: chapters.wordCount,
  imageKey: chapters.imageKey,
  imagePrompt: chapters.imagePrompt,
  summaryUpdatedAt: chapters.summaryUpdatedAt,
  guideUpdatedAt: chapters.guideUpdatedAt,
  contentUpdatedAt: chapters.contentUpdatedAt,
  updatedAt: chapters.updatedAt,
};

/**
 * Everything about a story but its prose, in one D1 round trip. With `viewer`, a story they may
 * not read is a 404 (checked after the batch, so the common case costs a single trip).
 */
export async function storyDetail(db: Db, storyId: number, viewer?: SessionUser): Promise<StoryDetail> {
  const [storyRows, tagRows, chars, locs, arcs, chapterRows, guideCounts] = await db.batch([
    db
      .select({ story: stories, author: users.username })
      .from(stories)
      .innerJoin(users, eq(stories.userId, users.id))
      .where(eq(stories.id, storyId)),
    ...storyPartsQueries(db, storyId),
    db.select(chapterListColumns).from(chapters).where(eq(chapters.storyId, storyId)).orderBy(asc(chapters.number)),
    db
      .select({ chapterId: chapterGuides.chapterId, n: sql<number>`count(*)` })
      .from(chapterGuides)
      .innerJoin(chapters, eq(chapterGuides.chapterId, chapters.id))
      .where(eq(chapters.storyId, storyId))
      .groupBy(chapterGuides.chapterId),
  ]);
  const row = storyRows[0];
  if (!row || (viewer && !canRead(row.story, viewer))) throw notFound("Story");
  const story = row.story;
  const guides = new Map(guideCounts.map((g) => [g.chapterId, g.n]));
  const tagNames = tagRows.map((t) => t.name);
  return {
    story: toStoryJson(story, tagNames, row.author),
    characters: chars,
    locations: locs,
    arcs: arcs.map((a) => a.text),
    chapters: chapterRows.map((c) => toChapterSummary(story, c, guides.get(c.id) ?? 0)),
    defaultCoverPrompt: defaultCoverPrompt({ ...story, tags: tagNames, characters: chars, locations: locs }),
  };
}

export async function chapterDetail(db: Db, story: StoryRow, chapter: ChapterRow): Promise<Chapter> {
  const [parts, chars, locs] = await db.batch([
    db.select().from(chapterGuides).where(eq(chapterGuides.chapterId, chapter.id)).orderBy(asc(chapterGuides.position)),
    db.select().from(characters).where(eq(characters.storyId, story.id)).orderBy(asc(characters.position)),
    db.select().from(locations).where(eq(locations.storyId, story.id)).orderBy(asc(locations.position)),
  ]);
  const { content, ...rest } = chapter;
  const guide: GuidePartJson[] = parts.map(({ text, characters, locations }) => ({ text, characters, locations }));
  return {
    ...toChapterSummary(story, { ...rest, hasContent: !!content }, parts.length),
    content,
    defaultImagePrompt: defaultChapterImagePrompt(
      { title: story.title, characters: chars, locations: locs, chapters: [{ ...chapter, guide }] },
      chapter.id,
    ),
    guide,
  };
}

// ---------------------------------------------------------------- story CRUD

async function tagIds(db: Db, names: string[]): Promise<number[]> {
  const unique = uniqueCaseless(names.map((n) => n.trim()));
  if (!unique.length) return [];
  // At most LIMITS.tags names: one statement stays under D1's 100 parameters.
  await db
    .insert(tags)
    .values(unique.map((name) => ({ name })))
    .onConflictDoNothing();
  const rows = await db
    .select({ id: tags.id, name: tags.name })
    .from(tags)
    .where(inArray(sql`lower(${tags.name})`, unique.map((n) => n.toLowerCase())));
  const byName = new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  return unique.map((n) => byName.get(n.toLowerCase())!).filter(Boolean);
}

function replaceTags(db: Db, storyId: number, ids: number[]): BatchItem<"sqlite">[] {
  return [
    db.delete(storyTags).where(eq(storyTags.storyId, storyId)),
    ...chunkedInsert(
      db,
      storyTags,
      ids.map((tagId, position) => ({ storyId, tagId, position })),
    ),
  ];
}

/**
 * Five reports put an author under review (SPEC §12). Until an admin clears it, nothing more of
 * theirs becomes public: stories already shared stay as they are, new shares are refused.
 */
function assertMayShare(user: SessionUser) {
  if (!user.underReview) return;
  const why = "Your account is under review after readers reported one of your stories; you can share again once an admin has looked at it.";
  throw new AppError("under_review", why, { fields: { shared: why } });
}

export async function createStory(db: Db, user: SessionUser, input: CreateStoryInput): Promise<StoryDetail> {
  if (input.shared) assertMayShare(user);
  const ids = await tagIds(db, input.tags);
  const [story] = await db
    .insert(stories)
    .values({
      userId: user.id,
      title: input.title,
      details: input.details,
      inspirations: input.inspirations,
      writingStyle: input.writingStyle,
      chaptersCount: input.chaptersCount,
      targetChapterWords: input.targetChapterWords,
      shared: input.shared,
      mature: input.mature,
      coverImagePrompt: input.coverImagePrompt ?? null,
    })
    .returning();
  // Empty chapter rows 1..n: the outline fills them in place later.
  await runBatch(db, [
    ...replaceTags(db, story!.id, ids),
    ...chunkedInsert(
      db,
      chapters,
      Array.from({ length: input.chaptersCount }, (_, i) => ({ storyId: story!.id, number: i + 1 })),
    ),
  ]);
  return storyDetail(db, story!.id);
}

export async function updateStory(db: Db, user: SessionUser, story: StoryRow, patch: UpdateStoryInput): Promise<StoryDetail> {
  if (patch.shared && !story.shared) assertMayShare(user);
  const { tags: tagNames, chaptersCount, ...fields } = patch;
  const items: BatchItem<"sqlite">[] = [];
  if (tagNames) items.push(...replaceTags(db, story.id, await tagIds(db, tagNames)));
  if (chaptersCount !== undefined && chaptersCount !== story.chaptersCount) {
    items.push(...(await resizeOutline(db, story, chaptersCount)));
  }
  items.push(
    db
      .update(stories)
      .set({ ...fields, ...(chaptersCount !== undefined ? { chaptersCount } : {}), updatedAt: new Date() })
      .where(eq(stories.id, story.id)),
  );
  await runBatch(db, items);
  return storyDetail(db, story.id);
}

/** Grows the outline with empty chapters, or drops trailing ones that are still empty. */
async function resizeOutline(db: Db, story: StoryRow, count: number): Promise<BatchItem<"sqlite">[]> {
  const rows = await db
    .select({ id: chapters.id, number: chapters.number, ...emptinessColumns })
    .from(chapters)
    .where(eq(chapters.storyId, story.id))
    .orderBy(asc(chapters.number));
  if (count > rows.length) {
    return chunkedInsert(
      db,
      chapters,
      Array.from({ length: count - rows.length }, (_, i) => ({ storyId: story.id, number: rows.length + i + 1 })),
    );
  }
  // Never delete written work silently: only blank chapters at the end go.
  const drop: number[] = [];
  for (const r of rows.slice(count).reverse()) {
    if (!r.blank) break;
    drop.push(r.id);
  }
  return drop.length ? [db.delete(chapters).where(inArray(chapters.id, drop))] : [];
}

const emptinessColumns = {
  blank: sql<boolean>`(${chapters.title} = '' AND ${chapters.summary} = '' AND (${chapters.content} IS NULL OR ${chapters.content} = ''))`.mapWith(
    Boolean,
  ),
};

/** Deletes the story's rows (cascade) and its images: the prefix ends in a slash so story 1 never takes story 12's. */
export async function deleteStory(db: Db, bucket: R2Bucket, storyId: number) {
  await db.delete(stories).where(eq(stories.id, storyId));
  await deleteStoryObjects(bucket, storyId);
}

export async function deleteStoryObjects(bucket: R2Bucket, storyId: number) {
  const prefix = `stories/${storyId}/`;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

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
  const now = new Date();
  const items: BatchItem<"sqlite">[] = [
    // Two-phase renumbering keeps (story_id, number) unique after every statement.
    db
      .update(chapters)
      .set({ number: sql`-${chapters.number}` })
      .where(eq(chapters.storyId, story.id)),
  ];
  if (input.deleteMissing && missing.length)
    items.push(db.delete(chapters).where(inArray(chapters.id, missing.map((c) => c.id))));
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
      .set({ chaptersCount: input.chapters.length + kept.length, outlineUpdatedAt: now, updatedAt: now })
      .where(eq(stories.id, story.id)),
  );
  await runBatch(db, items);
}

export async function deleteChapter(db: Db, story: StoryRow, chapter: ChapterRow) {
  const now = new Date();
  await db.batch([
    db.delete(chapters).where(eq(chapters.id, chapter.id)),
    db
      .update(chapters)
      .set({ number: sql`${chapters.number} - 1` })
      .where(and(eq(chapters.storyId, story.id), sql`${chapters.number} > ${chapter.number}`)),
    db
      .update(stories)
      .set({ chaptersCount: sql`max(1, ${stories.chaptersCount} - 1)`, outlineUpdatedAt: now, updatedAt: now })
      .where(eq(stories.id, story.id)),
  ]);
}

/**
 * Statements that replace a chapter's prose, keeping what it replaces as a revision (the last
 * KEEP_REVISIONS per chapter). Used by edits, restores and the `chapters` stage alike.
 */
export function setContentItems(
  db: Db,
  chapter: Pick<ChapterRow, "id" | "content" | "contentSource" | "contentUpdatedAt">,
  content: string,
  source: "generated" | "edited",
  lastRevisionAt: Date | null,
): BatchItem<"sqlite">[] {
  const now = new Date();
  const items: BatchItem<"sqlite">[] = [];
  const sameEditSession =
    source === "edited" &&
    chapter.contentSource === "edited" &&
    lastRevisionAt !== null &&
    now.getTime() - lastRevisionAt.getTime() < EDIT_SESSION_MS;
  if (chapter.content && chapter.content !== content && !sameEditSession) {
    items.push(
      db.insert(chapterRevisions).values({
        chapterId: chapter.id,
        content: chapter.content,
        source: chapter.contentSource ?? "edited",
      }),
      db.delete(chapterRevisions).where(
        and(
          eq(chapterRevisions.chapterId, chapter.id),
          notInArray(
            chapterRevisions.id,
            db
              .select({ id: chapterRevisions.id })
              .from(chapterRevisions)
              .where(eq(chapterRevisions.chapterId, chapter.id))
              .orderBy(desc(chapterRevisions.id))
              .limit(KEEP_REVISIONS),
          ),
        ),
      ),
    );
  }
  items.push(
    db
      .update(chapters)
      .set({
        content,
        contentSource: source,
        wordCount: countWords(content),
        contentUpdatedAt: now,
        updatedAt: now,
      })
      .where(eq(chapters.id, chapter.id)),
  );
  return items;
}

export async function lastRevisionAt(db: Db, chapterId: number): Promise<Date | null> {
  const [row] = await db
    .select({ at: chapterRevisions.createdAt })
    .from(chapterRevisions)
    .where(eq(chapterRevisions.chapterId, chapterId))
    .orderBy(desc(chapterRevisions.id))
    .limit(1);
  return row?.at ?? null;
}

export async function updateChapter(db: Db, story: StoryRow, chapter: ChapterRow, patch: UpdateChapterInput) {
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
  if (content !== undefined && content !== chapter.content)
    items.push(...setContentItems(db, chapter, content, "edited", await lastRevisionAt(db, chapter.id)));
  items.push(db.update(stories).set({ updatedAt: now }).where(eq(stories.id, story.id)));
  await runBatch(db, items);
}

/** Checks beat names against the cast and returns canonical spellings, or a 400 naming each unknown. */
export async function putGuide(db: Db, story: StoryRow, chapter: ChapterRow, input: GuideInput) {
  const [chars, locs] = await db.batch([
    db.select({ name: characters.name }).from(characters).where(eq(characters.storyId, story.id)),
    db.select({ name: locations.name }).from(locations).where(eq(locations.storyId, story.id)),
  ]);
  const known = (rows: { name: string }[]) => new Map(rows.map((r) => [r.name.toLowerCase(), r.name]));
  const charNames = known(chars);
  const locNames = known(locs);
  const fields: Record<string, string> = {};
  const parts = input.parts.map((p, i) => ({
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
  await runBatch(db, replaceGuideItems(db, chapter.id, parts));
}

export function replaceGuideItems(db: Db, chapterId: number, parts: GuidePartJson[]): BatchItem<"sqlite">[] {
  const now = new Date();
  return [
    db.delete(chapterGuides).where(eq(chapterGuides.chapterId, chapterId)),
    ...chunkedInsert(
      db,
      chapterGuides,
      parts.map((p, position) => ({ chapterId, position, ...p })),
    ),
    db.update(chapters).set({ guideUpdatedAt: now, updatedAt: now }).where(eq(chapters.id, chapterId)),
  ];
}

// ---------------------------------------------------------------- revisions

export async function listRevisions(db: Db, chapterId: number): Promise<Revision[]> {
  const rows = await db
    .select()
    .from(chapterRevisions)
    .where(eq(chapterRevisions.chapterId, chapterId))
    .orderBy(desc(chapterRevisions.id));
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    content: r.content,
    wordCount: countWords(r.content),
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function restoreRevision(db: Db, chapter: ChapterRow, revisionId: number) {
  const [rev] = await db
    .select()
    .from(chapterRevisions)
    .where(and(eq(chapterRevisions.id, revisionId), eq(chapterRevisions.chapterId, chapter.id)));
  if (!rev) throw notFound("Revision");
  // The current text becomes a revision itself, so a restore can be undone too.
  await runBatch(db, setContentItems(db, chapter, rev.content, rev.source, null));
}
