// Stories and chapters as the API returns them (no prose in lists), with one D1 round trip per read.
import { and, asc, desc, eq, sql, type Placeholder, type SQL } from "drizzle-orm";
import type { BatchResponse } from "drizzle-orm/batch";
import type { Chapter, ChapterSummary, Story, StoryDetail } from "../../shared/api";
import { defaultChapterImagePrompt, defaultCoverPrompt } from "../../core/prompts";
import type { Db } from "../db/client";
import type { Contract, Digest } from "../../shared/schemas";
import { currentCanonHash } from "../canon";
import { chapterDigests, chapters, stories, storyTags, tags, users } from "../db/schema";
import { notFound } from "../errors";
import { hasProseSql, readGuide, readText } from "../prose";
import type { SessionUser } from "../accounts";
import { canRead, type ChapterRow, type StoryRow } from "./access";
import { storyPartsColumns } from "./context";

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

export const time = (d: Date | null | undefined) => d?.getTime() ?? 0;

type ChapterListRow = Omit<ChapterRow, "content" | "contentSource" | "exitContract" | "guide" | "guideHash" | "guideCount"> & { hasContent: boolean };

/** What a chapter's staleness is measured against: its digest's hash, and the story bible's hash now. */
type Currency = { digestHash: string | null; canonHash: string };

/** Why the prose no longer matches what it was written from, in an author's words; null when it does. */
function staleReason(story: StoryRow, c: ChapterListRow, canonHash: string): string | null {
  if (!c.hasContent) return null;
  const written = time(c.contentUpdatedAt);
  if (c.bibleHash && c.bibleHash !== canonHash)
    return "Written against an earlier version of the story: its characters, places, arcs or outline changed during or after the run that wrote it.";
  if (written < Math.max(time(story.metaUpdatedAt), time(story.arcsUpdatedAt))) return "Written before the characters, places or arcs last changed.";
  if (written < time(c.summaryUpdatedAt)) return "Written before its summary last changed.";
  if (written < time(c.guideUpdatedAt)) return "Written before its beats last changed.";
  return null;
}

