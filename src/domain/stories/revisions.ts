// The last versions of a chapter's prose, so a regeneration or a bad edit can be undone. Each
// version's text is an object in R2 (docs/SCALE.md); a revision row names it by hash.
import { and, desc, eq, notInArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { countWords } from "../../core/text";
import { runBatch } from "../db/batch";
import { chapterRevisions, chapters } from "../db/schema";
import type { Revision } from "../../shared/api";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { hasProse, putProse, readText, revisionRef, type StoredText } from "../prose";
import type { ChapterRow } from "./access";

export const KEEP_REVISIONS = 10;
/** Autosaves of one editing session share a single snapshot of what came before it. */
export const EDIT_SESSION_MS = 10 * 60 * 1000;

/** A chapter's revisions, newest first: a query for a read's batch (GET …/revisions), then their texts from R2. */
export const revisionsQuery = (db: Db, chapterId: number) =>
  db.select().from(chapterRevisions).where(eq(chapterRevisions.chapterId, chapterId)).orderBy(desc(chapterRevisions.id));

export async function revisionsOf(bucket: R2Bucket, storyId: number, chapterId: number, rows: (typeof chapterRevisions.$inferSelect)[]): Promise<Revision[]> {
  const texts = await Promise.all(rows.map((r) => readText(bucket, storyId, chapterId, revisionRef(r))));
  return rows.map((r, i) => ({
    id: r.id,
    source: r.source,
    content: texts[i] ?? "",
    wordCount: r.content ? countWords(r.content) : r.wordCount,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Puts a revision back by its hash (its object is already in R2); the current text becomes a revision itself, so a restore can be undone too. */
export async function restoreRevision(db: Db, bucket: R2Bucket, chapter: ChapterRow, revisionId: number) {
  const [rev] = await db
    .select()
    .from(chapterRevisions)
    .where(and(eq(chapterRevisions.id, revisionId), eq(chapterRevisions.chapterId, chapter.id)));
  if (!rev) throw notFound("Revision");
  const stored: StoredText = rev.content
    ? await putProse(bucket, chapter.storyId, chapter.id, rev.content)
    : { contentHash: rev.contentHash, wordCount: rev.wordCount, key: null };
  await runBatch(db, setContentItems(db, chapter, stored, rev.source, null, { bibleHash: null }));
}

/**
 * Statements that replace a chapter's prose, keeping what it replaces as a revision (the last
 * KEEP_REVISIONS per chapter). Used by edits, restores and the `chapters` stage alike.
 */
export function setContentItems(
  db: Db,
  chapter: Pick<ChapterRow, "id" | "content" | "contentHash" | "wordCount" | "contentSource" | "contentUpdatedAt">,
  /** The new text, already in R2 (`putProse`). */
  text: StoredText,
  source: "generated" | "edited",
  lastRevisionAt: Date | null,
  /** The canon the prose was written against: a job's, or null for the author's own words, which no canon judges. */
  stamp: { bibleHash: string | null },
): BatchItem<"sqlite">[] {
  const now = new Date();
  const items: BatchItem<"sqlite">[] = [];
  const sameEditSession =
    source === "edited" &&
    chapter.contentSource === "edited" &&
    lastRevisionAt !== null &&
    now.getTime() - lastRevisionAt.getTime() < EDIT_SESSION_MS;
  // A text not moved to R2 yet stays inline in its revision, and is moved with the others.
  const inline = chapter.content !== null;
  const changed = inline ? true : chapter.contentHash !== text.contentHash;
  if (hasProse(chapter) && changed && !sameEditSession) {
    items.push(
      db.insert(chapterRevisions).values({
        chapterId: chapter.id,
        content: chapter.content ?? "",
        contentHash: inline ? null : chapter.contentHash,
        wordCount: chapter.wordCount,
        source: chapter.contentSource ?? "edited",
      }),
      db
        .delete(chapterRevisions)
        .where(
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
        content: null,
        contentSource: source,
        wordCount: text.wordCount,
        contentHash: text.contentHash,
        bibleHash: stamp.bibleHash,
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
