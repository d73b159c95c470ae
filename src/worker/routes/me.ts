import { and, desc, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { apiTokens, notifications, users } from "../../domain/db/schema";
import type { AppEnv } from "../env";
import { notFound } from "../../domain/errors";
import { currentUser, requireUser, sessionToken } from "../middleware/auth";
import { changePassword, createApiToken, getUserById, toUserJson } from "../../domain/accounts";
import { CreateTokenBody, IdParam, PageQuery, UpdateMeBody } from "../../shared/schemas";
import { listGenerations } from "../../domain/admin";
import { myFavorites } from "../../domain/social";
import { validate } from "../validate";
import { limitUser } from "../middleware/rate-limit";

export const me = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", (c) => c.json({ user: toUserJson(currentUser(c)) }))
  .patch("/", validate("json", UpdateMeBody), async (c) => {
    const user = currentUser(c);
    const db = c.var.db;
    const body = c.req.valid("json");
    if (body.newPassword)
      await changePassword(db, user.id, body.currentPassword!, body.newPassword, await sessionToken(c), body.revokeTokens ?? true);
    if (body.showMature !== undefined)
      await db.update(users).set({ showMature: body.showMature }).where(eq(users.id, user.id));
    return c.json({ user: toUserJson((await getUserById(db, user.id))!) });
  })
  .get("/tokens", async (c) => {
    const rows = await c.var.db
      .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
      .from(apiTokens)
      .where(eq(apiTokens.userId, currentUser(c).id))
      .orderBy(desc(apiTokens.id));
    return c.json({ tokens: rows });
  })
  .post("/tokens", validate("json", CreateTokenBody), async (c) => {
    await limitUser(c, currentUser(c).id, "token-create");
    // The token itself is shown this once; only its hash is kept.
    const token = await createApiToken(c.var.db, currentUser(c).id, c.req.valid("json").name);
    return c.json({ token }, 201);
  })
  .delete("/tokens/:id", validate("param", IdParam), async (c) => {
    const [gone] = await c.var.db
      .delete(apiTokens)
      .where(and(eq(apiTokens.id, c.req.valid("param").id), eq(apiTokens.userId, currentUser(c).id)))
      .returning({ id: apiTokens.id });
    if (!gone) throw notFound("Token");
    return c.json({ ok: true });
  })
  .get("/generations", validate("query", PageQuery), async (c) =>
    c.json(await listGenerations(c.var.db, { page: c.req.valid("query").page }, currentUser(c).id)),
  )
  .get("/favorites", validate("query", PageQuery), async (c) =>
    c.json(await myFavorites(c.var.db, currentUser(c), c.req.valid("query").page)),
  )
  .get("/notifications", async (c) => {
    const rows = await c.var.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, currentUser(c).id))
      .orderBy(desc(notifications.id))
      .limit(50);
    return c.json({
      notifications: rows.map(({ userId: _, ...n }) => n),
      unread: rows.filter((n) => !n.readAt).length,
    });
  })
  .post("/notifications/read", async (c) => {
    await c.var.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, currentUser(c).id), isNull(notifications.readAt)));
    return c.json({ ok: true });
  });
