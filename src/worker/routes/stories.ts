import { Hono, type Context } from "hono";
import type { AppEnv } from "../env";
import { currentUser, requireUser, withCaller, withOwnedStory } from "../middleware/auth";
import { chapterDetail, storyDetail, storyListQueries, toStoryList } from "../../domain/stories/json";
import { chapterReadBody, chapterReadQueries, storyReadBody, storyReadQueries } from "../../domain/stories/read-cache";
import { createStory, deleteStory, updateStory } from "../../domain/stories/crud";
import { deleteChapter, putDigest,
  putGuide, putOutline, replaceArcsItems, replaceMetaItems, updateChapter } from "../../domain/stories/artifacts";
import { restoreRevision, revisionsOf, revisionsQuery } from "../../domain/stories/revisions";
import { chapterRow, ownedChapter, ownedStory, readableStory, storyChapterQuery } from "../../domain/stories/access";
import { runBatch } from "../../domain/db/batch";
import { exportStory } from "../../domain/export";
import { deleteChapterObjects } from "../../domain/prose";
import {
  ArcsBody,
  ChapterParams,
  DigestBody,
  CreateStoryBody,
  ExportQuery,
  GuideBody,
  MetaBody,
  OutlineBody,
  RevisionParams,
  StoryParams,
  UpdateChapterBody,
  UpdateStoryBody,
} from "../../shared/schemas";
import { recheckBook } from "../../domain/continuity";
import { validate } from "../validate";
import { limitUser } from "../middleware/rate-limit";

const story = validate("param", StoryParams);
const chapter = validate("param", ChapterParams);

/**
 * The reads an author makes most, each one D1 round trip: the caller is looked up in the same
 * batch as the data (docs/SCALE.md). Mounted before every router with a requireUser (a round
 * trip of its own) on these paths, so it never runs for them (src/worker/app.ts).
 */
export const storyReadRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const { user, results } = await withCaller(c, [...storyListQueries(c.var.db, await c.var.caller.userIdSql())]);
    return c.json({ stories: toStoryList(results, user) });
  })
  .get("/:id", story, async (c) => {
    const read = storyReadQueries(c.var.db, c.req.valid("param").id);
    const { user, results } = await withCaller(c, [...read.queries]);
    return keptOrFresh(c, await storyReadBody(read, results, user));
  })
  .get("/:id/chapters/:chapterId", chapter, async (c) => {
    const { id, chapterId } = c.req.valid("param");
    const read = chapterReadQueries(c.var.db, id, chapterId);
    const { user, results } = await withCaller(c, [...read.queries]);
    return keptOrFresh(c, await chapterReadBody(c.env.FILES, read, results, user));
  })
  .get("/:id/chapters/:chapterId/revisions", chapter, async (c) => {
    const { id, chapterId } = c.req.valid("param");
    const db = c.var.db;
    const { results } = await withOwnedStory(c, id, [storyChapterQuery(db, id, chapterId), revisionsQuery(db, chapterId)]);
    const [chapterRows, rows] = results;
    chapterRow(chapterRows);
    return c.json({ revisions: await revisionsOf(c.env.FILES, id, chapterId, rows) });
  });

/** A read's JSON, and in Server-Timing whether it was the kept answer (docs/SCALE.md). */
function keptOrFresh(c: Context<AppEnv>, { body, kept }: { body: string; kept: boolean }) {
  c.header("server-timing", `answer;desc="${kept ? "kept" : "fresh"}"`, { append: true });
  return c.body(body, 200, { "content-type": "application/json" });
}

