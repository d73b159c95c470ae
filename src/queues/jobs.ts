// Generation jobs as rows, as JSON and as counts of their units: the read side of the engine.
// The transitions live in advance.ts.
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Job, JobStatus } from "../shared/api";
import { event, type ServerEvent } from "../shared/events";
import { STAGE_INFO, type Stage, type UnitStage } from "../shared/stages";
import type { Db } from "../domain/db/client";
import { generationJobs, generationLogs } from "../domain/db/schema";
import { notFound } from "../domain/errors";

export type JobRow = typeof generationJobs.$inferSelect;
/** What a job was asked to do: its stages in order (one, or the whole book's) and their options. */
export type JobParams = { plan?: UnitStage[]; regenerate?: boolean; instructions?: string; prompt?: string; chapterIds?: number[] };

/** Default lock lease; every finished unit extends it. */
export const LOCK_TTL_MS = 2000 * 1000;

export const ACTIVE: JobStatus[] = ["queued", "running"];
export const isActive = (s: JobStatus) => ACTIVE.includes(s);

export function toJobJson(j: JobRow): Job {
  return {
    id: j.id,
    storyId: j.storyId,
    stage: j.stage as Stage,
    status: j.status,
    currentStage: (j.currentStage as UnitStage | null) ?? null,
    mode: j.mode,
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

export const jobLabel = (j: Pick<JobRow, "stage">) =>
  j.stage === "book" ? "Writing the whole book" : `Generating ${STAGE_INFO[j.stage as UnitStage].label.toLowerCase()}`;

export async function getJob(db: Db, jobId: number): Promise<JobRow | null> {
  const [row] = await db.select().from(generationJobs).where(eq(generationJobs.id, jobId));
  return row ?? null;
}

export async function ownedJob(db: Db, jobId: number, userId: number): Promise<JobRow> {
  return ownedJobRow(await ownedJobQuery(db, jobId, userId));
}

/** The job if `owner` (an id, or the session's subquery in a read's batch) started it: no row otherwise. */
export const ownedJobQuery = (db: Db, jobId: number, owner: number | SQL) =>
  db.select().from(generationJobs).where(and(eq(generationJobs.id, jobId), eq(generationJobs.userId, owner)));

export function ownedJobRow([row]: JobRow[]): JobRow {
  if (!row) throw notFound("Job");
  return row;
}

const logsOf = (jobId: number) => sql`FROM generation_logs WHERE job_id = ${jobId}`;

/**
 * Recounts a job's counters and actual cost from its unit rows: idempotent by construction, so
 * it can ride along in any batch that changes a unit.
 */
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

export type Counts = { pending: number; succeeded: number; failed: number; cancelled: number };

export async function countUnits(db: Db, jobId: number, stage?: string): Promise<Counts> {
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
