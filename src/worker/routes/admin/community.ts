// Admin, community: stories (spotlight, flags, delete), tags, news and feedback. Every change is
// audit-logged by its service.
import { Hono } from "hono";
import { AdminStoriesQuery, AdminTagsQuery, EmptyBody, IdParam, NewsBody, NewsPatch, PageQuery, SpotlightBody, TagBody } from "../../../shared/schemas";
import {
  createNews,
  createTag,
  deleteFeedback,
  deleteNews,
  deleteTag,
  listFeedback,
  listNews,
  listTags,
  renameTag,
  updateNews,
} from "../../../domain/content";
import { deleteStoryAsAdmin, listAdminStories, setSpotlight, unflagStory } from "../../../domain/moderation";
import type { AppEnv } from "../../env";
import { currentUser } from "../../middleware/auth";
import { validate } from "../../validate";

const id = validate("param", IdParam);

export const communityRoutes = new Hono<AppEnv>()
  .get("/stories", validate("query", AdminStoriesQuery), async (c) => c.json(await listAdminStories(c.var.db, c.req.valid("query"))))
  .post("/stories/:id/spotlight", id, validate("json", SpotlightBody), async (c) =>
    c.json(await setSpotlight(c.var.db, currentUser(c), c.req.valid("param").id, c.req.valid("json").spotlight)),
  )
  .post("/stories/:id/unflag", id, validate("json", EmptyBody), async (c) =>
    c.json(await unflagStory(c.env, c.var.db, currentUser(c), c.req.valid("param").id)),
  )
  .delete("/stories/:id", id, async (c) => {
    await deleteStoryAsAdmin(c.env, c.var.db, currentUser(c), c.req.valid("param").id);
    return c.json({ ok: true });
  })
  .get("/tags", validate("query", AdminTagsQuery), async (c) => {
    const { q, page } = c.req.valid("query");
    return c.json(await listTags(c.var.db, q, page));
  })
  .post("/tags", validate("json", TagBody), async (c) => c.json({ tag: await createTag(c.var.db, currentUser(c), c.req.valid("json").name) }, 201))
  .patch("/tags/:id", id, validate("json", TagBody), async (c) =>
    c.json({ tag: await renameTag(c.var.db, currentUser(c), c.req.valid("param").id, c.req.valid("json").name) }),
  )
  .delete("/tags/:id", id, async (c) => {
    await deleteTag(c.var.db, currentUser(c), c.req.valid("param").id);
    return c.json({ ok: true });
  })
  .get("/news", validate("query", PageQuery), async (c) => c.json(await listNews(c.var.db, c.req.valid("query").page)))
  .post("/news", validate("json", NewsBody), async (c) => c.json({ news: await createNews(c.var.db, currentUser(c), c.req.valid("json")) }, 201))
  .patch("/news/:id", id, validate("json", NewsPatch), async (c) =>
    c.json({ news: await updateNews(c.var.db, currentUser(c), c.req.valid("param").id, c.req.valid("json")) }),
  )
  .delete("/news/:id", id, async (c) => {
    await deleteNews(c.var.db, currentUser(c), c.req.valid("param").id);
    return c.json({ ok: true });
  })
  .get("/feedback", validate("query", PageQuery), async (c) => c.json(await listFeedback(c.var.db, c.req.valid("query").page)))
  .delete("/feedback/:id", id, async (c) => {
    await deleteFeedback(c.var.db, currentUser(c), c.req.valid("param").id);
    return c.json({ ok: true });
  });