export const storiesRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post("/", validate("json", CreateStoryBody), async (c) => {
    await limitUser(c, currentUser(c).id, "story-create");
    const detail = await createStory(c.var.db, currentUser(c), c.req.valid("json"));
    return c.json(detail, 201);
  })
  .patch("/:id", story, validate("json", UpdateStoryBody), async (c) => {
    const db = c.var.db;
    const s = await ownedStory(db, c.req.valid("param").id, currentUser(c));
    return c.json(await updateStory(db, currentUser(c), s, c.req.valid("json")));
  })
  .delete("/:id", story, async (c) => {
    const db = c.var.db;
    const s = await ownedStory(db, c.req.valid("param").id, currentUser(c));
    await deleteStory(db, c.env.FILES, s.id);
    return c.json({ ok: true });
  })
  .put("/:id/meta", story, validate("json", MetaBody), async (c) => {
    const db = c.var.db;
    const s = await ownedStory(db, c.req.valid("param").id, currentUser(c));
    await runBatch(db, replaceMetaItems(db, s.id, c.req.valid("json")));
    // The checks read the cast: the book is checked again once the answer is on its way.
    c.executionCtx.waitUntil(recheckBook(c.var.deps, s.id, s.userId).catch((e) => console.error("re-check after a cast save", e)));
    return c.json(await storyDetail(db, s.id));
  })
  .put("/:id/arcs", story, validate("json", ArcsBody), async (c) => {
    const db = c.var.db;
    const s = await ownedStory(db, c.req.valid("param").id, currentUser(c));
    await runBatch(db, replaceArcsItems(db, s.id, c.req.valid("json").arcs));
    return c.json(await storyDetail(db, s.id));
  })
  .put("/:id/outline", story, validate("json", OutlineBody), async (c) => {
    const db = c.var.db;
    const s = await ownedStory(db, c.req.valid("param").id, currentUser(c));
    await putOutline(db, s, c.req.valid("json"));
    return c.json(await storyDetail(db, s.id));
  })
  .patch("/:id/chapters/:chapterId", chapter, validate("json", UpdateChapterBody), async (c) => {
    const db = c.var.db;
    const { id, chapterId } = c.req.valid("param");
    const { story: s, chapter: ch } = await ownedChapter(db, id, chapterId, currentUser(c));
    await updateChapter(db, c.env.FILES, s, ch, c.req.valid("json"));
    return c.json({ chapter: await chapterDetail(db, c.env.FILES, s, ch) });
  })
  .delete("/:id/chapters/:chapterId", chapter, async (c) => {
    const db = c.var.db;
    const { id, chapterId } = c.req.valid("param");
    const { story: s, chapter: ch } = await ownedChapter(db, id, chapterId, currentUser(c));
    await deleteChapter(db, s, ch);
    await deleteChapterObjects(c.env.FILES, s.id, ch);
    return c.json({ ok: true });
  })
  .put("/:id/chapters/:chapterId/guide", chapter, validate("json", GuideBody), async (c) => {
    const db = c.var.db;
    const { id, chapterId } = c.req.valid("param");
    const { story: s, chapter: ch } = await ownedChapter(db, id, chapterId, currentUser(c));
    await putGuide(db, c.env.FILES, s, ch, c.req.valid("json"));
    return c.json({ chapter: await chapterDetail(db, c.env.FILES, s, ch) });
  })
  // The author corrects what the book remembers from a chapter.
  .put("/:id/chapters/:chapterId/digest", chapter, validate("json", DigestBody), async (c) => {
    const db = c.var.db;
    const { id, chapterId } = c.req.valid("param");
    const { story: s, chapter: ch } = await ownedChapter(db, id, chapterId, currentUser(c));
    await putDigest(db, c.env.FILES, ch, c.req.valid("json"));
    return c.json({ chapter: await chapterDetail(db, c.env.FILES, s, ch) });
  })
  .get("/:id/export", story, validate("query", ExportQuery), async (c) => {
    const db = c.var.db;
    const s = await readableStory(db, c.req.valid("param").id, currentUser(c));
    return exportStory(db, c.env.FILES, s, c.req.valid("query").format);
  })
  .post("/:id/chapters/:chapterId/revisions/:revId/restore", validate("param", RevisionParams), async (c) => {
    const db = c.var.db;
    const { id, chapterId, revId } = c.req.valid("param");
    const { story: s, chapter: ch } = await ownedChapter(db, id, chapterId, currentUser(c));
    await restoreRevision(db, c.env.FILES, ch, revId);
    return c.json({ chapter: await chapterDetail(db, c.env.FILES, s, ch) });
  });
