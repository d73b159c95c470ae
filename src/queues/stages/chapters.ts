import { eq } from "drizzle-orm";
import { cleanProse } from "../../core/outputs";
import { chapterContinuation, type ChatMessage } from "../../core/prompts";
import { chaptersStage } from "../../core/stages/chapters";
import { countWords } from "../../core/text";
import { event } from "../../shared/events";
import { chapters, stories } from "../../domain/db/schema";
import { lastRevisionAt, setContentItems } from "../../domain/stories/revisions";
import { flushDeltas, pushDelta } from "../deltas";
import { addUsage, chatRequest, measured, UnitFailure, type StageModule } from "../unit";

/** The prose of one chapter, streamed to the author's tabs; the previous text becomes a revision in the same commit. */
export const chaptersModule: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const prompt = chaptersStage.prompt({ unit: u.log.unit, stage: u.stage, chapterId }, u.story, u.params);
    const userId = u.job.userId;
    const write = (messages: ChatMessage[]) =>
      u.provider
        .streamChat(chatRequest(u, messages), (t) => pushDelta(u.env, userId, u.story.id, chapterId, t))
        .finally(() => flushDeltas(userId));
    const first = await write(prompt.messages);
    let text = first.text;
    let usage = await measured(prompt.messages, first.text, first.usage);
    // A reply cut off at the output cap is never saved as a chapter: it is continued once, and
    // if that is cut off too the unit fails (nothing saved, nothing charged).
    if (first.finish === "length") {
      const more = chapterContinuation(prompt, first.text, u.story.targetChapterWords).messages;
      const rest = await write(more);
      usage = addUsage(usage, await measured(more, rest.text, rest.usage));
      if (rest.finish === "length")
        throw new UnitFailure(
          "The chapter ran past its length limit even after one continuation, so nothing was saved or charged. " +
            "Ask for a shorter chapter in the instructions, or raise the story's target chapter length.",
        );
      text += rest.text;
    }
    const content = cleanProse(text);
    if (countWords(content) < 20) throw new UnitFailure("The model returned an empty chapter");
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
