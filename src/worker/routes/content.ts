// News, feedback and tag suggestions for signed-in users. Mounted at /api: each route
// carries its own guard, so nothing here applies to other /api routes.
import { Hono } from "hono";
import { FeedbackBody, TagsQuery } from "../../shared/schemas";
import type { AppEnv } from "../env";
import { currentUser, requireUser } from "../middleware/auth";
import { publishedNews, sendFeedback, suggestTags } from "../../domain/content";
import { validate } from "../validate";

export const contentRoutes = new Hono<AppEnv>()
  .get("/news", requireUser, async (c) => c.json(await publishedNews(c.var.db)))
  .post("/feedback", requireUser, validate("json", FeedbackBody), async (c) =>
    c.json({ feedback: await sendFeedback(c.var.db, currentUser(c), c.req.valid("json").message) }, 201),
  )
  .get("/tags", requireUser, validate("query", TagsQuery), async (c) =>
    c.json(await suggestTags(c.var.db, currentUser(c), c.req.valid("query").q)),
  );
