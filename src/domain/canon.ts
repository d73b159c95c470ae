// One canon per run (docs/MEMORY.md): when a job's per-chapter work begins it fixes the story
// bible it writes against. Its remaining units read that canon, not the live story, so an edit made
// while it runs applies from the next run; chapters remember which canon they were written with.
import { canonOf, canonText, withCanon, type Canon, type StoryContext } from "../core/story";
import { sha256Hex } from "./crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "./db/client";
import { generationJobs, jobCanons } from "./db/schema";
import { loadStoryContext } from "./stories/context";

export const canonHash = (c: Canon) => sha256Hex(canonText(c));

/** The hash of the story's bible as it is now. */
export const currentCanonHash = (s: Parameters<typeof canonOf>[0]) => canonHash(canonOf(s));

/** Fixes the job's canon from the story as it is now, once (a repeated call keeps the first). */
export async function fixCanon(db: Db, jobId: number, story: StoryContext): Promise<string> {
  const canon = canonOf(story);
  const hash = await canonHash(canon);
  await db.batch([
    db.insert(jobCanons).values({ jobId, hash, canon }).onConflictDoNothing(),
    db
      .update(generationJobs)
      .set({ bibleHash: sql`(SELECT hash FROM job_canons WHERE job_id = ${jobId})` })
      .where(and(eq(generationJobs.id, jobId), isNull(generationJobs.bibleHash))),
  ]);
  return hash;
}

/** The story as the job sees it: its canon over the live story, once the canon is fixed. */
export async function storyForJob(db: Db, job: { id: number; storyId: number }): Promise<StoryContext> {
  const [story, rows] = await Promise.all([
    loadStoryContext(db, job.storyId),
    db.select({ canon: jobCanons.canon }).from(jobCanons).where(eq(jobCanons.jobId, job.id)),
  ]);
  return rows[0] ? withCanon(story, rows[0].canon as unknown as Canon) : story;
}
