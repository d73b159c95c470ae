import { eq } from "drizzle-orm";
import { cleanProse } from "../../core/outputs";
import { chapterPrompt } from "../../core/prompts";
import { countWords } from "../../core/text";
import { event } from "../../shared/events";
import { chapters, stories } from "../../worker/db/schema";
import { lastRevisionAt, setContentItems } from "../../worker/services/stories";
import { chatRequest, measured, UnitFailure, type StageModule, type UnitRun } from "../unit";

const DELTA_INTERVAL_MS = 250;

/** Streams deltas to the browser in batches of about 250 ms, in order. */
function deltaPublisher(u: UnitRun, chapterId: number) {
  let buffer = "";
  let last = 0;
  let chain = Promise.resolve();
  const flush = () => {
    if (!buffer) return;
    const text = buffer;
    buffer = "";
    last = Date.now();
    chain = chain.then(() => u.publish(event("chapter_delta", { storyId: u.story.id, chapterId, text })));
  };
  return {
    push(text: string) {
      buffer += text;
      if (Date.now() - last >= DELTA_INTERVAL_MS) flush();
    },
    async done() {
      flush();
      await chain;
    },
  };
}

/** The prose of one chapter. The previous text becomes a revision in the same commit. */
export const chaptersStage: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const messages = chapterPrompt(u.story, chapterId, u.params.instructions).messages;
    const deltas = deltaPublisher(u, chapterId);
    const res = await u.provider.streamChat(chatRequest(u, messages), (t) => deltas.push(t)).finally(() => deltas.done());
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
