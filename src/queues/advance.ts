// The job state machine: what happens after a unit settles, or when the author or the lock's
// watch acts on a job. Moving through a `book`, finishing, cancelling, halting and expiring.
//
// Every transition is a guarded UPDATE (… WHERE status/current_stage = expected), so concurrent
// unit completions and redelivered messages can run this code in any order: exactly one caller
// wins each transition, and counters are recounted from the unit rows rather than incremented.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { predictStep, stepUnits } from "../core/plan";
import { countPromptTokens } from "../core/tokens";
import type { JobStatus } from "../shared/api";
import { event, type ServerEvent } from "../shared/events";
import { STAGE_INFO, type UnitStage } from "../shared/stages";
import { runBatch } from "../domain/db/batch";
import { generationJobs, generationLogs, notifications } from "../domain/db/schema";
import type { Deps } from "../domain/deps";
import { AppError } from "../domain/errors";
import { publish, userHub } from "../domain/hub";
import { fixCanon, storyForJob } from "../domain/canon";
import { recheckBook } from "../domain/continuity";
import { loadStoryContext } from "../domain/stories/context";
import { dispatchUnits, failBlocked, unitInserts } from "./dispatch";
import {
  ACTIVE,
  countUnits,
  getJob,
  isActive,
  jobLabel,
  progressEvent,
  recountItem,
  toJobJson,
  type Counts,
  type JobParams,
  type JobRow,
} from "./jobs";

/**
 * Called when a job starts and once for every message outcome (a unit settled, failed, was
 * skipped or halted): sends more units, moves the job to its next stage (the first one, for a
 * new job), or finishes it.
 */
export async function advanceJob(deps: Deps, jobId: number): Promise<void> {
  const { db } = deps;
  let job = await getJob(db, jobId);
  if (!job || !isActive(job.status)) return;
  await failBlocked(deps, jobId);
  await db.batch([recountItem(db, jobId)]);
  const counts = await countUnits(db, jobId);
  if (counts.pending > 0) {
    await dispatchUnits(deps, jobId);
    return;
  }
  if (!job.cancelRequested && !job.error) {
    const next = await startNextStage(deps, job);
    if (next !== "finished") return;
    job = (await getJob(db, jobId))!;
  }
  await finishJob(deps, job);
}

/** Stages that write the bible (cast, outline, arcs); every later one reads it and fixes the canon. */
const BUILDS_THE_BIBLE = new Set<UnitStage>(["meta", "summaries", "arcs"]);

/**
 * Moves a job to the next stage of its plan that has work and queues that stage's units.
 * Returns "started", "lost" (another caller moved it first) or "finished" (nothing left).
 */
async function startNextStage(deps: Deps, job: JobRow): Promise<"started" | "lost" | "finished"> {
  const { db } = deps;
  const params = job.params as JobParams;
  const plan = params.plan ?? [job.stage as UnitStage];
  const inBook = job.stage === "book";
  let current = job.currentStage as UnitStage | null;
  // A failed single-unit stage (cast, outline, arcs) leaves nothing to build on: stop there.
  if (current && !STAGE_INFO[current].perChapter) {
    const c = await countUnits(db, job.id, current);
    if (c.failed > 0) {
      await db
        .update(generationJobs)
        .set({ error: `Stopped: ${STAGE_INFO[current].label.toLowerCase()} could not be generated` })
        .where(eq(generationJobs.id, job.id));
      return "finished";
    }
  }
  for (const next of plan.slice(current ? plan.indexOf(current) + 1 : 0)) {
    // From the first stage that reads the bible rather than writes it, the job's canon is fixed.
    if (!BUILDS_THE_BIBLE.has(next)) job.bibleHash = await fixCanon(db, deps.env.FILES, job.id, await loadStoryContext(db, deps.env.FILES, job.storyId));
    const story = await storyForJob(db, deps.env.FILES, job);
    const mode = job.mode ?? undefined;
    const specs = stepUnits(next, story, { inBook, regenerate: params.regenerate, chapterIds: params.chapterIds, mode });
    const pricing = await deps.prices();
    const units = await predictStep(specs, story, pricing, countPromptTokens, { ...params, mode });
    // Moving the stage and creating its units is one batch: a crash between the two can never
    // leave a stage marked started with no units (which would skip it on the next advance).
    const [moved] = await runBatch(db, [
      db
        .update(generationJobs)
        .set({ currentStage: next })
        .where(
          and(
            eq(generationJobs.id, job.id),
            current ? eq(generationJobs.currentStage, current) : isNull(generationJobs.currentStage),
          ),
        )
        .returning({ id: generationJobs.id }),
      ...unitInserts(db, job, units),
      recountItem(db, job.id),
    ]);
    if (!(moved as unknown[]).length) return "lost";
    current = next;
    if (!units.length) continue;
    await dispatchUnits(deps, job.id);
    await publish(deps.env, job.userId, await progressEvent(db, job, next));
    return "started";
  }
  return "finished";
}

function finalStatus(job: JobRow, c: Counts): JobStatus {
  if (job.cancelRequested) return "cancelled";
  if (c.succeeded === 0 && (c.failed > 0 || job.error)) return "failed";
  if (c.failed > 0 || job.error) return "partial";
  return "succeeded";
}

const FINISH_MESSAGES: Record<JobStatus, [string, "success" | "warning" | "error" | "info"]> = {
  succeeded: ["is done", "success"],
  partial: ["finished with some failures", "warning"],
  failed: ["failed", "error"],
  cancelled: ["was cancelled", "info"],
  queued: ["", "info"],
  running: ["", "info"],
};

