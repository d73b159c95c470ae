// Accepting a generation: validate, check prerequisites and credits, create the job, take the
// user's lock, create and dispatch the units. Also estimates and retries, which share the same
// quoting and credit rules.
import { and, eq, inArray, sql } from "drizzle-orm";
import { quoteBook, quoteStage, type Quote } from "../core/plan";
import type { StoryContext } from "../core/story";
import { countPromptTokens } from "../core/tokens";
import { event } from "../shared/events";
import { missingPrerequisites } from "../shared/prerequisites";
import type { BookMode, GenerateInput } from "../shared/schemas";
import { STAGE_INFO, type UnitStage } from "../shared/stages";
import type { SessionUser } from "../domain/accounts";
import { loadStoryContext } from "../domain/stories/context";
import type { Db } from "../domain/db/client";
import { generationJobs, generationLogs, users } from "../domain/db/schema";
import type { Deps } from "../domain/deps";
import { AppError } from "../domain/errors";
import { publish, userHub } from "../domain/hub";
import { loadPricing } from "../domain/pricing-config";
import { advanceJob, expireJob } from "./advance";
import { dispatchUnits } from "./dispatch";
import { getJob, isActive, LOCK_TTL_MS, toJobJson, type JobParams, type JobRow } from "./jobs";

type QuoteInput = Pick<GenerateInput, "stage" | "chapterIds" | "regenerate" | "instructions" | "prompt" | "mode">;

/** Books and chapter runs write with memory unless the author asks otherwise (docs/MEMORY.md). */
export const modeOf = (input: Pick<GenerateInput, "stage" | "mode">): BookMode | null =>
  input.stage === "book" || input.stage === "chapters" ? (input.mode ?? "hybrid") : null;

function checkChapterIds(story: StoryContext, ids?: number[]) {
  if (!ids) return;
  const known = new Set(story.chapters.map((c) => c.id));
  const fields: Record<string, string> = {};
  ids.forEach((id, i) => {
    if (!known.has(id)) fields[`chapterIds.${i}`] = "Not a chapter of this story";
  });
  if (Object.keys(fields).length) throw new AppError("validation_failed", "Unknown chapter ids", { fields });
}

/** The prediction for a stage, a chapter subset or the whole book, after checking it can run. */
export async function quote(db: Db, story: StoryContext, input: QuoteInput): Promise<Quote> {
  checkChapterIds(story, input.chapterIds);
  if (input.chapterIds && !STAGE_INFO[input.stage as UnitStage]?.perChapter)
    throw new AppError("validation_failed", "chapterIds only applies to guides, chapters and chapter_image", {
      fields: { chapterIds: "Not used by this stage" },
    });
  const missing = missingPrerequisites(input.stage, story, input.chapterIds);
  if (missing.length)
    throw new AppError("missing_prerequisites", `This step needs ${missing.join(", ")} first.`, { missing });
  if (input.mode && !modeOf({ stage: input.stage }))
    throw new AppError("validation_failed", "mode only applies to book and chapters", { fields: { mode: "Not used by this stage" } });
  const pricing = await loadPricing(db);
  const mode = modeOf(input) ?? undefined;
  return input.stage === "book"
    ? quoteBook(story, pricing, countPromptTokens, { regenerate: input.regenerate, mode })
    : quoteStage(input.stage, story, pricing, countPromptTokens, { ...input, mode });
}

/** 402 unless each credit type the work needs is positive and covers the prediction. */
export async function checkCredits(db: Db, userId: number, need: { text: number; image: number }) {
  const [bal] = await db
    .select({ text: users.textCredits, image: users.imageCredits })
    .from(users)
    .where(eq(users.id, userId));
  for (const type of ["text", "image"] as const) {
    if (need[type] <= 0) continue;
    const available = bal![type];
    if (available <= 0 || available < need[type])
      throw new AppError("insufficient_credits", `This needs ${need[type]} ${type} credits and you have ${available}.`, {
        creditType: type,
        required: need[type],
        available,
      });
  }
}

/**
 * Takes the user's lock for `jobId`, or throws 409 with the job that holds it. A holder that
 * already finished (its release was lost) gives way; so does one whose lease ran out, but only
 * after it has been failed: two generations of one user never run at once.
 */
