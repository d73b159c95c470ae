// The story read keeps its answer, per story version, in the isolate (docs/SCALE.md). Triggers
// (migration 0008) give a story a new version in the same transaction as any change its read
// shows, so a kept answer is served only while the database says it is still the story's.
import { and, eq, ne, sql } from "drizzle-orm";
import type { BatchResponse } from "drizzle-orm/batch";
import type { Db } from "../db/client";
import { stories, storyVersions, users } from "../db/schema";
import type { SessionUser } from "../accounts";
import { notFound } from "../errors";
import { canRead, type StoryRow } from "./access";
import { chapterListQuery, storyRowColumns, toStoryDetail } from "./json";

type Kept = { version: string; story: StoryRow; body: string };

/** At most this many bytes of answers per isolate; the least recently read go first. */
const BUDGET_BYTES = 8 * 1024 * 1024;
const kept = new Map<number, Kept>();
let keptBytes = 0;

function forget(storyId: number) {
  const old = kept.get(storyId);
  if (!old) return;
  kept.delete(storyId);
  keptBytes -= old.body.length;
}

function keep(storyId: number, entry: Kept) {
  forget(storyId);
  if (entry.body.length > BUDGET_BYTES / 4) return;
  kept.set(storyId, entry);
  keptBytes += entry.body.length;
  for (const [id, e] of kept) {
    if (keptBytes <= BUDGET_BYTES) break;
    kept.delete(id);
    keptBytes -= e.body.length;
  }
}

/**
 * The story read's queries, for one batch with the caller's session: the story's version with,
 * beside it, the story row — and the chapter rows. When an answer for some version is kept, both
 * carry rows only if the story's version is no longer that one, so a kept answer costs the
 * database one tiny row, in as many statements as a fresh read.
 */
export function storyReadQueries(db: Db, storyId: number) {
  const hit = kept.get(storyId);
  const version = sql`(SELECT ${storyVersions.version} FROM ${storyVersions} WHERE ${storyVersions.storyId} = ${storyId})`;
  return {
    hit,
    queries: [
      db
        .select({ version: storyVersions.version, ...storyRowColumns() })
        .from(storyVersions)
        .leftJoin(stories, and(eq(stories.id, storyVersions.storyId), hit ? ne(storyVersions.version, hit.version) : undefined))
        .leftJoin(users, eq(users.id, stories.userId))
        .where(eq(storyVersions.storyId, storyId)),
      chapterListQuery(db, storyId, hit ? sql`${version} IS NOT ${hit.version}` : undefined),
    ] as const,
  };
}

type ReadResults = BatchResponse<ReturnType<typeof storyReadQueries>["queries"]>;

/** The story read's JSON from its batch: the kept answer while the version holds, else a fresh one, kept. */
export async function storyReadBody(
  storyId: number,
  { hit, results: [[row], chapterRows] }: { hit: Kept | undefined; results: ReadResults },
  viewer: SessionUser,
): Promise<{ body: string; kept: boolean }> {
  if (hit && row?.version === hit.version) {
    if (!canRead(hit.story, viewer)) throw notFound("Story");
    // Read again: the most recently read answers are the last to go.
    kept.delete(storyId);
    kept.set(storyId, hit);
    return { body: hit.body, kept: true };
  }
  forget(storyId);
  const story = row?.story;
  if (!row || !story || !row.author) throw notFound("Story");
  const body = JSON.stringify(await toStoryDetail([[{ ...row, story, author: row.author }], chapterRows], viewer));
  keep(storyId, { version: row.version, story, body });
  return { body, kept: false };
}
