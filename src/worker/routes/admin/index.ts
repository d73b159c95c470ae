// The admin API under /api/admin: one router that lets only administrators in (by cookie or API
// token), with a sub-router per area, grouped as the admin console's menu is.
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { requireAdmin } from "../../middleware/auth";
import { communityRoutes } from "./community";
import { moneyRoutes } from "./money";
import { peopleRoutes } from "./people";
import { siteRoutes } from "./site";

export const adminRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .route("/", moneyRoutes)
  .route("/", peopleRoutes)
  .route("/", communityRoutes)
  .route("/", siteRoutes);
