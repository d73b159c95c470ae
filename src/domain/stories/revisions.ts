// The last versions of a chapter's prose, so a regeneration or a bad edit can be undone.
import { sha256Hex } from "../crypto";
import { and, desc, eq, notInArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { countWords } from "../../core/text";
import { runBatch } from "../db/batch";
import { chapterRevisions, chapters } from "../db/schema";
import type { Revision } from "../../shared/api";
import type { Db } from "../db/client";
import { notFound } from "../errors";

import { ChapterRow } from "./access";

export const KEEP_REVISIONS = 10;
/** Autosaves of one editing session share a single snapshot of what came before it. */
export const EDIT_SESSION_MS = 10 * 60 * 1000;

export async function listRevisions(db: Db, chapterId: number): Promise<Revision[]> {
  const rows = await db
    .select()
    .from(chapterRevisions)
    .where(eq(chapterRevisions.chapterId, chapterId))
    .orderBy(desc(chapterRevisions.id));
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    content: r.content,
    wordCount: countWords(r.content),
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function restoreRevision(db: Db, chapter: ChapterRow, revisionId: number) {
  const [rev] = await db
    .select()
    .from(chapterRevisions)
    .where(and(eq(chapterRevisions.id, revisionId), eq(chapterRevisions.chapterId, chapter.id)));
  if (!rev) throw notFound("Revision");
  // The current text becomes a revision itself, so a restore can be undone too.
  await runBatch(db, setContentItems(db, chapter, rev.content, rev.source, null, { contentHash: await sha256Hex(rev.content), bibleHash: null }));
}

/**
 * Statements that replace a chapter's prose, keeping what it replaces as a revision (the last
 * KEEP_REVISIONS per chapter). Used by edits, restores and the `chapters` stage alike.
 */
export function setContentItems(
  db: Db,
  chapter: Pick<ChapterRow, "id" | "content" | "contentSource" | "contentUpdatedAt">,
  content: string,
  source: "generated" | "edited",
  lastRevisionAt: Date | null,
  /**
   * The prose's SHA-256 (what digests and checks compare against) and the canon it was written
   * against: a job's, or null for the author's own words, which no canon judges.
   */
  stamp: { contentHash: string; bibleHash: string | null },
): BatchItem<"sqlite">[] {
  const now = new Date();
  const items: BatchItem<"sqlite">[] = [];
  const sameEditSession =
    source === "edited" &&
    chapter.contentSource === "edited" &&
    lastRevisionAt !== null &&
    now.getTime() - lastRevisionAt.getTime() < EDIT_SESSION_MS;
  if (chapter.content && chapter.content !== content && !sameEditSession) {
    items.push(
      db.insert(chapterRevisions).values({
        chapterId: chapter.id,
        content: chapter.content,
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
        content,
        contentSource: source,
        wordCount: countWords(content),
        contentHash: stamp.contentHash,
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
