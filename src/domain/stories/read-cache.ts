// The story read and the chapter read keep their answers, per story version, in the isolate
// (docs/SCALE.md). Triggers (migration 0008) give a story a new version in the same transaction
// as any change either read shows, so a kept answer is served only while the database says it is
// still the story's.
import { and, eq, ne, sql } from "drizzle-orm";
import type { BatchResponse } from "drizzle-orm/batch";
import { SizedLru } from "../../core/lru";
import type { Db } from "../db/client";
import { compiledAll, param } from "../db/compiled";
import { stories, storyVersions, users } from "../db/schema";
import type { SessionUser } from "../accounts";
import { notFound } from "../errors";
import { canRead, type StoryRow } from "./access";
import { chapterListQuery, chapterPartsQueries, storyRowColumns, toChapterDetail, toStoryDetail } from "./json";

type Kept = { version: string; story: StoryRow; body: string };

/** At most 8 M characters of answers per isolate; the least recently read go first. */
const kept = new SizedLru<Kept>(8 * 1024 * 1024);

/**
 * The story's version with, beside it, the story row, its author and its parts, joined only when
 * `kept` is not that version. Built once (db/compiled.ts), like the reads' other queries.
 */
const versionQuery = (db: Db) =>
  db
    .select({ version: storyVersions.version, ...storyRowColumns() })
    .from(storyVersions)
    .leftJoin(stories, and(eq(stories.id, storyVersions.storyId), ne(storyVersions.version, param("kept"))))
    .leftJoin(users, eq(users.id, stories.userId))
    .where(eq(storyVersions.storyId, param("storyId")));

/** The condition that keeps a read's other queries empty while `kept` is the story's version. */
const unlessKept = () => sql`(SELECT ${storyVersions.version} FROM ${storyVersions} WHERE ${storyVersions.storyId} = ${param("storyId")}) IS NOT ${param("kept")}`;

/** The version a read's queries compare with: the kept answer's, or "", which no story has (versions are random hex). */
const keptVersion = (hit: Kept | undefined) => hit?.version ?? "";

const storyRead = compiledAll((db) => [versionQuery(db), chapterListQuery(db, param("storyId"), unlessKept())] as const);
const chapterRead = compiledAll((db) => [versionQuery(db), ...chapterPartsQueries(db, param("storyId"), param("chapterId"), unlessKept())] as const);

type VersionRow = Awaited<ReturnType<typeof versionQuery>>[number];

/**
 * A read's JSON from its batch: the kept answer while the version holds (if `viewer` may read the
 * story as kept with it), else what `fresh` builds from the story row and the batch, kept.
 */
async function answer(
  key: string,
  hit: Kept | undefined,
  row: VersionRow | undefined,
  viewer: SessionUser,
  fresh: (row: VersionRow & { story: StoryRow; author: string }) => Promise<unknown>,
): Promise<{ body: string; kept: boolean }> {
  if (hit && row?.version === hit.version) {
    if (!canRead(hit.story, viewer)) throw notFound("Story");
    return { body: hit.body, kept: true };
  }
  kept.delete(key);
  const story = row?.story;
  if (!row || !story || !row.author) throw notFound("Story");
  const body = JSON.stringify(await fresh({ ...row, story, author: row.author }));
  kept.set(key, { version: row.version, story, body }, body.length);
  return { body, kept: false };
}

/**
 * The story read (`GET /api/stories/:id`), one batch with the caller's session: the story's
 * version and row, then its chapter rows. While an answer is kept for the version, both return
 * nothing but the version: a kept answer costs the database one tiny row, in as many statements
 * as a fresh read.
 */
export function storyReadQueries(db: Db, storyId: number) {
  const key = `story:${storyId}`;
  const hit = kept.get(key);
  return { key, hit, queries: storyRead(db, { storyId, kept: keptVersion(hit) }) };
}

export function storyReadBody(
  { key, hit }: ReturnType<typeof storyReadQueries>,
  [[row], chapterRows]: BatchResponse<ReturnType<typeof storyReadQueries>["queries"]>,
  viewer: SessionUser,
) {
  return answer(key, hit, row, viewer, (story) => toStoryDetail([[story], chapterRows], viewer));
}

/** The chapter read (`GET /api/stories/:id/chapters/:chapterId`), the same way: the story's version and row, then the chapter's row, the outline and its digest. */
export function chapterReadQueries(db: Db, storyId: number, chapterId: number) {
  const key = `chapter:${storyId}:${chapterId}`;
  const hit = kept.get(key);
  return { key, hit, queries: chapterRead(db, { storyId, chapterId, kept: keptVersion(hit) }) };
}

export function chapterReadBody(
  bucket: R2Bucket,
  { key, hit }: ReturnType<typeof chapterReadQueries>,
  [[row], ...parts]: BatchResponse<ReturnType<typeof chapterReadQueries>["queries"]>,
  viewer: SessionUser,
) {
  return answer(key, hit, row, viewer, async (story) => ({ chapter: await toChapterDetail(bucket, [[story], ...parts], viewer) }));
}
