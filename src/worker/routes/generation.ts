// Generation under a story: estimate, start, list its jobs (docs/ARCHITECTURE.md, "How a job flows").
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { EstimateQuery, GenerateBody, StoryParams } from "../../shared/schemas";
import { generationJobs } from "../../domain/db/schema";
import type { AppEnv } from "../env";
import { currentUser, requireUser, withOwnedStory } from "../middleware/auth";
import { limitByUser } from "../middleware/rate-limit";
import { loadStoryContext } from "../../domain/stories/context";
import { wallSeconds } from "../../core/plan";
import { modeOf, quote, startGeneration } from "../../queues/start";
import { toJobJson } from "../../queues/jobs";
import { ownedStory } from "../../domain/stories/access";
import { validate } from "../validate";

export const generationRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get("/:id/estimate", validate("param", StoryParams), validate("query", EstimateQuery), async (c) => {
    const db = c.var.db;
    await limitByUser(c, currentUser(c).id, "estimate", 60, 60_000);
    const story = await ownedStory(db, c.req.valid("param").id, currentUser(c));
    const q = await quote(db, await loadStoryContext(db, c.env.FILES, story.id), c.req.valid("query"));
    const user = currentUser(c);
    return c.json({
      stage: c.req.valid("query").stage,
      mode: modeOf(c.req.valid("query")),
      plan: q.plan,
      totals: q.totals,
      maxTotals: q.maxTotals,
      /** A rough guide to how long it takes at a real provider, in seconds. */
      wallSeconds: wallSeconds(q, c.var.config.generationConcurrency, story.targetChapterWords),
      balance: { text: user.textCredits, image: user.imageCredits },
      units: q.units,
    });
  })
  .post("/:id/generate", validate("param", StoryParams), validate("json", GenerateBody), async (c) => {
    const user = currentUser(c);
    const db = c.var.db;
    const story = await ownedStory(db, c.req.valid("param").id, user);
    await limitByUser(c, user.id, "generate", 30, 60_000);
    const job = await startGeneration(c.var.deps, user, story.id, c.req.valid("json"));
    return c.json({ job: toJobJson(job) }, 202);
  });

/** The story's jobs, newest first: one round trip, the caller's session included (mounted before any requireUser, docs/SCALE.md). */
export const jobListReadRoutes = new Hono<AppEnv>().get("/:id/jobs", validate("param", StoryParams), async (c) => {
  const { id } = c.req.valid("param");
  const jobs = c.var.db.select().from(generationJobs).where(eq(generationJobs.storyId, id)).orderBy(desc(generationJobs.id)).limit(50);
  const {
    results: [rows],
  } = await withOwnedStory(c, id, [jobs]);
  return c.json({ jobs: rows.map(toJobJson) });
});
