// Runs one unit (one model call) of a job, exactly once in effect however often its message is
// delivered: the unit's artifacts, its log row, its charge and its ledger entry are written in one
// D1 batch that only applies while the log row is still `pending` (docs/ARCHITECTURE.md, "The unit's idempotency rule").
import { and, eq, sql } from "drizzle-orm";
import { imageCredits, providerCostUsd, textCredits } from "../core/pricing";
import { ProviderError } from "../core/providers";
import type { Credits } from "../shared/api";
import { event, type ServerEvent } from "../shared/events";
import { STAGE_INFO, type UnitStage } from "../shared/stages";
import { storyForJob } from "../domain/canon";
import { balances } from "../domain/credits";
import { isConstraintError } from "../domain/db/constraints";
import { runBatch } from "../domain/db/batch";
import type { Db } from "../domain/db/client";
import { creditLedger, generationJobs, generationLogs, users } from "../domain/db/schema";
import type { Deps } from "../domain/deps";
import { publish, userHub } from "../domain/hub";
import { dropUnreferenced } from "../domain/prose";
import { haltJob } from "./advance";
import { isActive, LOCK_TTL_MS, progressEvent, recountItem, type JobParams, type JobRow } from "./jobs";
import type { UnitMessage } from "./messages";
import { providerFor } from "./provider";
import { STAGE_MODULES } from "./stages";
import { UnitFailure, type LogRow } from "./unit";
import { deltaBuffer, type DeltaBuffer } from "./deltas";

/** A message's unit row and its job; none when the story (and so its jobs) was deleted. */
export async function loadUnit(db: Db, msg: UnitMessage): Promise<{ log: LogRow; job: JobRow } | undefined> {
  const [row] = await db
    .select({ log: generationLogs, job: generationJobs })
    .from(generationLogs)
    .innerJoin(generationJobs, eq(generationLogs.jobId, generationJobs.id))
    .where(and(eq(generationLogs.jobId, msg.jobId), eq(generationLogs.unit, msg.unit)));
  return row;
}

/**
 * What became of a message's unit: it settled (committed, charged), failed (nothing written or
 * charged), halted its job (the balance could not cover it), waits (`deferred`: what it needs is
 * held by the user's other running units; it is sent again shortly), or was already settled (a
 * redelivery). `gone`: its job or story no longer exists. The consumer advances the job once
 * after each of these except `gone` and `deferred`.
 */
export type UnitOutcome = "settled" | "failed" | "halted" | "deferred" | "redelivered" | "gone";

