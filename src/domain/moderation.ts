// Admin moderation of stories: the list with report counts, spotlight, unflag and
// delete. Every change is audit-logged in the same batch as the change, and the author is told.
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { AdminStory, AdminStoryPage, Story, StoryReport } from "../shared/api";
import { event } from "../shared/events";
import type { AdminStoriesInput } from "../shared/schemas";
import type { Db } from "./db/client";
import { auditLog, notifications, stories, storyFlags, storyTags, tags, users } from "./db/schema";
import { AppError, notFound } from "./errors";
import { PAGE_SIZE } from "./admin";
import { audit } from "./audit";
import type { SessionUser } from "./accounts";
import { publish } from "./hub";
import { likeEscaped, likePattern, NOW, value } from "./db/sql";
import { publicStory } from "./stories/access";
import { deleteStory } from "./stories/crud";
import { isPublic, type StoryRow } from "./stories/access";
import { storyDetail, toStoryJson } from "./stories/json";

/** Reports shown per story in the admin list (the count covers all of them). */
const RECENT_REPORTS = 5;

const reportCount = sql<number>`(SELECT count(*) FROM story_flags r WHERE r.story_id = ${stories.id})`.mapWith(Number);

export async function listAdminStories(db: Db, input: AdminStoriesInput): Promise<AdminStoryPage> {
  const conds: SQL[] = [];
  if (input.flagged !== undefined) conds.push(eq(stories.flagged, input.flagged));
  if (input.spotlight !== undefined) conds.push(eq(stories.spotlight, input.spotlight));
  const pattern = input.q ? likePattern(input.q, "contains") : null;
  if (pattern) conds.push(or(likeEscaped(stories.title, pattern), likeEscaped(users.username, pattern))!);
  const where = conds.length ? and(...conds) : undefined;
  const offset = (input.page - 1) * PAGE_SIZE;
  const pageIds = db
    .select({ id: stories.id })
    .from(stories)
    .innerJoin(users, eq(stories.userId, users.id))
    .where(where)
    .orderBy(desc(stories.id))
    .limit(PAGE_SIZE)
    .offset(offset);
  const [rows, totals, tagRows, reportRows] = await db.batch([
    db
      .select({ story: stories, author: users.username, underReview: users.underReview, reports: reportCount })
      .from(stories)
      .innerJoin(users, eq(stories.userId, users.id))
      .where(where)
      .orderBy(desc(stories.id))
      .limit(PAGE_SIZE)
      .offset(offset),
    db.select({ n: count() }).from(stories).innerJoin(users, eq(stories.userId, users.id)).where(where),
    db
      .select({ storyId: storyTags.storyId, name: tags.name })
      .from(storyTags)
      .innerJoin(tags, eq(storyTags.tagId, tags.id))
      .where(inArray(storyTags.storyId, pageIds))
      .orderBy(asc(storyTags.storyId), asc(storyTags.position)),
    db
      .select({
        storyId: storyFlags.storyId,
        userId: storyFlags.userId,
        username: users.username,
        reason: storyFlags.reason,
        createdAt: storyFlags.createdAt,
      })
      .from(storyFlags)
      .innerJoin(users, eq(storyFlags.userId, users.id))
      .where(inArray(storyFlags.storyId, pageIds))
      .orderBy(desc(storyFlags.createdAt)),
  ]);
  const tagMap = new Map<number, string[]>();
  for (const t of tagRows) tagMap.set(t.storyId, [...(tagMap.get(t.storyId) ?? []), t.name]);
  const reportMap = new Map<number, StoryReport[]>();
  for (const { storyId, createdAt, ...r } of reportRows) {
    const list = reportMap.get(storyId) ?? [];
    if (list.length < RECENT_REPORTS) list.push({ ...r, createdAt: createdAt.toISOString() });
    reportMap.set(storyId, list);
  }
  return {
    stories: rows.map(
      (r): AdminStory => ({
        ...toStoryJson(r.story, tagMap.get(r.story.id) ?? [], r.author),
        reports: r.reports,
        recentReports: reportMap.get(r.story.id) ?? [],
        authorUnderReview: r.underReview,
      }),
    ),
    page: input.page,
    pageSize: PAGE_SIZE,
    total: totals[0]?.n ?? 0,
  };
}

