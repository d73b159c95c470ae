// Stories and chapters as the API returns them (no prose in lists), with one D1 round trip per read.
import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Chapter, ChapterSummary, GuidePart as GuidePartJson, Story, StoryDetail } from "../../shared/api";
import { defaultChapterImagePrompt, defaultCoverPrompt } from "../../core/prompts";
import type { Db } from "../db/client";
import { chapterGuides, chapters, characters, locations, stories, storyTags, tags, users } from "../db/schema";
import { notFound } from "../errors";
import type { SessionUser } from "../accounts";
import { storyPartsQueries } from "./context";

import { ChapterRow, StoryRow, canRead } from "./access";

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
    stale: c.hasContent && time(c.contentUpdatedAt) < Math.max(upstream, time(c.summaryUpdatedAt), time(c.guideUpdatedAt)),
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
  const rows = await db.select().from(stories).where(eq(stories.userId, user.id)).orderBy(desc(stories.updatedAt));
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
