// Site content: news, feedback and the tag vocabulary, for readers and for the
// admin console. Every admin change is written to the audit log.
import { and, asc, count, desc, eq, ne, sql } from "drizzle-orm";
import type { AdminTag, AdminTagPage, FeedbackItem, FeedbackPage, NewsItem, NewsPage } from "../shared/api";
import type { NewsInput, NewsPatchInput } from "../shared/schemas";
import type { Db } from "./db/client";
import { feedback, news, storyTags, tags, users } from "./db/schema";
import { isConstraintError } from "./db/constraints";
import { AppError, notFound } from "./errors";
import { PAGE_SIZE } from "./admin";
import { audit } from "./audit";
import type { SessionUser } from "./accounts";
import { likeEscaped, likePattern, NOW, value } from "./db/sql";

export const NEWS_LIMIT = 20;
export const TAG_SUGGESTIONS = 20;
/** Feedback a user may send per hour: enough for anyone, too few to flood the admins. */
export const FEEDBACK_PER_HOUR = 10;

// ---------------------------------------------------------------- news

type NewsRow = typeof news.$inferSelect;
const toNewsJson = (n: NewsRow): NewsItem => ({ ...n, createdAt: n.createdAt.toISOString() });

export async function publishedNews(db: Db): Promise<{ news: NewsItem[] }> {
  const rows = await db
    .select()
    .from(news)
    .where(eq(news.published, true))
    .orderBy(desc(news.createdAt), desc(news.id))
    .limit(NEWS_LIMIT);
  return { news: rows.map(toNewsJson) };
}

