// The continuity report of a story (docs/CONTINUITY.md): read it, re-check the book now, dismiss a
// finding, and rename a name everywhere (the one-click fix of an unknown or clashing name).
import { Hono } from "hono";
import { EmptyBody, FindingParams, RenameBody, StoryParams } from "../../shared/schemas";
import { continuityReport, dismissFinding, recheckBook } from "../../domain/continuity";
import { ownedStory } from "../../domain/stories/access";
import { renameEverywhere } from "../../domain/stories/artifacts";
import { storyDetail } from "../../domain/stories/json";
import type { AppEnv } from "../env";
import { currentUser, requireUser } from "../middleware/auth";
import { validate } from "../validate";

const story = validate("param", StoryParams);

export const continuityRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get("/:id/continuity", story, async (c) => {
    const s = await ownedStory(c.var.db, c.req.valid("param").id, currentUser(c));
    return c.json(await continuityReport(c.var.db, c.env.FILES, s.id));
  })
  .post("/:id/continuity", story, validate("json", EmptyBody), async (c) => {
    const s = await ownedStory(c.var.db, c.req.valid("param").id, currentUser(c));
    await recheckBook(c.var.deps, s.id, s.userId);
    return c.json(await continuityReport(c.var.db, c.env.FILES, s.id));
  })
  .post("/:id/continuity/:findingId/dismiss", validate("param", FindingParams), validate("json", EmptyBody), async (c) => {
    const { id, findingId } = c.req.valid("param");
    const s = await ownedStory(c.var.db, id, currentUser(c));
    return c.json({ finding: await dismissFinding(c.var.db, c.env.FILES, s.id, findingId) });
  })
  .post("/:id/rename", story, validate("json", RenameBody), async (c) => {
    const db = c.var.db;
    const s = await ownedStory(db, c.req.valid("param").id, currentUser(c));
    const { replaced } = await renameEverywhere(db, c.env.FILES, s, c.req.valid("json"));
    await recheckBook(c.var.deps, s.id, s.userId);
    return c.json({ replaced, ...(await storyDetail(db, s.id)) });
  });
