// The generation queue consumer. Messages of a batch run concurrently, so a per-chapter fan-out
// is parallel even where the platform runs one batch at a time (local dev). Each message is
// acked or retried on its own, and each outcome advances its job exactly once: runUnit settles
// the unit, this file moves the job on.
import { batchDeps, depsFor } from "../domain/deps";
import type { Deps } from "../domain/deps";
import { advanceJob } from "./advance";
import { countedEnv } from "./cost";
import { deltaBuffer } from "./deltas";
import { sendUnits, UnitMessage } from "./messages";
import { failUnit, loadUnit, runUnit, type UnitOutcome } from "./run-unit";

/** Capped exponential backoff for infrastructure errors: 30 s, 60 s, 120 s … at most 15 min. */
export const backoffSeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), 900);

export async function handleQueue(batch: MessageBatch<unknown>, rawEnv: Env): Promise<void> {
  const { env, cost } = countedEnv(rawEnv);
  const deps = batchDeps(env);
  const deltas = deltaBuffer(env);
  const deadLetters = batch.queue.endsWith("-dlq");
  await Promise.all(
    batch.messages.map(async (msg) => {
      const parsed = UnitMessage.safeParse(msg.body);
      if (!parsed.success) {
        console.error("Dropping a malformed queue message", JSON.stringify(msg.body));
        msg.ack(); // retrying cannot fix it
        return;
      }
      try {
        await process(deps, parsed.data, deadLetters, deltas);
        msg.ack();
      } catch (e) {
        console.error(`Unit ${parsed.data.jobId}/${parsed.data.unit} attempt ${msg.attempts} failed`, e);
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      }
    }),
  );
  // What the batch cost the platform, one line a batch (src/queues/cost.ts): in production, the
  // consumer's load in the logs.
  const { trips, statements, rowsWritten, ms } = deps.meter;
  console.log(`queue batch ${JSON.stringify({ queue: batch.queue, messages: batch.messages.length, d1: { trips, statements, rowsWritten, ms: Math.round(ms) }, ...cost })}`);
}

/** How long a unit waiting on the user's other running units waits before it asks again. */
export const DEFER_SECONDS = 3;

/** One message: settle its unit (or, from the dead-letter queue, fail it), then advance its job once. */
async function process(deps: Deps, m: UnitMessage, deadLetter: boolean, deltas = deltaBuffer(deps.env)): Promise<UnitOutcome> {
  const outcome = deadLetter ? await failDeadLetter(deps, m) : await runUnit(deps, m, deltas);
  // A new message rather than a retry: waiting is not a failure and must not use up retries.
  if (outcome === "deferred") await sendUnits(deps.env.GENERATION_QUEUE, m.jobId, [m.unit], DEFER_SECONDS);
  else if (outcome !== "gone") await advanceJob(deps, m.jobId);
  return outcome;
}

/** What the consumer does with one delivered message (exported for tests that deliver by hand). */
export const deliver = (env: Env, m: UnitMessage) => process(depsFor(env), m, false);

/** A unit whose message exhausted its retries: fail it so the job can finish and say why. */
async function failDeadLetter(deps: Deps, m: UnitMessage): Promise<UnitOutcome> {
  const row = await loadUnit(deps.db, m);
  if (!row) return "gone";
  if (row.log.status !== "pending") return "redelivered";
  return failUnit(deps, row.job, row.log, "This step kept failing on our side; it was stopped after several attempts");
}
