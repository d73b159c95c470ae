// Images are served by the Worker from R2 (never a public bucket URL) to the owner, or to any
// signed-in reader of a public story, with an ETag so browsers revalidate cheaply.
import { Hono, type Context } from "hono";
import { ChapterParams, StoryParams } from "../../shared/schemas";
import type { AppEnv } from "../env";
import { notFound } from "../../domain/errors";
import { currentUser, requireUser } from "../middleware/auth";
import { readableStory, storyChapter } from "../../domain/stories/access";
import { validate } from "../validate";

async function serve(c: Context<AppEnv>, key: string | null) {
  if (!key) throw notFound("Image");
  const obj = await c.env.FILES.get(key, { onlyIf: c.req.raw.headers });
  if (!obj) throw notFound("Image");
  const headers = new Headers();
  obj.writeHttpMetadata(headers);
  headers.set("etag", obj.httpEtag);
  headers.set("cache-control", "private, max-age=0, must-revalidate");
  headers.set("content-security-policy", "default-src 'none'");
  headers.set("x-content-type-options", "nosniff");
  // R2 answers a matching If-None-Match with an object without a body.
  if (!("body" in obj)) return new Response(null, { status: 304, headers });
  return new Response(obj.body, { headers });
}

export const imagesRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get("/:id/cover", validate("param", StoryParams), async (c) => {
    const story = await readableStory(c.var.db, c.req.valid("param").id, currentUser(c));
    return serve(c, story.coverImageKey);
  })
  .get("/:id/chapters/:chapterId", validate("param", ChapterParams), async (c) => {
    const db = c.var.db;
    const { id, chapterId } = c.req.valid("param");
    const story = await readableStory(db, id, currentUser(c));
    return serve(c, (await storyChapter(db, story.id, chapterId)).imageKey);
  });
