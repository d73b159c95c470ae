// Waiting for a generation job in the bench. A job whose progress has not moved for longer than
// the UserHub watchdog takes to resend a lost unit (LOST_UNIT_MS, src/queues/advance.ts) will not
// finish: that is the known local queue stall at fan-out 32 (README, "Benchmarks"). Say so and
// stop, rather than hang until something else times out.
const ENDED = ["succeeded", "partial", "failed", "cancelled"];
const STALL_MS = 5 * 60_000 + 60_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitForJob(api, id, { log = () => "", stallMs = STALL_MS } = {}) {
  let at = "";
  let moved = Date.now();
  for (;;) {
    const { job } = await api("GET", `/api/jobs/${id}`);
    if (ENDED.includes(job.status)) return job;
    const now = `${job.currentStage} ${job.unitsDone}+${job.unitsFailed}/${job.unitsTotal}`;
    if (now !== at) [at, moved] = [now, Date.now()];
    if (Date.now() - moved > stallMs)
      throw new Error(
        `job ${id} made no progress for ${stallMs / 1000} s at ${at}: the known local queue stall (README, "Benchmarks"). ` +
          `Kill workerd and wrangler-dist/cli.js dev, then run the bench again.${log() ? `\nwrangler dev said:\n${log().slice(-4000)}` : ""}`,
      );
    await sleep(200);
  }
}
