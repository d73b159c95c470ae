// Admin: credit packages and roles, each backed by a Stripe price (SPEC §8, §10, §13).
// Mounted at /api/admin next to the other admin routes; every route checks is_admin itself.
import { Hono } from "hono";
import { IdParam, PackageBody, PackagePatch, RoleBody, RolePatch } from "../../shared/schemas";
import type { AppEnv } from "../env";
import { currentUser, requireAdmin } from "../middleware/auth";
import { billingFor } from "../../domain/billing/common";
import { createPackage, createRole, deletePackage, deleteRole, listPackages, listRoles, updatePackage, updateRole } from "../../domain/billing/admin";
import { validate } from "../validate";

export const adminBillingRoutes = new Hono<AppEnv>()
  .get("/roles", requireAdmin, async (c) => c.json({ roles: await listRoles(c.var.db) }))
  .post("/roles", requireAdmin, validate("json", RoleBody), async (c) =>
    c.json({ role: await createRole(billingFor(c.env), currentUser(c), c.req.valid("json")) }, 201),
  )
  .patch("/roles/:id", requireAdmin, validate("param", IdParam), validate("json", RolePatch), async (c) =>
    c.json({ role: await updateRole(billingFor(c.env), currentUser(c), c.req.valid("param").id, c.req.valid("json")) }),
  )
  .delete("/roles/:id", requireAdmin, validate("param", IdParam), async (c) =>
    c.json(await deleteRole(billingFor(c.env), currentUser(c), c.req.valid("param").id)),
  )
  .get("/packages", requireAdmin, async (c) => c.json({ packages: await listPackages(c.var.db) }))
  .post("/packages", requireAdmin, validate("json", PackageBody), async (c) =>
    c.json({ package: await createPackage(billingFor(c.env), currentUser(c), c.req.valid("json")) }, 201),
  )
  .patch("/packages/:id", requireAdmin, validate("param", IdParam), validate("json", PackagePatch), async (c) =>
    c.json({ package: await updatePackage(billingFor(c.env), currentUser(c), c.req.valid("param").id, c.req.valid("json")) }),
  )
  .delete("/packages/:id", requireAdmin, validate("param", IdParam), async (c) =>
    c.json(await deletePackage(billingFor(c.env), currentUser(c), c.req.valid("param").id)),
  );
