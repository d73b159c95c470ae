// The life of a generation job after it was accepted: dispatching its units under the fan-out
// cap, moving `book` from stage to stage, finishing, cancelling, retrying and expiring.
//
// Every transition is a guarded UPDATE (… WHERE status/current_stage = expected), so concurrent
// unit completions and redelivered messages can run this code in any order: exactly one caller
// wins each transition, and counters are recounted from the unit rows rather than incremented.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { predictUnit, unitsFor, type UnitPrediction } from "../core/plan";
import { countPromptTokens } from "../core/tokens";
import type { Job, JobStatus } from "../shared/api";
import { event, type ServerEvent } from "../shared/events";
import { STAGE_INFO, type Stage, type UnitStage } from "../shared/stages";
import { chunkedInsert, runBatch } from "../domain/db/batch";
import { getDb, type Db } from "../domain/db/client";
import { generationJobs, generationLogs, notifications } from "../domain/db/schema";
import { AppError, notFound } from "../domain/errors";
import { readConfig } from "../domain/config";
import { loadStoryContext } from "../domain/context";
import { publish, userHub } from "../domain/hub";
import { loadPricing } from "../domain/pricing-config";
import type { UnitMessage } from "./messages";

export type JobRow = typeof generationJobs.$inferSelect;
/** What a job was asked to do: its stages in order (one, or the whole book's) and their options. */
export type JobParams = { plan?: UnitStage[]; regenerate?: boolean; instructions?: string; prompt?: string; chapterIds?: number[] };

/** Default lock lease; every finished unit extends it (SPEC §6). */
export const LOCK_TTL_MS = 2000 * 1000;

const ACTIVE: JobStatus[] = ["queued", "running"];
export const isActive = (s: JobStatus) => ACTIVE.includes(s);

