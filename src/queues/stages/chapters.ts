import { eq } from "drizzle-orm";
import { cleanProse } from "../../core/outputs";
import { chapterPrompt } from "../../core/prompts";
import { countWords } from "../../core/text";
import { event } from "../../shared/events";
import { chapters, stories } from "../../worker/db/schema";
import { lastRevisionAt, setContentItems } from "../../worker/services/stories";
import { flushDeltas, pushDelta } from "../deltas";
import { chatRequest, measured, UnitFailure, type StageModule } from "../unit";

/** The prose of one chapter. The previous text becomes a revision in the same commit. */
export const chaptersStage: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const messages = chapterPrompt(u.story, chapterId, u.params.instructions).messages;
    const userId = u.job.userId;
    const res = await u.provider
      .streamChat(chatRequest(u, messages), (t) => pushDelta(u.env, userId, u.story.id, chapterId, t))
      .finally(() => flushDeltas(userId));
    const content = cleanProse(res.text);
    if (countWords(content) < 20) throw new UnitFailure("The model returned an empty chapter");
    const usage = await measured(messages, res.text, res.usage);
    const [row] = await u.db
      .select({
        id: chapters.id,
        number: chapters.number,
        title: chapters.title,
        content: chapters.content,
        contentSource: chapters.contentSource,
        contentUpdatedAt: chapters.contentUpdatedAt,
      })
      .from(chapters)
      .where(eq(chapters.id, chapterId));
    if (!row) throw new UnitFailure("The chapter was deleted while it was being written");
    return {
      usage,
      writes: [
        ...setContentItems(u.db, row, content, "generated", await lastRevisionAt(u.db, chapterId)),
        u.db.update(stories).set({ updatedAt: new Date() }).where(eq(stories.id, u.story.id)),
      ],
      announce: async () => [
        event("chapter_generated", { storyId: u.story.id, chapterId, number: row.number, title: row.title, content }),
      ],
    };
  },
};