async function takeLock(deps: Deps, userId: number, jobId: number) {
  const { env, db } = deps;
  const hub = userHub(env, userId);
  let res = await hub.acquireLock(jobId, LOCK_TTL_MS);
  if (!res.ok) {
    const holder = await getJob(db, res.jobId);
    if (!holder || !isActive(holder.status) || res.expired) {
      if (holder && isActive(holder.status)) await publish(env, userId, ...(await expireJob(deps, holder.id)));
      res = await hub.acquireLock(jobId, LOCK_TTL_MS, res.jobId);
    }
  }
  if (!res.ok) {
    const holder = await getJob(db, res.jobId);
    throw new AppError("generation_in_progress", "Another generation is running. Wait for it to finish or cancel it.", {
      job: holder ? toJobJson(holder) : { id: res.jobId },
    });
  }
}

export async function startGeneration(deps: Deps, user: SessionUser, storyId: number, input: GenerateInput): Promise<JobRow> {
  const { env, db } = deps;
  const story = await loadStoryContext(db, env.FILES, storyId);
  const q = await quote(db, story, input);
  if (!q.units.length)
    throw new AppError("missing_prerequisites", "Nothing to generate: everything already exists. Pass regenerate: true to write it again.", {
      missing: [],
    });
  await checkCredits(db, user.id, q.totals);

  const params: JobParams = {
    plan: q.plan,
    ...(input.chapterIds ? { chapterIds: input.chapterIds } : {}),
    ...(input.instructions ? { instructions: input.instructions } : {}),
    ...(input.prompt ? { prompt: input.prompt } : {}),
    ...(input.regenerate ? { regenerate: true } : {}),
  };
  const [job] = await db
    .insert(generationJobs)
    .values({
      userId: user.id,
      storyId,
      stage: input.stage,
      mode: modeOf(input),
      params,
      unitsTotal: q.units.length,
      predictedCost: q.totals.text,
      predictedImageCost: q.totals.image,
    })
    .returning();
  try {
    await takeLock(deps, user.id, job!.id);
  } catch (e) {
    await db.delete(generationJobs).where(eq(generationJobs.id, job!.id));
    throw e;
  }
  try {
    // The first stage starts like every later one: its units and the stage move are one batch,
    // and if this request dies before that, the lock's watch starts it.
    await advanceJob(deps, job!.id);
  } catch (e) {
    await db
      .update(generationJobs)
      .set({ status: "failed", error: "Could not queue the work", finishedAt: new Date() })
      .where(eq(generationJobs.id, job!.id));
    await userHub(env, user.id).releaseLock(job!.id);
    throw e;
  }
  const fresh = (await getJob(db, job!.id))!;
  await publish(env, user.id, event("job_started", { job: toJobJson(fresh) }));
  return fresh;
}

/** Re-runs only the failed units of a finished job. */
export async function retryJob(deps: Deps, job: JobRow): Promise<JobRow> {
  const { env, db } = deps;
  if (isActive(job.status)) throw new AppError("conflict", "This job is still running");
  const failed = await db
    .select({ id: generationLogs.id, creditType: generationLogs.creditType, predictedCost: generationLogs.predictedCost })
    .from(generationLogs)
    .where(and(eq(generationLogs.jobId, job.id), eq(generationLogs.status, "failed")));
  if (!failed.length) throw new AppError("conflict", "This job has no failed units to retry");
  const need = { text: 0, image: 0 };
  for (const f of failed) need[f.creditType] += f.predictedCost;
  await checkCredits(db, job.userId, need);
  await takeLock(deps, job.userId, job.id);
  // Only units still failed are reset, and the job moves back to running only from where it
  // ended: of two overlapping retries one resets the units and the other finds none.
  const [reset, resumed] = await db.batch([
    db
      .update(generationLogs)
      .set({ status: "pending", dispatchedAt: null, startedAt: null, heldCost: null, errorMessage: null, finishedAt: null })
      .where(
        and(
          inArray(generationLogs.id, failed.map((f) => f.id)),
          eq(generationLogs.status, "failed"),
          sql`EXISTS (SELECT 1 FROM generation_jobs WHERE id = ${job.id} AND status = ${job.status})`,
        ),
      )
      .returning({ id: generationLogs.id }),
    db
      .update(generationJobs)
      .set({ status: "running", error: null, finishedAt: null, cancelRequested: false, unitsFailed: sql`0` })
      .where(and(eq(generationJobs.id, job.id), eq(generationJobs.status, job.status)))
      .returning({ id: generationJobs.id }),
  ]);
  if (!reset.length || !resumed.length) throw new AppError("conflict", "This job is already being retried");
  await dispatchUnits(deps, job.id);
  const fresh = (await getJob(db, job.id))!;
  await publish(env, job.userId, event("job_started", { job: toJobJson(fresh) }));
  await advanceJob(deps, job.id);
  return fresh;
}
