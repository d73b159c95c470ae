// One canon per run (docs/MEMORY.md): when a job's per-chapter work begins it fixes the story
// bible it writes against. Its remaining units read that canon, not the live story, so an edit made
// while it runs applies from the next run; chapters remember which canon they were written with.
// The canon is a few kilobytes of JSON, so it lives in R2 under its own hash (docs/SCALE.md): the
// job keeps only `bibleHash`, and runs of an unchanged bible share one object.
import { SizedLru } from "../core/lru";
import { canonOf, canonText, withCanon, type Canon, type StoryContext } from "../core/story";
import { sha256Hex } from "./crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "./db/client";
import { generationJobs, jobCanons } from "./db/schema";
import { canonKey, putAddressed } from "./prose";
import { loadStoryContext } from "./stories/context";

export const canonHash = (c: Canon) => sha256Hex(canonText(c));

/** The hash of the story's bible as it is now. */
export const currentCanonHash = (s: Parameters<typeof canonOf>[0]) => canonHash(canonOf(s));

/**
 * Fixes the job's canon from the story as it is now, once: the object is put first, then the job
 * records its hash only if it has none, so a repeated or racing call keeps the first. Answers the
 * hash the job ended up with.
 */
export async function fixCanon(db: Db, bucket: R2Bucket, jobId: number, story: StoryContext): Promise<string> {
  const { hash } = await putAddressed(bucket, canonText(canonOf(story)), (h) => canonKey(story.id, h), "application/json");
  const [set] = await db
    .update(generationJobs)
    .set({ bibleHash: hash })
    .where(and(eq(generationJobs.id, jobId), isNull(generationJobs.bibleHash)))
    .returning({ hash: generationJobs.bibleHash });
  if (set) return hash;
  const [job] = await db.select({ hash: generationJobs.bibleHash }).from(generationJobs).where(eq(generationJobs.id, jobId));
  return job?.hash ?? hash;
}

// Canons never change under their hash, so an isolate keeps the last few it read: every unit of a
// run reads the same one.
const cache = new SizedLru<Canon>(16);

async function readCanon(db: Db, bucket: R2Bucket, job: { id: number; storyId: number; bibleHash: string }): Promise<Canon | null> {
  const key = canonKey(job.storyId, job.bibleHash);
  const hit = cache.get(key);
  if (hit) return hit;
  const object = await bucket.get(key);
  let canon: Canon | null = object ? ((await object.json()) as Canon) : null;
  // A job started before canons moved to R2 kept its canon in D1.
  if (!canon) canon = ((await db.select({ canon: jobCanons.canon }).from(jobCanons).where(eq(jobCanons.jobId, job.id)))[0]?.canon as unknown as Canon | undefined) ?? null;
  if (!canon) return null;
  cache.set(key, canon);
  return canon;
}

/** The story as the job sees it: its canon over the live story, once the canon is fixed. */
export async function storyForJob(db: Db, bucket: R2Bucket, job: { id: number; storyId: number; bibleHash: string | null }): Promise<StoryContext> {
  const [story, canon] = await Promise.all([loadStoryContext(db, bucket, job.storyId), job.bibleHash ? readCanon(db, bucket, { ...job, bibleHash: job.bibleHash }) : null]);
  return canon ? withCanon(story, canon) : story;
}
