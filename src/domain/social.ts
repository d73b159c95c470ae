// Reading other people's stories: Explore, spotlight, favourites, reports, comments.
//
// Public = shared and not flagged. D1 has no interactive transactions, so every
// write that depends on a story's state re-checks that state inside its own statement (INSERT …
// SELECT … WHERE, UPDATE … WHERE) and counters are recomputed in the same batch, never read,
// incremented in JS and written back.
import { and, asc, count, desc, eq, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import type { BatchResponse } from "drizzle-orm/batch";
import type { Comment, CommentPage, FavoriteState, PublicStory, ReportState, StoryPage, StorySocial } from "../shared/api";
import { event } from "../shared/events";
import type { ExploreInput } from "../shared/schemas";
import { uniqueCaseless } from "../core/text";
import { runBatch } from "./db/batch";
import type { Db } from "./db/client";
import { comments, favorites, notifications, stories, storyFlags, storyTags, tags, users } from "./db/schema";
import { likeEscaped, likePattern, NOW, value } from "./db/sql";
import { AppError, notFound } from "./errors";
import type { SessionUser } from "./accounts";
import { audit } from "./audit";
import { publish } from "./hub";
import { isPublic, publicStory, readableRow, readableStory, storyQuery, type StoryRow } from "./stories/access";
import { toStoryJson } from "./stories/json";

export const EXPLORE_PAGE_SIZE = 24;
export const SPOTLIGHT_SIZE = 12;
export const FAVORITES_PAGE_SIZE = 50;
export const COMMENTS_PAGE_SIZE = 50;
/** Distinct reports that take a story out of public view. */
export const FLAG_THRESHOLD = 5;
/** A reporter's account must be this old for their report to count. */
export const REPORTER_MIN_AGE_MS = 24 * 3600 * 1000;

// ---------------------------------------------------------------- story lists

/** Chapters with prose; word_count avoids reading the prose itself. */
const chaptersWritten = sql<number>`(SELECT count(*) FROM chapters c WHERE c.story_id = ${stories.id} AND c.word_count > 0)`;

/** Stories carrying every one of `names` (tag names are unique regardless of ASCII case). */
function withAllTags(db: Db, names: string[]): SQL {
  const unique = uniqueCaseless(names);
  return inArray(
    stories.id,
    db
      .select({ id: storyTags.storyId })
      .from(storyTags)
      .innerJoin(tags, eq(storyTags.tagId, tags.id))
      .where(inArray(sql`${tags.name} COLLATE NOCASE`, unique))
      .groupBy(storyTags.storyId)
      .having(sql`count(*) = ${unique.length}`),
  );
}

/**
 * One page of stories with their authors, tags and the viewer's favourite mark, in one D1 round
 * trip: the rows, the total, and the tags of exactly the rows of this page.
 */
async function storyPage(
  db: Db,
  viewer: SessionUser,
  where: SQL,
  order: SQL[],
  limit: number,
  offset: number,
): Promise<{ stories: PublicStory[]; total: number }> {
  const pageIds = db.select({ id: stories.id }).from(stories).where(where).orderBy(...order).limit(limit).offset(offset);
  const [rows, totals, tagRows] = await db.batch([
    db
      .select({
        story: stories,
        author: users.username,
        written: chaptersWritten.mapWith(Number),
        favorited: sql<boolean>`EXISTS (SELECT 1 FROM favorites f WHERE f.user_id = ${viewer.id} AND f.story_id = ${stories.id})`.mapWith(
          Boolean,
        ),
      })
      .from(stories)
      .innerJoin(users, eq(stories.userId, users.id))
      .where(where)
      .orderBy(...order)
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(stories).where(where),
    db
      .select({ storyId: storyTags.storyId, name: tags.name })
      .from(storyTags)
      .innerJoin(tags, eq(storyTags.tagId, tags.id))
      .where(inArray(storyTags.storyId, pageIds))
      .orderBy(asc(storyTags.storyId), asc(storyTags.position)),
  ]);
  const tagMap = new Map<number, string[]>();
  for (const t of tagRows) tagMap.set(t.storyId, [...(tagMap.get(t.storyId) ?? []), t.name]);
  return {
    stories: rows.map((r) => ({
      ...toStoryJson(r.story, tagMap.get(r.story.id) ?? [], r.author),
      favorited: r.favorited,
      chaptersWritten: r.written,
    })),
    total: totals[0]?.n ?? 0,
  };
}

const matureFilter = (viewer: SessionUser) => (viewer.showMature ? [] : [eq(stories.mature, false)]);

const SORTS: Record<ExploreInput["sort"], SQL[]> = {
  recent: [desc(stories.updatedAt), desc(stories.id)],
  favorites: [desc(stories.favoritesCount), desc(stories.updatedAt), desc(stories.id)],
  chapters: [desc(chaptersWritten), desc(stories.chaptersCount), desc(stories.updatedAt), desc(stories.id)],
};

/** Explore: everyone's public stories, searched, filtered by tags, sorted and paged. */
export async function explore(db: Db, viewer: SessionUser, input: ExploreInput): Promise<StoryPage> {
  const conds: SQL[] = [publicStory, ...matureFilter(viewer)];
  const pattern = input.q ? likePattern(input.q, "contains") : null;
  if (pattern) conds.push(sql`(${likeEscaped(stories.title, pattern)} OR ${likeEscaped(stories.details, pattern)})`);
  if (input.tags?.length) conds.push(withAllTags(db, input.tags));
  const page = await storyPage(
    db,
    viewer,
    and(...conds)!,
    SORTS[input.sort],
    EXPLORE_PAGE_SIZE,
    (input.page - 1) * EXPLORE_PAGE_SIZE,
  );
  return { ...page, page: input.page, pageSize: EXPLORE_PAGE_SIZE };
}

/** The admins' picks that are public now, newest first. */
export async function spotlight(db: Db, viewer: SessionUser): Promise<{ stories: PublicStory[] }> {
  const where = and(publicStory, eq(stories.spotlight, true), ...matureFilter(viewer))!;
  const { stories: rows } = await storyPage(db, viewer, where, [desc(stories.createdAt), desc(stories.id)], SPOTLIGHT_SIZE, 0);
  return { stories: rows };
}

/**
 * The viewer's favourites they can read now, most recently favourited first. A story that went
 * private or was flagged drops out of the list, and comes back if it is shared again.
 */
export async function myFavorites(db: Db, viewer: SessionUser, page: number): Promise<StoryPage> {
  const favoredAt = sql`(SELECT f.created_at FROM favorites f WHERE f.user_id = ${viewer.id} AND f.story_id = ${stories.id})`;
  const where = and(publicStory, sql`${favoredAt} IS NOT NULL`)!;
  const result = await storyPage(
    db,
    viewer,
    where,
    [desc(favoredAt), desc(stories.id)],
    FAVORITES_PAGE_SIZE,
    (page - 1) * FAVORITES_PAGE_SIZE,
  );
  return { ...result, page, pageSize: FAVORITES_PAGE_SIZE };
}

// ---------------------------------------------------------------- favourites and reports

/** A story the caller may react to: readable (else 404), someone else's, and public. */
async function othersPublicStory(db: Db, storyId: number, user: SessionUser, verb: string): Promise<StoryRow> {
  const s = await readableStory(db, storyId, user);
  if (s.userId === user.id) throw new AppError("own_story", `You cannot ${verb} your own story`);
  if (!isPublic(s)) throw new AppError("story_not_public", `Only shared stories can be ${verb === "favourite" ? "favourited" : "reported"}`);
  return s;
}

/** The story exists and the caller may act on it: their own mark on it, or a story they can read. */
async function markedOrReadable(db: Db, storyId: number, user: SessionUser, marked: boolean, verb: string) {
  if (marked) return;
  const s = await readableStory(db, storyId, user);
  if (s.userId === user.id) throw new AppError("own_story", `You cannot ${verb} your own story`);
}

const recountFavorites = (db: Db, storyId: number) =>
  db
    .update(stories)
    .set({ favoritesCount: sql`(SELECT count(*) FROM favorites f WHERE f.story_id = ${storyId})` })
    .where(eq(stories.id, storyId));

const favoriteState = (db: Db, storyId: number, userId: number) =>
  db
    .select({
      favoritesCount: stories.favoritesCount,
      favorited: sql<boolean>`EXISTS (SELECT 1 FROM favorites f WHERE f.user_id = ${userId} AND f.story_id = ${stories.id})`.mapWith(
        Boolean,
      ),
    })
    .from(stories)
    .where(eq(stories.id, storyId));

/** Idempotent; the count is recomputed in the same batch, so concurrent toggles never lose one. */
export async function addFavorite(db: Db, user: SessionUser, storyId: number): Promise<FavoriteState> {
  await othersPublicStory(db, storyId, user, "favourite");
  const [, , state] = await db.batch([
    // Re-checked here: the story may have been unshared since it was read.
    db
      .insert(favorites)
      .select(
        db
          .select({ userId: value(user.id, "user_id"), storyId: stories.id, createdAt: value(NOW, "created_at") })
          .from(stories)
          .where(and(eq(stories.id, storyId), publicStory, ne(stories.userId, user.id))),
      )
      .onConflictDoNothing(),
    recountFavorites(db, storyId),
    favoriteState(db, storyId, user.id),
  ]);
  return state[0] ?? { favorited: false, favoritesCount: 0 };
}

export async function removeFavorite(db: Db, user: SessionUser, storyId: number): Promise<FavoriteState> {
  const [mine] = await db
    .select({ storyId: favorites.storyId })
    .from(favorites)
    .where(and(eq(favorites.userId, user.id), eq(favorites.storyId, storyId)));
  await markedOrReadable(db, storyId, user, !!mine, "favourite");
  const [, , state] = await db.batch([
    db.delete(favorites).where(and(eq(favorites.userId, user.id), eq(favorites.storyId, storyId))),
    recountFavorites(db, storyId),
    favoriteState(db, storyId, user.id),
  ]);
  return state[0] ?? { favorited: false, favoritesCount: 0 };
}

/**
 * Reports a public story. Reports count toward FLAG_THRESHOLD only from verified accounts older
 * than a day, and one address counts once, so a handful of fresh accounts cannot hide a story.
 * The counted report that reaches the threshold unshares and flags the story and notifies its
 * author, all in this one batch; whether the author is put under review is an admin's decision
 * (PATCH /api/admin/users/:id). Every statement after the insert carries the same guard (not
 * flagged yet, enough counted reports), evaluated inside the batch's transaction, so exactly one
 * request ever does it.
 */
export async function reportStory(
  env: Env,
  db: Db,
  user: SessionUser,
  storyId: number,
  reason: string | undefined,
  ip: string | null,
): Promise<ReportState> {
  const story = await othersPublicStory(db, storyId, user, "report");
  const dayAgo = Date.now() - REPORTER_MIN_AGE_MS;
  const counted = sql`(SELECT count(DISTINCT coalesce(r.ip, 'user:' || r.user_id)) FROM story_flags r
    JOIN users ru ON ru.id = r.user_id
    WHERE r.story_id = ${storyId} AND ru.verified = 1 AND ru.created_at <= ${dayAgo})`;
  const tipping = and(eq(stories.id, storyId), eq(stories.flagged, false), sql`${counted} >= ${FLAG_THRESHOLD}`);
  const message = `Your story "${story.title}" was hidden after several reports and is waiting for an administrator's review.`;
  const [, , flagged, mine] = await db.batch([
    db
      .insert(storyFlags)
      .select(
        db
          .select({
            userId: value(user.id, "user_id"),
            storyId: stories.id,
            reason: value(reason || null, "reason"),
            ip: value(ip, "ip"),
            createdAt: value(NOW, "created_at"),
          })
          .from(stories)
          .where(and(eq(stories.id, storyId), publicStory, ne(stories.userId, user.id))),
      )
      .onConflictDoNothing(),
    db.insert(notifications).select(
      db
        .select({
          id: value(null, "id"),
          userId: stories.userId,
          message: value(message, "message"),
          level: value("warning", "level"),
          link: value(`/stories/${storyId}`, "link"),
          readAt: value(null, "read_at"),
          createdAt: value(NOW, "created_at"),
        })
        .from(stories)
        .where(tipping),
    ),
    db
      .update(stories)
      .set({ flagged: true, shared: false, spotlight: false })
      .where(tipping)
      .returning({ id: stories.id }),
    db
      .select({ storyId: storyFlags.storyId })
      .from(storyFlags)
      .where(and(eq(storyFlags.userId, user.id), eq(storyFlags.storyId, storyId))),
  ]);
  if (flagged.length) await publish(env, story.userId, event("notification", { message, level: "warning" }));
  return { reported: mine.length > 0 };
}

/** Withdraws the caller's report. It never unflags a story: admins do that. */
export async function withdrawReport(db: Db, user: SessionUser, storyId: number): Promise<ReportState> {
  const where = and(eq(storyFlags.userId, user.id), eq(storyFlags.storyId, storyId));
  const [mine] = await db.select({ storyId: storyFlags.storyId }).from(storyFlags).where(where);
  await markedOrReadable(db, storyId, user, !!mine, "report");
  await db.delete(storyFlags).where(where);
  return { reported: false };
}

/** What the reader's buttons need, their favourite and report marks and the counts (`reader`: an id, or the session's subquery in a read's batch). */
export const storySocialQueries = (db: Db, storyId: number, reader: number | SQL) =>
  [
    storyQuery(db, storyId),
    db
      .select({ n: count() })
      .from(favorites)
      .where(and(eq(favorites.userId, reader), eq(favorites.storyId, storyId))),
    db
      .select({ n: count() })
      .from(storyFlags)
      .where(and(eq(storyFlags.userId, reader), eq(storyFlags.storyId, storyId))),
    db.select({ n: count() }).from(comments).where(eq(comments.storyId, storyId)),
  ] as const;

/** The social bar of a story the caller may read (404 otherwise). */
export function storySocialOf([storyRows, fav, rep, com]: BatchResponse<ReturnType<typeof storySocialQueries>>, user: SessionUser): StorySocial {
  const s = readableRow(storyRows, user);
  return {
    favorited: (fav[0]?.n ?? 0) > 0,
    reported: (rep[0]?.n ?? 0) > 0,
    favoritesCount: s.favoritesCount,
    commentsCount: com[0]?.n ?? 0,
    own: s.userId === user.id,
  };
}

// ---------------------------------------------------------------- comments

const commentColumns = {
  id: comments.id,
  storyId: comments.storyId,
  userId: comments.userId,
  author: users.username,
  body: comments.body,
  createdAt: comments.createdAt,
  updatedAt: comments.updatedAt,
};

type CommentRow = { id: number; storyId: number; userId: number; author: string; body: string; createdAt: Date; updatedAt: Date | null };

const toCommentJson = (c: CommentRow): Comment => ({
  ...c,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt?.toISOString() ?? null,
});

async function commentById(db: Db, commentId: number): Promise<CommentRow> {
  const [row] = await db
    .select(commentColumns)
    .from(comments)
    .innerJoin(users, eq(comments.userId, users.id))
    .where(eq(comments.id, commentId));
  if (!row) throw notFound("Comment");
  return row;
}

/** Comments on a story the caller can read, newest first. */
export async function listComments(db: Db, user: SessionUser, storyId: number, page: number): Promise<CommentPage> {
  await readableStory(db, storyId, user);
  const [rows, totals] = await db.batch([
    db
      .select(commentColumns)
      .from(comments)
      .innerJoin(users, eq(comments.userId, users.id))
      .where(eq(comments.storyId, storyId))
      .orderBy(desc(comments.id))
      .limit(COMMENTS_PAGE_SIZE)
      .offset((page - 1) * COMMENTS_PAGE_SIZE),
    db.select({ n: count() }).from(comments).where(eq(comments.storyId, storyId)),
  ]);
  return { comments: rows.map(toCommentJson), page, pageSize: COMMENTS_PAGE_SIZE, total: totals[0]?.n ?? 0 };
}

/** SQL twin of the read rule in services/stories (own, public, or admin) for guarded writes. */
const readableBy = (user: SessionUser) => (user.isAdmin ? undefined : or(eq(stories.userId, user.id), publicStory));

/** Comments on a story the caller can read; its author is told (row + live toast) unless it is them. */
export async function addComment(env: Env, db: Db, user: SessionUser, storyId: number, body: string): Promise<Comment> {
  const story = await readableStory(db, storyId, user);
  const notify = story.userId !== user.id;
  const message = `${user.username} commented on "${story.title}"`;
  const [inserted] = await runBatch(db, [
    // Guarded: the story may have been deleted or unshared since it was read.
    db
      .insert(comments)
      .select(
        db
          .select({
            id: value(null, "id"),
            storyId: stories.id,
            userId: value(user.id, "user_id"),
            body: value(body, "body"),
            createdAt: value(NOW, "created_at"),
            updatedAt: value(null, "updated_at"),
          })
          .from(stories)
          .where(and(eq(stories.id, storyId), readableBy(user))),
      )
      .returning({ id: comments.id }),
    // Same guard as the insert, in the same transaction: notified exactly when it was written.
    ...(notify
      ? [
          db.insert(notifications).select(
            db
              .select({
                id: value(null, "id"),
                userId: stories.userId,
                message: value(message, "message"),
                level: value("info", "level"),
                link: value(`/stories/${storyId}/read#comments`, "link"),
                readAt: value(null, "read_at"),
                createdAt: value(NOW, "created_at"),
              })
              .from(stories)
              .where(and(eq(stories.id, storyId), readableBy(user))),
          ),
        ]
      : []),
  ]);
  const id = (inserted as { id: number }[])[0]?.id;
  if (!id) throw notFound("Story");
  if (notify) await publish(env, story.userId, event("notification", { message, level: "info" }));
  return toCommentJson(await commentById(db, id));
}

/** Only the comment's author edits it, on a story they can still read. */
export async function editComment(db: Db, user: SessionUser, commentId: number, body: string): Promise<Comment> {
  const c = await commentById(db, commentId);
  await readableStory(db, c.storyId, user);
  if (c.userId !== user.id) throw new AppError("forbidden", "You can only edit your own comments");
  await db
    .update(comments)
    .set({ body, updatedAt: new Date() })
    .where(and(eq(comments.id, commentId), eq(comments.userId, user.id)));
  return toCommentJson(await commentById(db, commentId));
}

/**
 * The comment's author may always remove it; admins may remove any (audit-logged). Others get
 * 404 when they cannot read the story, else 403.
 */
export async function removeComment(db: Db, user: SessionUser, commentId: number) {
  const c = await commentById(db, commentId);
  const moderation = c.userId !== user.id;
  if (moderation) {
    await readableStory(db, c.storyId, user);
    if (!user.isAdmin) throw new AppError("forbidden", "You can only delete your own comments");
  }
  await runBatch(db, [
    db.delete(comments).where(eq(comments.id, commentId)),
    ...(moderation ? [audit(db, user, "comment.delete", `comment:${c.id}`, toCommentJson(c), null)] : []),
  ]);
}
