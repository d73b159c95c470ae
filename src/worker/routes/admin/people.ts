// Admin, people: users (role, lock, review, credits, delete) and everyone's model calls.
import { Hono } from "hono";
import { AdminGenerationsQuery, AdminUserPatch, AdminUsersQuery, CreditAdjustBody, IdParam } from "../../../shared/schemas";
import { deleteUser, listGenerations, listUsers, patchUser } from "../../../domain/admin";
import { audit } from "../../../domain/audit";
import { adjustCredits } from "../../../domain/credits";
import type { AppEnv } from "../../env";
import { currentUser } from "../../middleware/auth";
import { validate } from "../../validate";

const id = validate("param", IdParam);

export const peopleRoutes = new Hono<AppEnv>()
  .get("/users", validate("query", AdminUsersQuery), async (c) => {
    const { q, page } = c.req.valid("query");
    return c.json(await listUsers(c.var.db, q, page));
  })
  .patch("/users/:id", id, validate("json", AdminUserPatch), async (c) =>
    c.json({ user: await patchUser(c.env, c.var.db, currentUser(c), c.req.valid("param").id, c.req.valid("json")) }),
  )
  .delete("/users/:id", id, async (c) => {
    await deleteUser(c.env, c.var.db, currentUser(c), c.req.valid("param").id);
    return c.json({ ok: true });
  })
  .post("/users/:id/credits", id, validate("json", CreditAdjustBody), async (c) => {
    const admin = currentUser(c);
    const { type, delta, reason } = c.req.valid("json");
    const userId = c.req.valid("param").id;
    const db = c.var.db;
    const credits = await adjustCredits(c.env, db, { userId, type, delta, reason: "admin", ref: `admin:${admin.id}`, note: reason });
    await audit(db, admin, "user.credits", `user:${userId}`, null, { type, delta, reason });
    return c.json({ credits });
  })
  .get("/generations", validate("query", AdminGenerationsQuery), async (c) => c.json(await listGenerations(c.var.db, c.req.valid("query"))));
