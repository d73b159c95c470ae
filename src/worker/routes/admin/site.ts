// Admin, site: the registration and maintenance switches and the signup grant.
import { Hono } from "hono";
import { SitePatch } from "../../../shared/schemas";
import { audit } from "../../../domain/audit";
import { getSiteConfig, updateSiteConfig } from "../../../domain/site";
import type { AppEnv } from "../../env";
import { currentUser } from "../../middleware/auth";
import { validate } from "../../validate";

export const siteRoutes = new Hono<AppEnv>()
  .get("/site", async (c) => c.json({ site: await getSiteConfig(c.var.db) }))
  .patch("/site", validate("json", SitePatch), async (c) => {
    const db = c.var.db;
    const before = await getSiteConfig(db);
    const site = await updateSiteConfig(db, c.req.valid("json"));
    await audit(db, currentUser(c), "site.update", "site", before, c.req.valid("json"));
    return c.json({ site });
  });
