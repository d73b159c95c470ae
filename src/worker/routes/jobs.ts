import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { IdParam } from "../../shared/schemas";
import { generationLogs } from "../../domain/db/schema";
import type { AppEnv } from "../env";
import { currentUser, requireUser, withCaller } from "../middleware/auth";
import { retryJob } from "../../queues/start";
import { cancelJob } from "../../queues/advance";
import { getJob, ownedJob, ownedJobQuery, ownedJobRow, toJobJson } from "../../queues/jobs";
import { validate } from "../validate";

const jobParam = validate("param", IdParam);

export const jobsRoutes = new Hono<AppEnv>()
  // A job and its units in one round trip, the caller's session included: registered before the
  // requireUser below, which would look the caller up on its own (docs/SCALE.md).
  .get("/:id", jobParam, async (c) => {
    const db = c.var.db;
    const { id } = c.req.valid("param");
    const units = db
      .select({
        unit: generationLogs.unit,
        stage: generationLogs.stage,
        chapterId: generationLogs.chapterId,
        status: generationLogs.status,
        predictedCost: generationLogs.predictedCost,
        realCost: generationLogs.realCost,
        error: generationLogs.errorMessage,
      })
      .from(generationLogs)
      .where(eq(generationLogs.jobId, id))
      .orderBy(asc(generationLogs.id));
    const { results } = await withCaller(c, [ownedJobQuery(db, id, await c.var.caller.userIdSql()), units]);
    const [jobRows, unitRows] = results;
    return c.json({ job: toJobJson(ownedJobRow(jobRows)), units: unitRows });
  })
  .use(requireUser)
  .post("/:id/cancel", jobParam, async (c) => {
    const db = c.var.db;
    const job = await ownedJob(db, c.req.valid("param").id, currentUser(c).id);
    await cancelJob(c.var.deps, job);
    return c.json({ job: toJobJson((await getJob(db, job.id))!) });
  })
  .post("/:id/retry", jobParam, async (c) => {
    const db = c.var.db;
    const job = await ownedJob(db, c.req.valid("param").id, currentUser(c).id);
    const fresh = await retryJob(c.var.deps, job);
    return c.json({ job: toJobJson(fresh) }, 202);
  });
