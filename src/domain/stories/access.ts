// Who may read or change a story: the owner, readers of a public story, admins.
import { and, eq, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { chapters, stories } from "../db/schema";
import { notFound } from "../errors";
import type { SessionUser } from "../accounts";

export type StoryRow = typeof stories.$inferSelect;
export type ChapterRow = typeof chapters.$inferSelect;
// ---------------------------------------------------------------- access

/** The caller's own story, or 404 (another user's private story does not exist for them). */
export async function ownedStory(db: Db, storyId: number, user: SessionUser): Promise<StoryRow> {
  return ownedRow(await ownedStoryQuery(db, storyId, user.id));
}

/** The story if `owner` (an id, or the session's subquery in a read's batch) owns it: no row otherwise. */
export const ownedStoryQuery = (db: Db, storyId: number, owner: number | SQL) =>
  db.select().from(stories).where(and(eq(stories.id, storyId), eq(stories.userId, owner)));

export function ownedRow([row]: StoryRow[]): StoryRow {
  if (!row) throw notFound("Story");
  return row;
}

export const isPublic = (s: StoryRow) => s.shared && !s.flagged;
/** The same rule as a SQL condition, for lists. */
export const publicStory = and(eq(stories.shared, true), eq(stories.flagged, false))!;

/** Own stories, public ones (signed-in readers) and, for admins, any. */
export const canRead = (s: StoryRow, user: SessionUser) => s.userId === user.id || isPublic(s) || user.isAdmin;

export async function readableStory(db: Db, storyId: number, user: SessionUser): Promise<StoryRow> {
  return readableRow(await storyQuery(db, storyId), user);
}

export const storyQuery = (db: Db, storyId: number) => db.select().from(stories).where(eq(stories.id, storyId));

export function readableRow([row]: StoryRow[], user: SessionUser): StoryRow {
  if (!row || !canRead(row, user)) throw notFound("Story");
  return row;
}

export async function storyChapter(db: Db, storyId: number, chapterId: number): Promise<ChapterRow> {
  return chapterRow(await storyChapterQuery(db, storyId, chapterId));
}

/** The caller's own story and one of its chapters, looked up in one round trip; 404 for either missing. */
export async function ownedChapter(db: Db, storyId: number, chapterId: number, user: SessionUser): Promise<{ story: StoryRow; chapter: ChapterRow }> {
  const [storyRows, chapterRows] = await db.batch([ownedStoryQuery(db, storyId, user.id), storyChapterQuery(db, storyId, chapterId)]);
  return { story: ownedRow(storyRows), chapter: chapterRow(chapterRows) };
}

export const storyChapterQuery = (db: Db, storyId: number, chapterId: number) =>
  db.select().from(chapters).where(and(eq(chapters.id, chapterId), eq(chapters.storyId, storyId)));

export function chapterRow([row]: ChapterRow[]): ChapterRow {
  if (!row) throw notFound("Chapter");
  return row;
}
