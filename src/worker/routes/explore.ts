// Explore: everyone's public stories, for signed-in readers. Mounted at /api/explore.
import { Hono } from "hono";
import { ExploreQuery } from "../../shared/schemas";
import type { AppEnv } from "../env";
import { currentUser, requireUser } from "../middleware/auth";
import { explore, spotlight } from "../../domain/social";
import { validate } from "../validate";

export const exploreRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", validate("query", ExploreQuery), async (c) =>
    c.json(await explore(c.var.db, currentUser(c), c.req.valid("query"))),
  )
  .get("/spotlight", async (c) => c.json(await spotlight(c.var.db, currentUser(c))));