function toChapterSummary(story: StoryRow, c: ChapterListRow, guideCount: number, now: Currency): ChapterSummary {
  const upstream = Math.max(time(story.metaUpdatedAt), time(story.arcsUpdatedAt));
  const hasGuide = guideCount > 0;
  const reason = staleReason(story, c, now.canonHash);
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
    stale: reason !== null,
    staleReason: reason,
    guideStale: hasGuide && time(c.guideUpdatedAt) < Math.max(upstream, time(c.summaryUpdatedAt)),
    hasDigest: now.digestHash !== null,
    digestStale: now.digestHash !== null && now.digestHash !== c.contentHash,
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** The queries of an author's story list; `owner` is their id, or the SQL that finds it in the same batch. */
export const storyListQueries = (db: Db, owner: number | SQL) =>
  [
    db.select().from(stories).where(eq(stories.userId, owner)).orderBy(desc(stories.updatedAt)),
    db
      .select({ storyId: storyTags.storyId, name: tags.name })
      .from(storyTags)
      .innerJoin(tags, eq(storyTags.tagId, tags.id))
      .innerJoin(stories, eq(storyTags.storyId, stories.id))
      .where(eq(stories.userId, owner))
      .orderBy(asc(storyTags.position)),
  ] as const;

export function toStoryList([rows, tagRows]: BatchResponse<ReturnType<typeof storyListQueries>>, user: SessionUser): Story[] {
  const tagMap = new Map<number, string[]>();
  for (const r of tagRows) tagMap.set(r.storyId, [...(tagMap.get(r.storyId) ?? []), r.name]);
  return rows.map((r) => toStoryJson(r, tagMap.get(r.id) ?? [], user.username));
}

export const listStories = async (db: Db, user: SessionUser): Promise<Story[]> => toStoryList(await db.batch(storyListQueries(db, user.id)), user);

const chapterListColumns = {
  id: chapters.id,
  storyId: chapters.storyId,
  number: chapters.number,
  title: chapters.title,
  summary: chapters.summary,
  hasContent: hasProseSql(chapters.content, chapters.contentHash),
  wordCount: chapters.wordCount,
  imageKey: chapters.imageKey,
  imagePrompt: chapters.imagePrompt,
  summaryUpdatedAt: chapters.summaryUpdatedAt,
  guideUpdatedAt: chapters.guideUpdatedAt,
  contentUpdatedAt: chapters.contentUpdatedAt,
  contentHash: chapters.contentHash,
  bibleHash: chapters.bibleHash,
  updatedAt: chapters.updatedAt,
  // Read with the row rather than as queries of their own: fewer statements in the story's batch.
  // The outer row is named in full: drizzle leaves a single table's columns unqualified, and a
  // bare "id" inside the subquery would be the inner table's.
  guideCount: chapters.guideCount,
  digestHash: sql<string | null>`(SELECT ${chapterDigests.contentHash} FROM ${chapterDigests} WHERE ${chapterDigests.chapterId} = "chapters"."id")`.as("digest_hash"),
};

/** A story's row with its author's name and its parts (tags, cast, places, arcs). */
export const storyRowColumns = () => ({ story: stories, author: users.username, ...storyPartsColumns() });

/** A story's chapter list; with `only`, a condition, no rows unless it holds (read-cache.ts). */
export const chapterListQuery = (db: Db, storyId: number | Placeholder, only?: SQL) =>
  db.select(chapterListColumns).from(chapters).where(and(eq(chapters.storyId, storyId), only)).orderBy(asc(chapters.number));

/** The queries of a story's detail (everything but its prose), for one batch. */
export const storyDetailQueries = (db: Db, storyId: number) =>
  [
    db.select(storyRowColumns()).from(stories).innerJoin(users, eq(stories.userId, users.id)).where(eq(stories.id, storyId)),
    chapterListQuery(db, storyId),
  ] as const;

/**
 * A story's detail from its queries' results. With `viewer`, a story they may not read is a 404,
 * checked after the batch, so the common case costs a single round trip.
 */
export async function toStoryDetail(
  [storyRows, chapterRows]: BatchResponse<ReturnType<typeof storyDetailQueries>>,
  viewer?: SessionUser,
): Promise<StoryDetail> {
  const row = storyRows[0];
  if (!row || (viewer && !canRead(row.story, viewer))) throw notFound("Story");
  const { story, tags, characters, locations, arcs } = row;
  const canonHash = await currentCanonHash({ ...story, tags, characters, locations, arcs, chapters: chapterRows });
  return {
    story: toStoryJson(story, tags, row.author),
    characters,
    locations,
    arcs,
    chapters: chapterRows.map(({ guideCount, digestHash, ...c }) => toChapterSummary(story, c, guideCount, { digestHash, canonHash })),
    defaultCoverPrompt: defaultCoverPrompt({ ...story, tags, characters, locations }),
  };
}

export const storyDetail = async (db: Db, storyId: number, viewer?: SessionUser): Promise<StoryDetail> =>
  toStoryDetail(await db.batch(storyDetailQueries(db, storyId)), viewer);

/** A chapter's own queries: its row (its beats are in R2), the outline and its digest; with `only`, a condition, no rows unless it holds (read-cache.ts). */
export const chapterPartsQueries = (db: Db, storyId: number | Placeholder, chapterId: number | Placeholder, only?: SQL) =>
  [
    db
      .select()
      .from(chapters)
      .where(and(eq(chapters.id, chapterId), eq(chapters.storyId, storyId), only)),
    db
      .select({ id: chapters.id, number: chapters.number, title: chapters.title, summary: chapters.summary, exit: chapters.exitContract })
      .from(chapters)
      .where(and(eq(chapters.storyId, storyId), only))
      .orderBy(asc(chapters.number)),
    db.select().from(chapterDigests).where(and(eq(chapterDigests.chapterId, chapterId), only)),
  ] as const;

/** The queries of a chapter's detail: its story with the story's parts (for the canon), then the chapter's own. */
export const chapterDetailQueries = (db: Db, storyId: number, chapterId: number) =>
  [db.select({ story: stories, ...storyPartsColumns() }).from(stories).where(eq(stories.id, storyId)), ...chapterPartsQueries(db, storyId, chapterId)] as const;

/** A chapter's detail from its queries' results; 404 for a story `viewer` may not read, or a chapter it does not have. */
export async function toChapterDetail(
  bucket: R2Bucket,
  [storyRows, chapterRows, outline, digests]: BatchResponse<ReturnType<typeof chapterDetailQueries>>,
  viewer?: SessionUser,
): Promise<Chapter> {
  const row = storyRows[0];
  if (!row || (viewer && !canRead(row.story, viewer))) throw notFound("Story");
  const { story, tags, characters: chars, locations: locs, arcs } = row;
  const chapter = chapterRows[0];
  if (!chapter) throw notFound("Chapter");
  const { content: _inline, guide: _beats, ...rest } = chapter;
  const [content, guide] = await Promise.all([readText(bucket, story.id, chapter.id, chapter), readGuide(bucket, story.id, chapter)]);
  const canonHash = await currentCanonHash({ ...story, tags, characters: chars, locations: locs, arcs, chapters: outline });
  const d = digests[0];
  const i = outline.findIndex((c) => c.id === chapter.id);
  const entry = (i > 0 ? outline[i - 1]!.exit : story.openingContract) as Contract | null;
  return {
    ...toChapterSummary(story, { ...rest, hasContent: !!content }, guide.length, { digestHash: d?.contentHash ?? null, canonHash }),
    content,
    defaultImagePrompt: defaultChapterImagePrompt({ title: story.title, characters: chars, locations: locs, chapters: [{ ...chapter, guide }] }, chapter.id),
    guide,
    digest: d ? { ...(d.digest as Digest), droppedFacts: d.droppedFacts, source: d.source, updatedAt: d.updatedAt.toISOString() } : null,
    entry: entry ?? null,
    exit: (chapter.exitContract as Contract | null) ?? null,
  };
}

/** A chapter's detail in one round trip (its story and row are read again, in the same batch). */
export const chapterDetail = async (db: Db, bucket: R2Bucket, story: Pick<StoryRow, "id">, chapter: Pick<ChapterRow, "id">): Promise<Chapter> =>
  toChapterDetail(bucket, await db.batch(chapterDetailQueries(db, story.id, chapter.id)));
