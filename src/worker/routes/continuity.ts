// The continuity report of a story (docs/CONTINUITY.md): read it, re-check the book now, dismiss a
// finding, and rename a name everywhere (the one-click fix of an unknown or clashing name).
import { Hono } from "hono";
import { EmptyBody, FindingParams, RenameBody, StoryParams } from "../../shared/schemas";
import { continuityReport, continuityReportOf, continuityReportQueries, dismissFinding, recheckBook } from "../../domain/continuity";
import { ownedStory } from "../../domain/stories/access";
import { renameEverywhere } from "../../domain/stories/artifacts";
import { storyDetail } from "../../domain/stories/json";
import type { AppEnv } from "../env";
import { currentUser, requireUser, withOwnedStory } from "../middleware/auth";
import { validate } from "../validate";

const story = validate("param", StoryParams);

/** The report's read: one round trip, the caller's session included (mounted before any requireUser, docs/SCALE.md). */
export const continuityReadRoutes = new Hono<AppEnv>().get("/:id/continuity", story, async (c) => {
  const { id } = c.req.valid("param");
  const { results } = await withOwnedStory(c, id, [...continuityReportQueries(c.var.db, id)]);
  return c.json(await continuityReportOf(c.env.FILES, id, results));
});

export const continuityRoutes = new Hono<AppEnv>()
  .use(requireUser)
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
