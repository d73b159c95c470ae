// The one message shape of the generation queue: "run this unit of this job".
import { z } from "zod";

export const UnitMessage = z.object({
  jobId: z.number().int().positive(),
  unit: z.string().min(1).max(64),
});
export type UnitMessage = z.infer<typeof UnitMessage>;