export function toJobJson(j: JobRow): Job {
  return {
    id: j.id,
    storyId: j.storyId,
    stage: j.stage as Stage,
    status: j.status,
    currentStage: (j.currentStage as UnitStage | null) ?? null,
    params: j.params,
    unitsTotal: j.unitsTotal,
    unitsDone: j.unitsDone,
    unitsFailed: j.unitsFailed,
    predictedCost: j.predictedCost,
    predictedImageCost: j.predictedImageCost,
    actualCost: j.actualCost,
    actualImageCost: j.actualImageCost,
    error: j.error,
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

export async function getJob(db: Db, jobId: number): Promise<JobRow | null> {
  const [row] = await db.select().from(generationJobs).where(eq(generationJobs.id, jobId));
  return row ?? null;
}

export async function ownedJob(db: Db, jobId: number, userId: number): Promise<JobRow> {
  const [row] = await db
    .select()
    .from(generationJobs)
    .where(and(eq(generationJobs.id, jobId), eq(generationJobs.userId, userId)));
  if (!row) throw notFound("Job");
  return row;
}

// ---------------------------------------------------------------- counting

const logsOf = (jobId: number) => sql`FROM generation_logs WHERE job_id = ${jobId}`;

/** Recounts a job's counters and actual cost from its unit rows: idempotent by construction. */
export function recountItem(db: Db, jobId: number) {
  return db
    .update(generationJobs)
    .set({
      unitsDone: sql`(SELECT count(*) ${logsOf(jobId)} AND status = 'succeeded')`,
      unitsFailed: sql`(SELECT count(*) ${logsOf(jobId)} AND status = 'failed')`,
      actualCost: sql`(SELECT coalesce(sum(real_cost), 0) ${logsOf(jobId)} AND status = 'succeeded' AND credit_type = 'text')`,
      actualImageCost: sql`(SELECT coalesce(sum(real_cost), 0) ${logsOf(jobId)} AND status = 'succeeded' AND credit_type = 'image')`,
      unitsTotal: sql`max(${generationJobs.unitsTotal}, (SELECT count(*) ${logsOf(jobId)}))`,
    })
    .where(eq(generationJobs.id, jobId));
}

type Counts = { pending: number; succeeded: number; failed: number; cancelled: number };

async function countUnits(db: Db, jobId: number, stage?: string): Promise<Counts> {
  const rows = await db
    .select({ status: generationLogs.status, n: sql<number>`count(*)` })
    .from(generationLogs)
    .where(and(eq(generationLogs.jobId, jobId), stage ? eq(generationLogs.stage, stage) : undefined))
    .groupBy(generationLogs.status);
  const c: Counts = { pending: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const r of rows) c[r.status] = r.n;
  return c;
}

export async function progressEvent(db: Db, job: JobRow, stage: UnitStage): Promise<ServerEvent> {
  const c = await countUnits(db, job.id, stage);
  return event("job_progress", {
    jobId: job.id,
    storyId: job.storyId,
    stage,
    done: c.succeeded,
    failed: c.failed,
    total: c.pending + c.succeeded + c.failed + c.cancelled,
  });
}

// ---------------------------------------------------------------- units and dispatch

export function unitRows(job: Pick<JobRow, "id" | "userId" | "storyId">, units: UnitPrediction[]) {
  return units.map((u) => ({
    userId: job.userId,
    jobId: job.id,
    storyId: job.storyId,
    stage: u.stage,
    unit: u.unit,
    chapterId: u.chapterId,
    generationType: STAGE_INFO[u.stage].generationType,
    creditType: u.creditType,
    model: u.model,
    predictedCost: u.credits,
    maxOutputTokens: u.maxOutputTokens,
    maxCost: u.maxCredits,
    predictedInputTokens: u.breakdown.kind === "text" ? u.breakdown.inputTokens : 0,
    predictedOutputTokens: u.breakdown.kind === "text" ? u.breakdown.outputTokens : 0,
  }));
}

/** Insert-or-ignore: a repeated stage transition adds no second row for a unit. */
const unitInserts = (db: Db, job: JobRow, units: UnitPrediction[]) =>
  chunkedInsert(db, generationLogs, unitRows(job, units)).map((q) =>
    (q as ReturnType<ReturnType<Db["insert"]>["values"]>).onConflictDoNothing(),
  );

/**
 * Sends queue messages for pending units, keeping at most GENERATION_CONCURRENCY of this job in
 * flight. Claiming is one UPDATE … RETURNING, so two callers never send the same unit.
 */
export async function dispatchUnits(env: Env, db: Db, jobId: number): Promise<number> {
  const cap = readConfig(env).generationConcurrency;
  const now = Date.now();
  const claimed = await db.all<{ unit: string }>(sql`
    UPDATE generation_logs SET dispatched_at = ${now}
    WHERE id IN (
      SELECT id FROM generation_logs
      WHERE job_id = ${jobId} AND status = 'pending' AND dispatched_at IS NULL
      ORDER BY id
      LIMIT max(0, ${cap} - (SELECT count(*) FROM generation_logs
                              WHERE job_id = ${jobId} AND status = 'pending' AND dispatched_at IS NOT NULL))
    )
    RETURNING unit`);
  if (!claimed.length) return 0;
  try {
    for (let i = 0; i < claimed.length; i += 100)
      await env.GENERATION_QUEUE.sendBatch(
        claimed.slice(i, i + 100).map((c) => ({ body: { jobId, unit: c.unit } satisfies UnitMessage, contentType: "json" as const })),
      );
  } catch (e) {
    // Give the claims back so the next caller (or the retry of this message) sends them.
    await db
      .update(generationLogs)
      .set({ dispatchedAt: null })
      .where(and(eq(generationLogs.jobId, jobId), inArray(generationLogs.unit, claimed.map((c) => c.unit))));
    throw e;
  }
  return claimed.length;
}

// ---------------------------------------------------------------- advancing and finishing

/**
 * Called when a job starts, after every unit ends, and on redelivery of a finished one: sends
 * more units, moves the job to its next stage (the first one, for a new job), or finishes it.
 */
export async function advanceJob(env: Env, jobId: number): Promise<void> {
  const db = getDb(env);
  let job = await getJob(db, jobId);
  if (!job || !isActive(job.status)) return;
  await db.batch([recountItem(db, jobId)]);
  const counts = await countUnits(db, jobId);
  if (counts.pending > 0) {
    await dispatchUnits(env, db, jobId);
    return;
  }
  if (!job.cancelRequested && !job.error) {
    const next = await startNextStage(env, db, job);
    if (next !== "finished") return;
    job = (await getJob(db, jobId))!;
  }
  await finishJob(env, db, job);
}

/**
 * Moves a job to the next stage of its plan that has work and queues that stage's units.
 * Returns "started", "lost" (another caller moved it first) or "finished" (nothing left).
 */
async function startNextStage(env: Env, db: Db, job: JobRow): Promise<"started" | "lost" | "finished"> {
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
    const story = await loadStoryContext(db, job.storyId);
    const specs = unitsFor(next, story, { inBook, regenerate: params.regenerate, chapterIds: params.chapterIds });
    const pricing = await loadPricing(db);
    const units = await Promise.all(specs.map((u) => predictUnit(u, story, pricing, countPromptTokens, params)));
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
    await dispatchUnits(env, db, job.id);
    await publish(env, job.userId, await progressEvent(db, job, next));
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

async function finishJob(env: Env, db: Db, job: JobRow) {
  const c = await countUnits(db, job.id);
  const status = finalStatus(job, c);
  const error =
    job.error ?? (c.failed > 0 ? `${c.failed} of ${c.succeeded + c.failed} units failed` : null);
  const [done] = await db.batch([
    db
      .update(generationJobs)
      .set({ status, error, finishedAt: new Date() })
      .where(and(eq(generationJobs.id, job.id), inArray(generationJobs.status, ACTIVE)))
      .returning(),
    recountItem(db, job.id),
  ]);
  if (!done.length) return; // another caller finished it
  const [fresh] = await db.select().from(generationJobs).where(eq(generationJobs.id, job.id));
  await userHub(env, job.userId).releaseLock(job.id);
  const [verb, level] = FINISH_MESSAGES[status];
  const message = `${jobLabel(fresh!)} ${verb}.`;
  await db.insert(notifications).values({ userId: job.userId, message, level, link: `/stories/${job.storyId}` });
  await publish(env, job.userId, event("job_finished", { job: toJobJson(fresh!) }), event("notification", { message, level }));
}

export const jobLabel = (j: Pick<JobRow, "stage">) =>
  j.stage === "book" ? "Writing the whole book" : `Generating ${STAGE_INFO[j.stage as UnitStage].label.toLowerCase()}`;

// ---------------------------------------------------------------- user actions and expiry

/** Stops the units not started yet; running ones finish and are kept. */
export async function cancelJob(env: Env, job: JobRow): Promise<void> {
  if (!isActive(job.status)) throw new AppError("conflict", "This job has already finished");
  const db = getDb(env);
  await db.batch([
    db.update(generationJobs).set({ cancelRequested: true }).where(eq(generationJobs.id, job.id)),
    db
      .update(generationLogs)
      .set({ status: "cancelled", errorMessage: "Cancelled", finishedAt: new Date() })
      .where(and(eq(generationLogs.jobId, job.id), eq(generationLogs.status, "pending"), isNull(generationLogs.startedAt))),
  ]);
  await advanceJob(env, job.id);
}

/**
 * The spending guard: the balance cannot cover the next unit, so the job stops before it. Units
 * not started are marked failed with the reason (a retry after topping up runs them).
 */
export async function haltJob(env: Env, jobId: number, reason: string): Promise<void> {
  const db = getDb(env);
  await db.batch([
    db.update(generationJobs).set({ error: reason }).where(eq(generationJobs.id, jobId)),
    db
      .update(generationLogs)
      .set({ status: "failed", errorMessage: reason, finishedAt: new Date() })
      .where(and(eq(generationLogs.jobId, jobId), eq(generationLogs.status, "pending"), isNull(generationLogs.startedAt))),
  ]);
  await advanceJob(env, jobId);
}

/** Units queued this long ago and never started are taken for lost and sent again. */
export const LOST_UNIT_MS = 5 * 60 * 1000;

/**
 * The UserHub alarm looks in on the job holding the lock about once a minute. Delivery is at
 * least once, but a message can still sit unprocessed after a crash or a lost send: units queued
 * long ago that never started are sent again (harmless if the first copy turns up: units are
 * idempotent), and a job whose units have all settled but that was never advanced is advanced.
 */
export async function watchJob(env: Env, jobId: number): Promise<"active" | "finished"> {
  const db = getDb(env);
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
  await advanceJob(env, jobId);
  const after = await getJob(db, jobId);
  return after && isActive(after.status) ? "active" : "finished";
}

/** The lock's lease ran out (UserHub alarm): fail what is left and return the events to send. */
export async function expireJob(env: Env, jobId: number): Promise<ServerEvent[]> {
  const db = getDb(env);
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
