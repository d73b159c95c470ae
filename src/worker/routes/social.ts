// Reacting to stories: favourites, reports and comments. Story-scoped routes are
// mounted at /api/stories, comment routes at /api/comments; both for signed-in users only.
import { Hono } from "hono";
import { CommentBody, EmptyBody, FlagBody, IdParam, PageQuery, StoryParams } from "../../shared/schemas";
import type { AppEnv } from "../env";
import { currentUser, requireUser, withCaller } from "../middleware/auth";
import {
  addComment,
  addFavorite,
  editComment,
  listComments,
  removeComment,
  removeFavorite,
  reportStory,
  storySocialOf,
  storySocialQueries,
  withdrawReport,
} from "../../domain/social";
import { validate } from "../validate";
import { clientIp, limitUser } from "../middleware/rate-limit";

const story = validate("param", StoryParams);

/** The social bar's read: one round trip, the caller's session included (mounted before any requireUser, docs/SCALE.md). */
export const storySocialReadRoutes = new Hono<AppEnv>().get("/:id/social", story, async (c) => {
  const queries = storySocialQueries(c.var.db, c.req.valid("param").id, await c.var.caller.userIdSql());
  const { user, results } = await withCaller(c, [...queries]);
  return c.json(storySocialOf(results, user));
});

export const storySocialRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post("/:id/favorite", story, validate("json", EmptyBody), async (c) =>
    c.json(await addFavorite(c.var.db, currentUser(c), c.req.valid("param").id)),
  )
  .delete("/:id/favorite", story, async (c) =>
    c.json(await removeFavorite(c.var.db, currentUser(c), c.req.valid("param").id)),
  )
  .post("/:id/flag", story, validate("json", FlagBody), async (c) => {
    await limitUser(c, currentUser(c).id, "report");
    const { id } = c.req.valid("param");
    return c.json(await reportStory(c.env, c.var.db, currentUser(c), id, c.req.valid("json").reason, clientIp(c)));
  })
  .delete("/:id/flag", story, async (c) =>
    c.json(await withdrawReport(c.var.db, currentUser(c), c.req.valid("param").id)),
  )
  .get("/:id/comments", story, validate("query", PageQuery), async (c) =>
    c.json(await listComments(c.var.db, currentUser(c), c.req.valid("param").id, c.req.valid("query").page)),
  )
  .post("/:id/comments", story, validate("json", CommentBody), async (c) => {
    await limitUser(c, currentUser(c).id, "comment");
    const comment = await addComment(c.env, c.var.db, currentUser(c), c.req.valid("param").id, c.req.valid("json").body);
    return c.json({ comment }, 201);
  });

export const commentRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .patch("/:id", validate("param", IdParam), validate("json", CommentBody), async (c) =>
    c.json({ comment: await editComment(c.var.db, currentUser(c), c.req.valid("param").id, c.req.valid("json").body) }),
  )
  .delete("/:id", validate("param", IdParam), async (c) => {
    await removeComment(c.var.db, currentUser(c), c.req.valid("param").id);
    return c.json({ ok: true });
  });
