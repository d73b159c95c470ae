// Admin API (SPEC §10, §13): role with is_admin, by cookie or API token.
import { Hono } from "hono";
import {
  AdminGenerationsQuery,
  AdminUserPatch,
  AdminUsersQuery,
  AnalyticsQuery,
  CreditAdjustBody,
  IdParam,
  PricingPatch,
  SitePatch,
} from "../../shared/schemas";
import type { AppEnv } from "../env";
import { currentUser, requireAdmin } from "../middleware/auth";
import {
  analytics,
  applyPricingPatch,
  deleteUser,
  listGenerations,
  listUsers,
  patchUser,
  pricingJson,
  updatePricing,
} from "../../domain/admin";
import { audit } from "../../domain/audit";
import { adjustCredits } from "../../domain/credits";
import { loadPricing } from "../../domain/pricing-config";
import { getSiteConfig, updateSiteConfig } from "../../domain/site";
import { validate } from "../validate";

const DAY = 24 * 3600 * 1000;

export const adminRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .get("/pricing", async (c) => c.json(pricingJson(await loadPricing(c.var.db))))
  .patch("/pricing", validate("json", PricingPatch), async (c) =>
    c.json(await updatePricing(c.var.db, currentUser(c), c.req.valid("json"))),
  )
  // What prices would be with a draft table, saving nothing: the console's live example.
  .post("/pricing/preview", validate("json", PricingPatch), async (c) =>
    c.json(pricingJson(applyPricingPatch(await loadPricing(c.var.db), c.req.valid("json")))),
  )
  .get("/users", validate("query", AdminUsersQuery), async (c) => {
    const { q, page } = c.req.valid("query");
    return c.json(await listUsers(c.var.db, q, page));
  })
  .patch("/users/:id", validate("param", IdParam), validate("json", AdminUserPatch), async (c) =>
    c.json({ user: await patchUser(c.env, c.var.db, currentUser(c), c.req.valid("param").id, c.req.valid("json")) }),
  )
  .delete("/users/:id", validate("param", IdParam), async (c) => {
    await deleteUser(c.env, c.var.db, currentUser(c), c.req.valid("param").id);
    return c.json({ ok: true });
  })
  .post("/users/:id/credits", validate("param", IdParam), validate("json", CreditAdjustBody), async (c) => {
    const admin = currentUser(c);
    const { type, delta, reason } = c.req.valid("json");
    const userId = c.req.valid("param").id;
    const db = c.var.db;
    const credits = await adjustCredits(c.env, db, { userId, type, delta, reason: "admin", ref: `admin:${admin.id}`, note: reason });
    await audit(db, admin, "user.credits", `user:${userId}`, null, { type, delta, reason });
    return c.json({ credits });
  })
  .get("/generations", validate("query", AdminGenerationsQuery), async (c) =>
    c.json(await listGenerations(c.var.db, c.req.valid("query"))),
  )
  .get("/site", async (c) => c.json({ site: await getSiteConfig(c.var.db) }))
  .patch("/site", validate("json", SitePatch), async (c) => {
    const db = c.var.db;
    const before = await getSiteConfig(db);
    const site = await updateSiteConfig(db, c.req.valid("json"));
    await audit(db, currentUser(c), "site.update", "site", before, c.req.valid("json"));
    return c.json({ site });
  })
  .get("/analytics", validate("query", AnalyticsQuery), async (c) => {
    const q = c.req.valid("query");
    const to = q.to ? new Date(q.to.length === 10 ? `${q.to}T23:59:59.999Z` : q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
    return c.json(await analytics(c.var.db, from, to));
  });
