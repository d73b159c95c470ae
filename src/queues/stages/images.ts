import { eq } from "drizzle-orm";
import { imagePromptFor } from "../../core/plan";
import { event } from "../../shared/events";
import { chapters, stories } from "../../domain/db/schema";
import { chapterImageUrl, coverUrl } from "../../domain/stories/json";
import { NO_USAGE, type StageModule } from "../unit";

/** R2 keys are deterministic, so a rerun overwrites rather than piling up copies. */
export const coverKey = (storyId: number) => `stories/${storyId}/cover.png`;
export const chapterImageKey = (storyId: number, chapterId: number) => `stories/${storyId}/chapters/${chapterId}.png`;

/** Cover and chapter art. The author's prompt, when given, is kept for next time. */
export const imagesModule: StageModule = {
  async run(u) {
    const storyId = u.story.id;
    const chapterId = u.log.chapterId;
    const spec = { unit: u.log.unit, stage: u.stage, chapterId };
    const prompt = imagePromptFor(spec, u.story, u.params);
    const image = await u.provider.image({ model: u.model, prompt, task: { stage: u.stage, story: u.story } });
    const key = chapterId ? chapterImageKey(storyId, chapterId) : coverKey(storyId);
    await u.env.FILES.put(key, image.bytes, { httpMetadata: { contentType: image.contentType } });
    const now = new Date();
    const authorPrompt = u.params.prompt?.trim() || undefined;
    const keepPrompt = chapterId ? authorPrompt && (u.params.chapterIds?.length ?? 0) <= 1 : authorPrompt;
    const writes = chapterId
      ? [
          u.db
            .update(chapters)
            .set({ imageKey: key, updatedAt: now, ...(keepPrompt ? { imagePrompt: authorPrompt } : {}) })
            .where(eq(chapters.id, chapterId)),
        ]
      : [
          u.db
            .update(stories)
            .set({ coverImageKey: key, updatedAt: now, ...(keepPrompt ? { coverImagePrompt: authorPrompt } : {}) })
            .where(eq(stories.id, storyId)),
        ];
    return {
      usage: NO_USAGE,
      writes,
      announce: async (db) => {
        if (chapterId) {
          const [c] = await db.select().from(chapters).where(eq(chapters.id, chapterId));
          return [event("image_generated", { storyId, kind: "chapter", chapterId, url: chapterImageUrl(c!)! })];
        }
        const [s] = await db.select().from(stories).where(eq(stories.id, storyId));
        return [event("image_generated", { storyId, kind: "cover", chapterId: null, url: coverUrl(s!)! })];
      },
    };
  },
};