async function storyRow(db: Db, id: number): Promise<StoryRow> {
  const [row] = await db.select().from(stories).where(eq(stories.id, id));
  if (!row) throw notFound("Story");
  return row;
}

const notice = (db: Db, userId: number, message: string, level: "info" | "success" | "warning", link: string | null) =>
  db.insert(notifications).values({ userId, message, level, link });

/** Puts a public story in the spotlight, or takes any story out of it. */
export async function setSpotlight(db: Db, actor: SessionUser, id: number, on: boolean): Promise<{ story: Story }> {
  const s = await storyRow(db, id);
  if (on && !isPublic(s))
    throw new AppError("story_not_public", "Only public stories (shared and not flagged) can be in the spotlight");
  // Guarded again in the update: the author may unshare it meanwhile.
  const [changed] = await db.batch([
    db
      .update(stories)
      .set({ spotlight: on })
      .where(and(eq(stories.id, id), on ? publicStory : undefined))
      .returning({ id: stories.id }),
    // Logged only if the story now has that spotlight value.
    db.insert(auditLog).select(
      db
        .select({
          id: value(null, "id"),
          actorId: value(actor.id, "actor_id"),
          action: value("story.spotlight", "action"),
          target: value(`story:${id}`, "target"),
          before: value(JSON.stringify({ spotlight: s.spotlight }), "before"),
          after: value(JSON.stringify({ spotlight: on }), "after"),
          createdAt: value(NOW, "created_at"),
        })
        .from(stories)
        .where(and(eq(stories.id, id), eq(stories.spotlight, on))),
    ),
  ]);
  if (!changed.length) throw new AppError("story_not_public", "The story is no longer public");
  return { story: (await storyDetail(db, id)).story };
}

/**
 * Clears the flag and every report. The story stays unshared until its author shares it again;
 * the author leaves review unless another of their stories is still flagged.
 */
export async function unflagStory(env: Env, db: Db, actor: SessionUser, id: number): Promise<{ story: Story }> {
  const s = await storyRow(db, id);
  const [reports] = await db.select({ n: count() }).from(storyFlags).where(eq(storyFlags.storyId, id));
  const message = `An administrator reviewed your story "${s.title}": it is no longer flagged. Share it again whenever you like.`;
  await db.batch([
    db.update(stories).set({ flagged: false }).where(eq(stories.id, id)),
    db.delete(storyFlags).where(eq(storyFlags.storyId, id)),
    db
      .update(users)
      .set({ underReview: false })
      .where(and(eq(users.id, s.userId), sql`NOT EXISTS (SELECT 1 FROM stories o WHERE o.user_id = ${s.userId} AND o.flagged = 1)`)),
    audit(db, actor, "story.unflag", `story:${id}`, { flagged: s.flagged, shared: s.shared, reports: reports?.n ?? 0 }, { flagged: false, reports: 0 }),
    ...(s.flagged ? [notice(db, s.userId, message, "success", `/stories/${id}`)] : []),
  ]);
  if (s.flagged) await publish(env, s.userId, event("notification", { message, level: "success" }));
  return { story: (await storyDetail(db, id)).story };
}

/** Deletes a story with its rows and images (the key prefix ends in a slash), and tells its author. */
export async function deleteStoryAsAdmin(env: Env, db: Db, actor: SessionUser, id: number) {
  const s = await storyRow(db, id);
  await deleteStory(db, env.FILES, id);
  const message = `An administrator removed your story "${s.title}".`;
  const tell = s.userId !== actor.id;
  await db.batch([
    audit(db, actor, "story.delete", `story:${id}`, { title: s.title, userId: s.userId, flagged: s.flagged, shared: s.shared }, null),
    ...(tell ? [notice(db, s.userId, message, "warning", null)] : []),
  ]);
  if (tell) await publish(env, s.userId, event("notification", { message, level: "warning" }));
}
