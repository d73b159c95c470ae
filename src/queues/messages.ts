// The one message shape of the generation queue, "run this unit of this job", and its typed
// sender (the generated Env types the queue binding as an untyped Queue).
import { z } from "zod";

export const UnitMessage = z.object({
  jobId: z.number().int().positive(),
  unit: z.string().min(1).max(64),
});
export type UnitMessage = z.infer<typeof UnitMessage>;

/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

export async function sendUnits(queue: Queue, jobId: number, units: string[], delaySeconds = 0): Promise<void> {
  for (let i = 0; i < units.length; i += SEND_BATCH)
    await queue.sendBatch(
      units
        .slice(i, i + SEND_BATCH)
        .map((unit) => ({ body: { jobId, unit } satisfies UnitMessage, contentType: "json" as const, ...(delaySeconds ? { delaySeconds } : {}) })),
    );
}
