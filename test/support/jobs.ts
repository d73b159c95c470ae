import type { Job } from "../../src/shared/api";
import type { Client } from "./client";

const TERMINAL = ["succeeded", "partial", "failed", "cancelled"];

/** Polls a job until it ends (the queue consumer runs in the same workerd). */
export async function waitForJob(c: Client, jobId: number, timeoutMs = 25_000): Promise<{ job: Job; units: any[] }> {
  const start = Date.now();
  for (;;) {
    const res = await c.get(`/api/jobs/${jobId}`);
    if (res.status !== 200) throw new Error(`job ${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
    if (TERMINAL.includes(res.body.job.status)) return res.body;
    if (Date.now() - start > timeoutMs) throw new Error(`job ${jobId} still ${res.body.job.status}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a stage and waits for its job to end. */
export async function generate(c: Client, storyId: number, body: Record<string, unknown>) {
  const res = await c.post(`/api/stories/${storyId}/generate`, body);
  if (res.status !== 202) throw new Error(`generate ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForJob(c, res.body.job.id);
}