async function finishJob(deps: Deps, job: JobRow) {
  const { env, db } = deps;
  const c = await countUnits(db, job.id);
  const status = finalStatus(job, c);
  const error = job.error ?? (c.failed > 0 ? `${c.failed} of ${c.succeeded + c.failed} units failed` : null);
  const [, done] = await db.batch([
    recountItem(db, job.id),
    db
      .update(generationJobs)
      .set({ status, error, finishedAt: new Date() })
      .where(and(eq(generationJobs.id, job.id), inArray(generationJobs.status, ACTIVE)))
      .returning(),
  ]);
  const fresh = done[0];
  if (!fresh) return; // another caller finished it
  // The lock first (a tab that hears job_finished may start the next run at once), then the
  // tabs, then the notification's row: the browser learns of the end as soon as it is true.
  await userHub(env, job.userId).releaseLock(job.id);
  const [verb, level] = FINISH_MESSAGES[status];
  const message = `${jobLabel(fresh)} ${verb}.`;
  await publish(env, job.userId, event("job_finished", { job: toJobJson(fresh) }), event("notification", { message, level }));
  await db.insert(notifications).values({ userId: job.userId, message, level, link: `/stories/${job.storyId}` });
  // A run that wrote prose may change what later chapters repeat or introduce: check the whole book.
  if (((job.params as JobParams).plan ?? [job.stage]).some((st) => st === "chapters" || st === "boundaries")) await recheckBook(deps, job.storyId, job.userId);
}

// ---------------------------------------------------------------- the author's actions and the watch

/** Stops the units not started yet; running ones finish and are kept. */
export async function cancelJob(deps: Deps, job: JobRow): Promise<void> {
  if (!isActive(job.status)) throw new AppError("conflict", "This job has already finished");
  const { db } = deps;
  await db.batch([
    db.update(generationJobs).set({ cancelRequested: true }).where(eq(generationJobs.id, job.id)),
    db
      .update(generationLogs)
      .set({ status: "cancelled", errorMessage: "Cancelled", finishedAt: new Date() })
      .where(and(eq(generationLogs.jobId, job.id), eq(generationLogs.status, "pending"), isNull(generationLogs.startedAt))),
  ]);
  await advanceJob(deps, job.id);
}

/**
 * The spending guard: the balance cannot cover the next unit, so the job stops before it. Units
 * not started are marked failed with the reason (a retry after topping up runs them). The
 * consumer advances the job afterwards, as after any unit.
 */
export async function haltJob({ db }: Deps, jobId: number, reason: string): Promise<void> {
  await db.batch([
    db.update(generationJobs).set({ error: reason }).where(eq(generationJobs.id, jobId)),
    db
      .update(generationLogs)
      .set({ status: "failed", errorMessage: reason, finishedAt: new Date() })
      .where(and(eq(generationLogs.jobId, jobId), eq(generationLogs.status, "pending"), isNull(generationLogs.startedAt))),
  ]);
}

/** Units queued this long ago and never started are taken for lost and sent again. */
export const LOST_UNIT_MS = 5 * 60 * 1000;

/**
 * The UserHub alarm looks in on the job holding the lock about once a minute. Delivery is at
 * least once, but a message can still sit unprocessed after a crash or a lost send: units queued
 * long ago that never started are sent again (harmless if the first copy turns up: units are
 * idempotent), and a job whose units have all settled but that was never advanced is advanced.
 */
export async function watchJob(deps: Deps, jobId: number): Promise<"active" | "finished"> {
  const { db } = deps;
  const job = await getJob(db, jobId);
  if (!job || !isActive(job.status)) return "finished";
  const lost = await db
    .update(generationLogs)
    .set({ dispatchedAt: null })
    .where(
      and(
        eq(generationLogs.jobId, jobId),
        eq(generationLogs.status, "pending"),
        isNull(generationLogs.startedAt),
        sql`${generationLogs.dispatchedAt} < ${Date.now() - LOST_UNIT_MS}`,
      ),
    )
    .returning({ unit: generationLogs.unit });
  if (lost.length) console.warn(`job ${jobId}: sending ${lost.length} lost unit(s) again`);
  await advanceJob(deps, jobId);
  const after = await getJob(db, jobId);
  return after && isActive(after.status) ? "active" : "finished";
}

/** The lock's lease ran out: fail what is left (running units too) and return the events to send. */
export async function expireJob({ db }: Deps, jobId: number): Promise<ServerEvent[]> {
  const job = await getJob(db, jobId);
  if (!job || !isActive(job.status)) return [];
  const error = "Timed out: the generation took longer than its time limit";
  const [, done] = await db.batch([
    db
      .update(generationLogs)
      .set({ status: "failed", errorMessage: error, finishedAt: new Date() })
      .where(and(eq(generationLogs.jobId, jobId), eq(generationLogs.status, "pending"))),
    db
      .update(generationJobs)
      .set({ status: "failed", error: "timeout", finishedAt: new Date() })
      .where(and(eq(generationJobs.id, jobId), inArray(generationJobs.status, ACTIVE)))
      .returning({ id: generationJobs.id }),
    recountItem(db, jobId),
  ]);
  if (!done.length) return [];
  const fresh = (await getJob(db, jobId))!;
  const message = `${jobLabel(fresh)} timed out.`;
  await db.insert(notifications).values({ userId: job.userId, message, level: "error", link: `/stories/${job.storyId}` });
  return [
    event("generation_error", {
      storyId: job.storyId,
      jobId,
      stage: (job.currentStage ?? job.stage) as UnitStage,
      chapterId: null,
      error,
    }),
    event("job_finished", { job: toJobJson(fresh) }),
    event("notification", { message, level: "error" }),
  ];
}