/** Runs one unit and settles it; it never advances the job (the consumer does, once). */
export async function runUnit(deps: Deps, msg: UnitMessage, deltas: DeltaBuffer = deltaBuffer(deps.env)): Promise<UnitOutcome> {
  const { env, db } = deps;
  const row = await loadUnit(db, msg);
  if (!row) return "gone";
  const { log, job } = row;
  if (log.status !== "pending" || !isActive(job.status)) return "redelivered";

  // Claim the unit, which is also the spending guard and the hold: it starts only while the
  // balance, less what the user's other running units hold, still covers its prediction, and it
  // holds its price at its output cap, or what is available if that is less. It can never be
  // charged more than it holds. One UPDATE, so concurrent units of a fan-out cannot all pass on
  // the same credits.
  const balanceColumn = log.creditType === "text" ? sql`text_credits` : sql`image_credits`;
  const available = sql`(SELECT ${balanceColumn} FROM users WHERE id = ${job.userId})
            - (SELECT coalesce(sum(g.held_cost), 0) FROM generation_logs g
               WHERE g.user_id = ${job.userId} AND g.status = 'pending' AND g.started_at IS NOT NULL
                 AND g.credit_type = ${log.creditType} AND g.id <> ${log.id})`;
  const [started] = await db
    .update(generationLogs)
    .set({
      startedAt: new Date(),
      attempts: sql`${generationLogs.attempts} + 1`,
      heldCost: sql`min(max(${generationLogs.maxCost}, ${generationLogs.predictedCost}), ${available})`,
    })
    .where(and(eq(generationLogs.id, log.id), eq(generationLogs.status, "pending"), sql`${available} >= ${generationLogs.predictedCost}`))
    .returning({ id: generationLogs.id, heldCost: generationLogs.heldCost });
  if (!started) {
    const [now] = await db
      .select({
        status: generationLogs.status,
        heldByOthers: sql<number>`(SELECT coalesce(sum(g.held_cost), 0) FROM generation_logs g
          WHERE g.user_id = ${job.userId} AND g.status = 'pending' AND g.started_at IS NOT NULL
            AND g.credit_type = ${log.creditType} AND g.id <> ${log.id})`,
      })
      .from(generationLogs)
      .where(eq(generationLogs.id, log.id));
    if (now?.status !== "pending") return "redelivered";
    // Other running units hold what this one needs: it waits for them to settle and free it.
    if (now.heldByOthers > 0) return "deferred";
    const available = (await balances(db, job.userId))[log.creditType];
    const reason = `Stopped: not enough ${log.creditType} credits to continue (the next step needs ${log.predictedCost}, ${available} left)`;
    await haltJob(deps, job.id, reason);
    await publish(env, job.userId, failureEvent(job, log, reason));
    return "halted";
  }
  await db
    .update(generationJobs)
    .set({ status: "running", startedAt: new Date() })
    .where(and(eq(generationJobs.id, job.id), eq(generationJobs.status, "queued")));

  const stage = log.stage as UnitStage;
  const info = STAGE_INFO[stage];
  const story = await storyForJob(db, env.FILES, job);
  if (log.chapterId && !story.chapters.some((c) => c.id === log.chapterId))
    return failUnit(deps, job, log, "The chapter was deleted before it could be generated");
  const pricing = await deps.prices();
  const cfg = pricing.stages[info.configKey];

  let outcome;
  try {
    outcome = await STAGE_MODULES[stage].run({
      env,
      db,
      job,
      log,
      stage,
      story,
      pricing,
      model: cfg.model,
      provider: providerFor(env),
      deltas,
      params: { ...(job.params as JobParams), ...(job.mode ? { mode: job.mode } : {}) },
    });
  } catch (e) {
    if (e instanceof ProviderError || e instanceof UnitFailure) return failUnit(deps, job, log, e.message);
    throw e; // infrastructure trouble: the queue retries the message with backoff
  }

  // Price what was really used; a unit that needed no model call costs nothing.
  const usage = outcome.usage;
  const breakdown = outcome.free
    ? null
    : info.creditType === "image"
      ? imageCredits(pricing.cost, pricing.modifiers)
      : textCredits(
          { tier: cfg.tier, action: info.action, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens },
          pricing.cost,
          pricing.modifiers,
        );
  // The charge never exceeds the hold; the uncapped price is kept for the admins' analytics.
  const uncapped = breakdown?.total ?? 0;
  const cost = Math.min(uncapped, started.heldCost ?? uncapped);
  const providerCost = outcome.free ? 0 : info.creditType === "image" ? pricing.cost.dallEPricePerImage : providerCostUsd(usage, pricing.cost, cfg.tier);
  const credits = info.creditType === "text" ? users.textCredits : users.imageCredits;

  let after: Credits;
  try {
    const [, charged] = await runBatch(db, [
      // The guard: user_id comes from the log row only while it is still pending, so a unit that
      // was finished, cancelled or expired meanwhile fails this NOT NULL insert and the whole
      // batch (charge, artifacts, log) rolls back. The unique (reason, ref) index backs it up.
      db.insert(creditLedger).values({
        userId: sql`(SELECT user_id FROM generation_logs WHERE id = ${log.id} AND status = 'pending')`,
        creditType: info.creditType,
        delta: -cost,
        reason: "generation",
        ref: `log:${log.id}`,
      }),
      db
        .update(users)
        .set({ [info.creditType === "text" ? "textCredits" : "imageCredits"]: sql`${credits} - ${cost}` })
        .where(eq(users.id, job.userId))
        // The balances the author's tabs are told of, from the charge itself.
        .returning({ text: users.textCredits, image: users.imageCredits }),
      ...outcome.writes,
      db
        .update(generationLogs)
        .set({
          status: "succeeded",
          model: cfg.model,
          realCost: cost,
          uncappedCost: uncapped,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          cachedInputTokens: usage.cachedInputTokens,
          reasoningTokens: usage.reasoningTokens,
          providerCostUsd: providerCost,
          breakdown,
          errorMessage: null,
          finishedAt: new Date(),
        })
        .where(and(eq(generationLogs.id, log.id), eq(generationLogs.status, "pending"))),
      recountItem(db, job.id),
    ]);
    // The guarded insert names the user, so a batch that applied has charged their row.
    after = (charged as Credits[])[0]!;
  } catch (e) {
    // Nothing of this run was written, so neither is the object it put (unless another version
    // of the chapter points at the same text).
    await dropUnreferenced(db, env.FILES, job.storyId, outcome.objects ?? []).catch((err) => console.error("dropping a unit's objects", err));
    // Someone else settled this unit first (the guarded ledger insert failed).
    if (isConstraintError(e, undefined, "credit_ledger")) return "redelivered";
    throw e;
  }

  const events: ServerEvent[] = [
    ...(await outcome.announce(db)),
    event("credits_updated", after),
    await progressEvent(db, job, stage),
  ];
  await publish(env, job.userId, ...events);
  await userHub(env, job.userId).extendLock(job.id, LOCK_TTL_MS);
  return "settled";
}

const failureEvent = (job: JobRow, log: LogRow, error: string) =>
  event("generation_error", { storyId: job.storyId, jobId: job.id, stage: log.stage as UnitStage, chapterId: log.chapterId, error });

/** Fails a unit: nothing is written or charged; the browser is told where and why. */
export async function failUnit({ env, db }: Deps, job: JobRow, log: LogRow, error: string): Promise<UnitOutcome> {
  const [changed] = await db.batch([
    db
      .update(generationLogs)
      .set({ status: "failed", errorMessage: error.slice(0, 2000), finishedAt: new Date() })
      .where(and(eq(generationLogs.id, log.id), eq(generationLogs.status, "pending")))
      .returning({ id: generationLogs.id }),
    recountItem(db, job.id),
  ]);
  if (changed.length)
    await publish(env, job.userId, failureEvent(job, log, error), await progressEvent(db, job, log.stage as UnitStage));
  return "failed";
}
