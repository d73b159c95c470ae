// Creating, changing and deleting stories; tags; growing or shrinking the outline.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { StoryDetail } from "../../shared/api";
import type { CreateStoryInput, UpdateStoryInput } from "../../shared/schemas";
import { uniqueCaseless } from "../../core/text";
import { chunkedInsert, runBatch } from "../db/batch";
import type { Db } from "../db/client";
import { chapters, stories, storyTags, tags } from "../db/schema";
import { AppError } from "../errors";
import type { SessionUser } from "../accounts";

import { StoryRow } from "./access";
import { realChapterCount } from "./artifacts";
import { storyDetail } from "./json";
import { deleteUnder, hasProseSql } from "../prose";

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
    .where(
      inArray(
        sql`lower(${tags.name})`,
        unique.map((n) => n.toLowerCase()),
      ),
    );
  const byName = new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  return unique.map((n) => byName.get(n.toLowerCase())!).filter(Boolean);
}

/**
 * Deletes tags that no story uses and no admin made, among `ids` (or all of them): what a story
 * drops, or a deleted story or account leaves behind, does not linger in the vocabulary (and in
 * suggestions) once no story carries it.
 */
export const deleteOrphanTags = (db: Db, ids?: number[]) =>
  db
    .delete(tags)
    .where(
      and(
        eq(tags.curated, false),
        ids ? inArray(tags.id, ids.length ? ids : [0]) : undefined,
        sql`NOT EXISTS (SELECT 1 FROM story_tags st WHERE st.tag_id = ${tags.id})`,
      ),
    );

const tagsOf = async (db: Db, storyIds: number[]) =>
  storyIds.length
    ? (await db.select({ id: storyTags.tagId }).from(storyTags).where(inArray(storyTags.storyId, storyIds))).map((r) => r.id)
    : [];

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
 * An author an admin put under review (README, "Sharing, reading and moderation"): until an admin
 * clears it, nothing more of theirs becomes public: stories already shared stay as they are, new shares are refused.
 */
function assertMayShare(user: SessionUser) {
  if (!user.underReview) return;
  const why =
    "Your account is under review after readers reported one of your stories; you can share again once an admin has looked at it.";
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
  if (tagNames) {
    const dropped = await tagsOf(db, [story.id]);
    items.push(...replaceTags(db, story.id, await tagIds(db, tagNames)), deleteOrphanTags(db, dropped));
  }
  if (chaptersCount !== undefined && chaptersCount !== story.chaptersCount) {
    items.push(...(await resizeOutline(db, story, chaptersCount)));
  }
  items.push(
    db
      .update(stories)
      // The count the rows have after the resize: written chapters past the new end are kept.
      .set({ ...fields, ...(chaptersCount !== undefined ? { chaptersCount: realChapterCount(story.id) } : {}), updatedAt: new Date() })
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
  blank:
    sql<boolean>`(${chapters.title} = '' AND ${chapters.summary} = '' AND NOT ${hasProseSql(chapters.content, chapters.contentHash)})`.mapWith(
      Boolean,
    ),
};

/** Deletes the story's rows (cascade) and its objects, images and prose: the prefix ends in a slash so story 1 never takes story 12's. */
export async function deleteStory(db: Db, bucket: R2Bucket, storyId: number) {
  const dropped = await tagsOf(db, [storyId]);
  await db.batch([db.delete(stories).where(eq(stories.id, storyId)), deleteOrphanTags(db, dropped)]);
  await deleteStoryObjects(bucket, storyId);
}

export const deleteStoryObjects = (bucket: R2Bucket, storyId: number) => deleteUnder(bucket, `stories/${storyId}/`);
