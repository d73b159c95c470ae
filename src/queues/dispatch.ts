// Creating a stage's unit rows and sending their messages under the fan-out cap.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { UnitPrediction } from "../core/plan";
import { STAGE_INFO } from "../shared/stages";
import { chunkedInsert } from "../domain/db/batch";
import type { Db } from "../domain/db/client";
import { generationLogs } from "../domain/db/schema";
import type { Deps } from "../domain/deps";
import type { JobRow } from "./jobs";
import { sendUnits } from "./messages";

export function unitRows(job: Pick<JobRow, "id" | "userId" | "storyId">, units: UnitPrediction[]) {
  return units.map((u) => ({
    userId: job.userId,
    jobId: job.id,
    storyId: job.storyId,
    stage: u.stage,
    unit: u.unit,
    chapterId: u.chapterId,
    after: u.after ?? [],
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
export const unitInserts = (db: Db, job: JobRow, units: UnitPrediction[]) =>
  chunkedInsert(db, generationLogs, unitRows(job, units)).map((q) =>
    (q as ReturnType<ReturnType<Db["insert"]>["values"]>).onConflictDoNothing(),
  );

/**
 * Sends queue messages for pending units whose dependencies (`after`) have all succeeded, keeping
 * at most GENERATION_CONCURRENCY of this job in flight. Claiming is one UPDATE … RETURNING, so two
 * callers never send the same unit.
 */
export async function dispatchUnits({ env, db, config }: Deps, jobId: number): Promise<number> {
  const cap = config.generationConcurrency;
  const now = Date.now();
  const claimed = await db.all<{ unit: string }>(sql`
    UPDATE generation_logs SET dispatched_at = ${now}
    WHERE id IN (
      SELECT id FROM generation_logs g
      WHERE job_id = ${jobId} AND status = 'pending' AND dispatched_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM json_each(g.after) d
                        WHERE NOT EXISTS (SELECT 1 FROM generation_logs x
                                          WHERE x.job_id = g.job_id AND x.unit = d.value AND x.status = 'succeeded'))
      ORDER BY id
      LIMIT max(0, ${cap} - (SELECT count(*) FROM generation_logs
                              WHERE job_id = ${jobId} AND status = 'pending' AND dispatched_at IS NOT NULL))
    )
    RETURNING unit`);
  if (!claimed.length) return 0;
  try {
    await sendUnits(env.GENERATION_QUEUE, jobId, claimed.map((c) => c.unit));
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

/**
 * A unit that waits on one that failed or was cancelled can never run: it fails too, with the
 * reason, and so does everything waiting on it (one recursive query for the whole chain). Retrying
 * the job re-runs them all in order.
 */
export async function failBlocked({ db }: Deps, jobId: number): Promise<number> {
  const now = Date.now();
  const rows = await db.all<{ unit: string }>(sql`
    WITH RECURSIVE blocked(unit) AS (
      SELECT unit FROM generation_logs WHERE job_id = ${jobId} AND status IN ('failed', 'cancelled')
      UNION
      SELECT g.unit FROM generation_logs g, json_each(g.after) d JOIN blocked b ON d.value = b.unit
      WHERE g.job_id = ${jobId} AND g.status = 'pending' AND g.started_at IS NULL
    )
    UPDATE generation_logs SET status = 'failed', finished_at = ${now},
      error_message = 'Not run: a step it builds on did not succeed (retry the job to run them in order)'
    WHERE job_id = ${jobId} AND status = 'pending' AND started_at IS NULL AND unit IN (SELECT unit FROM blocked)
    RETURNING unit`);
  return rows.length;
}
