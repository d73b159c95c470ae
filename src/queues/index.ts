// The generation queue consumer (SPEC §6). Messages of a batch run concurrently, so a per-chapter
// fan-out is parallel even where the platform runs one batch at a time (local dev). Each message
// is acked or retried on its own.
import { getDb } from "../domain/db/client";
import { UnitMessage } from "./messages";
import { failUnit, loadUnit, runUnit } from "./run-unit";

/** Capped exponential backoff for infrastructure errors: 30 s, 60 s, 120 s … at most 15 min. */
export const backoffSeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), 900);

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
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
        if (deadLetters) await failDeadLetter(env, parsed.data);
        else await runUnit(env, parsed.data);
        msg.ack();
      } catch (e) {
        console.error(`Unit ${parsed.data.jobId}/${parsed.data.unit} attempt ${msg.attempts} failed`, e);
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      }
    }),
  );
}

/** A unit whose message exhausted its retries: fail it so the job can finish and say why. */
async function failDeadLetter(env: Env, m: UnitMessage) {
  const row = await loadUnit(getDb(env), m);
  if (!row || row.log.status !== "pending") return;
  await failUnit(env, row.job, row.log, "This step kept failing on our side; it was stopped after several attempts");
}