export async function listNews(db: Db, page: number): Promise<NewsPage> {
  const [rows, totals] = await db.batch([
    db
      .select()
      .from(news)
      .orderBy(desc(news.createdAt), desc(news.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(news),
  ]);
  return { news: rows.map(toNewsJson), page, pageSize: PAGE_SIZE, total: totals[0]?.n ?? 0 };
}

async function newsRow(db: Db, id: number): Promise<NewsRow> {
  const [row] = await db.select().from(news).where(eq(news.id, id));
  if (!row) throw notFound("News item");
  return row;
}

export async function createNews(db: Db, actor: SessionUser, input: NewsInput): Promise<NewsItem> {
  const [row] = await db.insert(news).values(input).returning();
  await audit(db, actor, "news.create", `news:${row!.id}`, null, input);
  return toNewsJson(row!);
}

export async function updateNews(db: Db, actor: SessionUser, id: number, patch: NewsPatchInput): Promise<NewsItem> {
  const before = await newsRow(db, id);
  const [[row]] = await db.batch([
    db.update(news).set(patch).where(eq(news.id, id)).returning(),
    audit(db, actor, "news.update", `news:${id}`, toNewsJson(before), patch),
  ]);
  if (!row) throw notFound("News item");
  return toNewsJson(row);
}

export async function deleteNews(db: Db, actor: SessionUser, id: number) {
  const before = await newsRow(db, id);
  await db.batch([db.delete(news).where(eq(news.id, id)), audit(db, actor, "news.delete", `news:${id}`, toNewsJson(before), null)]);
}

// ---------------------------------------------------------------- feedback

/** Any signed-in user; at most FEEDBACK_PER_HOUR an hour, counted inside the insert itself. */
export async function sendFeedback(db: Db, user: SessionUser, message: string): Promise<FeedbackItem> {
  const since = Date.now() - 3600_000;
  const [row] = await db
    .insert(feedback)
    .select(
      db
        .select({ id: value(null, "id"), userId: users.id, message: value(message, "message"), createdAt: value(NOW, "created_at") })
        .from(users)
        .where(
          and(
            eq(users.id, user.id),
            sql`(SELECT count(*) FROM feedback f WHERE f.user_id = ${user.id} AND f.created_at > ${since}) < ${FEEDBACK_PER_HOUR}`,
          ),
        ),
    )
    .returning();
  if (!row) throw new AppError("rate_limited", "Thank you! You have sent a lot of feedback this hour; please try again later.");
  return { id: row.id, userId: user.id, username: user.username, message, createdAt: row.createdAt.toISOString() };
}

export async function listFeedback(db: Db, page: number): Promise<FeedbackPage> {
  const [rows, totals] = await db.batch([
    db
      .select({
        id: feedback.id,
        userId: feedback.userId,
        username: users.username,
        message: feedback.message,
        createdAt: feedback.createdAt,
      })
      .from(feedback)
      .leftJoin(users, eq(feedback.userId, users.id))
      .orderBy(desc(feedback.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(feedback),
  ]);
  return {
    feedback: rows.map((r): FeedbackItem => ({ ...r, createdAt: r.createdAt.toISOString() })),
    page,
    pageSize: PAGE_SIZE,
    total: totals[0]?.n ?? 0,
  };
}

export async function deleteFeedback(db: Db, actor: SessionUser, id: number) {
  const [before] = await db.select().from(feedback).where(eq(feedback.id, id));
  if (!before) throw notFound("Feedback");
  await db.batch([db.delete(feedback).where(eq(feedback.id, id)), audit(db, actor, "feedback.delete", `feedback:${id}`, before, null)]);
}

// ---------------------------------------------------------------- tags

/**
 * Tag names for autocomplete: prefix match, most used on public stories first. Suggested are the
 * admins' curated tags and tags a public story uses (and, to their author, their own stories'
 * tags); a tag only other people's private stories use, or once used, never is: its name could
 * say more than its owner wants.
 */
export async function suggestTags(db: Db, user: SessionUser, q: string | undefined): Promise<{ tags: string[] }> {
  const pattern = q ? likePattern(q, "prefix") : null;
  const publicUses = sql`(SELECT count(*) FROM story_tags st JOIN stories s ON s.id = st.story_id
    WHERE st.tag_id = ${tags.id} AND s.shared = 1 AND s.flagged = 0)`;
  const rows = await db
    .select({ name: tags.name })
    .from(tags)
    .where(
      and(
        pattern ? likeEscaped(tags.name, pattern) : undefined,
        sql`(${tags.curated} = 1
          OR EXISTS (SELECT 1 FROM story_tags st JOIN stories s ON s.id = st.story_id
            WHERE st.tag_id = ${tags.id} AND ((s.shared = 1 AND s.flagged = 0) OR s.user_id = ${user.id})))`,
      ),
    )
    .orderBy(desc(publicUses), asc(sql`${tags.name} COLLATE NOCASE`))
    .limit(TAG_SUGGESTIONS);
  return { tags: rows.map((r) => r.name) };
}

const tagUses = sql<number>`(SELECT count(*) FROM story_tags st WHERE st.tag_id = ${tags.id})`.mapWith(Number);

export async function listTags(db: Db, q: string | undefined, page: number): Promise<AdminTagPage> {
  const pattern = q ? likePattern(q, "contains") : null;
  const where = pattern ? likeEscaped(tags.name, pattern) : undefined;
  const [rows, totals] = await db.batch([
    db
      .select({ id: tags.id, name: tags.name, stories: tagUses })
      .from(tags)
      .where(where)
      .orderBy(asc(sql`${tags.name} COLLATE NOCASE`), asc(tags.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(tags).where(where),
  ]);
  return { tags: rows as AdminTag[], page, pageSize: PAGE_SIZE, total: totals[0]?.n ?? 0 };
}

async function tagById(db: Db, id: number): Promise<AdminTag> {
  const [row] = await db.select({ id: tags.id, name: tags.name, stories: tagUses }).from(tags).where(eq(tags.id, id));
  if (!row) throw notFound("Tag");
  return row;
}

const tagExists = (name: string) => new AppError("conflict", `A tag named "${name}" already exists`, { fields: { name: "Already exists" } });

/** Tag names are unique regardless of ASCII case (the unique index is COLLATE NOCASE). */
export async function createTag(db: Db, actor: SessionUser, name: string): Promise<AdminTag> {
  const [row] = await db.insert(tags).values({ name, curated: true }).onConflictDoNothing().returning();
  if (!row) throw tagExists(name);
  await audit(db, actor, "tag.create", `tag:${row.id}`, null, { name });
  return { id: row.id, name: row.name, stories: 0 };
}

/** Renames a tag on every story that has it; a name another tag has is a 409 (no merging). */
export async function renameTag(db: Db, actor: SessionUser, id: number, name: string): Promise<AdminTag> {
  const before = await tagById(db, id);
  const [clash] = await db
    .select({ id: tags.id })
    .from(tags)
    .where(and(sql`${tags.name} = ${name} COLLATE NOCASE`, ne(tags.id, id)));
  if (clash) throw tagExists(name);
  try {
    await db.batch([
      // Renamed by an admin: part of the curated vocabulary from now on.
      db.update(tags).set({ name, curated: true }).where(eq(tags.id, id)),
      audit(db, actor, "tag.update", `tag:${id}`, { name: before.name }, { name }),
    ]);
  } catch (e) {
    // Another admin took the name between the check and the update.
    if (isConstraintError(e, "UNIQUE")) throw tagExists(name);
    throw e;
  }
  return tagById(db, id);
}

/** Deletes a tag; story_tags rows go with it (ON DELETE CASCADE), so it leaves every story. */
export async function deleteTag(db: Db, actor: SessionUser, id: number) {
  const before = await tagById(db, id);
  await db.batch([
    db.delete(storyTags).where(eq(storyTags.tagId, id)),
    db.delete(tags).where(eq(tags.id, id)),
    audit(db, actor, "tag.delete", `tag:${id}`, before, null),
  ]);
}

