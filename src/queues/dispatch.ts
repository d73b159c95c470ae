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
 * Sends queue messages for pending units, keeping at most GENERATION_CONCURRENCY of this job in
 * flight. Claiming is one UPDATE … RETURNING, so two callers never send the same unit.
 */
export async function dispatchUnits({ env, db, config }: Deps, jobId: number): Promise<number> {
  const cap = config.generationConcurrency;
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
