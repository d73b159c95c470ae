// Admin, money: price tables (with a preview that saves nothing), credit packages and paid roles
// (each backed by a Stripe price), and the period's economics.
import { Hono } from "hono";
import { AnalyticsQuery, IdParam, PackageBody, PackagePatch, PricingPatch, RoleBody, RolePatch } from "../../../shared/schemas";
import { analytics, applyPricingPatch, pricingJson, updatePricing } from "../../../domain/admin";
import { createPackage, createRole, deletePackage, deleteRole, listPackages, listRoles, updatePackage, updateRole } from "../../../domain/billing/admin";
import { billingFor } from "../../../domain/billing/common";
import { loadPricing } from "../../../domain/pricing-config";
import type { AppEnv } from "../../env";
import { currentUser } from "../../middleware/auth";
import { validate } from "../../validate";

const DAY = 24 * 3600 * 1000;
const id = validate("param", IdParam);

export const moneyRoutes = new Hono<AppEnv>()
  .get("/pricing", async (c) => c.json(pricingJson(await loadPricing(c.var.db))))
  .patch("/pricing", validate("json", PricingPatch), async (c) => c.json(await updatePricing(c.var.db, currentUser(c), c.req.valid("json"))))
  // What prices would be with a draft table, saving nothing: the console's live example.
  .post("/pricing/preview", validate("json", PricingPatch), async (c) =>
    c.json(pricingJson(applyPricingPatch(await loadPricing(c.var.db), c.req.valid("json")))),
  )
  .get("/roles", async (c) => c.json({ roles: await listRoles(c.var.db) }))
  .post("/roles", validate("json", RoleBody), async (c) =>
    c.json({ role: await createRole(billingFor(c.var.deps), currentUser(c), c.req.valid("json")) }, 201),
  )
  .patch("/roles/:id", id, validate("json", RolePatch), async (c) =>
    c.json({ role: await updateRole(billingFor(c.var.deps), currentUser(c), c.req.valid("param").id, c.req.valid("json")) }),
  )
  .delete("/roles/:id", id, async (c) => c.json(await deleteRole(billingFor(c.var.deps), currentUser(c), c.req.valid("param").id)))
  .get("/packages", async (c) => c.json({ packages: await listPackages(c.var.db) }))
  .post("/packages", validate("json", PackageBody), async (c) =>
    c.json({ package: await createPackage(billingFor(c.var.deps), currentUser(c), c.req.valid("json")) }, 201),
  )
  .patch("/packages/:id", id, validate("json", PackagePatch), async (c) =>
    c.json({ package: await updatePackage(billingFor(c.var.deps), currentUser(c), c.req.valid("param").id, c.req.valid("json")) }),
  )
  .delete("/packages/:id", id, async (c) => c.json(await deletePackage(billingFor(c.var.deps), currentUser(c), c.req.valid("param").id)))
  .get("/analytics", validate("query", AnalyticsQuery), async (c) => {
    const q = c.req.valid("query");
    const to = q.to ? new Date(q.to.length === 10 ? `${q.to}T23:59:59.999Z` : q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
    return c.json(await analytics(c.var.db, from, to));
  });
