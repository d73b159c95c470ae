// The prose of one chapter, streamed to the author's tabs. In a book with memory its prompt carries
// what was written before it (docs/MEMORY.md). A reply cut off at the output cap is continued once
// and fails if it is cut off again; a finished chapter far from its target gets one expand or
// tighten pass. The previous text becomes a revision in the same commit.
import { eq } from "drizzle-orm";
import { LENGTH_TOLERANCE, lengthOff } from "../../core/memory";
import { cleanProse } from "../../core/outputs";
import { chapterContinuation, lengthPass, type ChatMessage } from "../../core/prompts";
import { chaptersStage } from "../../core/stages/chapters";
import { countWords } from "../../core/text";
import { event } from "../../shared/events";
import { chapters, stories } from "../../domain/db/schema";
import { chapterCheckItems, countsOf } from "../../domain/continuity";
import { putProse } from "../../domain/prose";
import { setContentItems } from "../../domain/stories/revisions";
import { addUsage, chaptersWrittenBy, chatRequest, measured, proseOf, UnitFailure, type StageModule } from "../unit";

export const chaptersModule: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const memory = u.params.mode === "sequential" || u.params.mode === "hybrid";
    const i = u.story.chapters.findIndex((c) => c.id === chapterId);
    const prev = u.story.chapters[i - 1];
    const params = memory
      ? { ...u.params, writing: await chaptersWrittenBy(u.db, u.job.id), prose: prev ? await proseOf(u.db, u.env.FILES, u.story.id, [prev.id]) : {} }
      : u.params;
    const prompt = chaptersStage.prompt({ unit: u.log.unit, stage: u.stage, chapterId }, u.story, params);
    const userId = u.job.userId;
    const write = (messages: ChatMessage[]) =>
      u.provider
        .streamChat(chatRequest(u, messages), (t) => u.deltas.push(userId, u.story.id, chapterId, t))
        .finally(() => u.deltas.flush(userId));

    const first = await write(prompt.messages);
    let text = first.text;
    let usage = await measured(prompt.messages, first.text, first.usage);
    const target = u.story.targetChapterWords;
    if (first.finish === "length") {
      // Never saved as a finished chapter: continued once, and failed (nothing saved or charged)
      // if that is cut off too.
      const more = chapterContinuation(prompt, first.text, target).messages;
      const rest = await write(more);
      usage = addUsage(usage, await measured(more, rest.text, rest.usage));
      if (rest.finish === "length")
        throw new UnitFailure(
          "The chapter ran past its length limit even after one continuation, so nothing was saved or charged. " +
            "Ask for a shorter chapter in the instructions, or raise the story's target chapter length.",
        );
      text += rest.text;
    } else {
      const words = countWords(cleanProse(text));
      if (Math.abs(lengthOff(words, target)) > LENGTH_TOLERANCE && words >= 20) {
        // One expand or tighten pass; a pass that is itself cut off leaves the draft as it was.
        const pass = lengthPass(prompt, cleanProse(text), words, target).messages;
        const redo = await write(pass);
        usage = addUsage(usage, await measured(pass, redo.text, redo.usage));
        if (redo.finish !== "length" && countWords(cleanProse(redo.text)) >= 20) text = redo.text;
      }
    }
    const content = cleanProse(text);
    if (countWords(content) < 20) throw new UnitFailure("The model returned an empty chapter");
    const [row] = await u.db
      .select({
        id: chapters.id,
        number: chapters.number,
        title: chapters.title,
        content: chapters.content,
        contentHash: chapters.contentHash,
        wordCount: chapters.wordCount,
        contentSource: chapters.contentSource,
        contentUpdatedAt: chapters.contentUpdatedAt,
      })
      .from(chapters)
      .where(eq(chapters.id, chapterId));
    if (!row) throw new UnitFailure("The chapter was deleted while it was being written");
    // The chapter's continuity checks are committed with its prose.
    const checks = await chapterCheckItems(u.db, u.env.FILES, u.story.id, row, content);
    // The object first, its hash in the unit's batch (docs/SCALE.md).
    const stored = await putProse(u.env.FILES, u.story.id, chapterId, content);
    return {
      usage,
      objects: [stored.key!, ...checks.objects],
      writes: [
        // The canon was fixed when the job's chapter work began, before this unit was sent. A
        // generated draft never joins an author's edit session, so the last revision's time is not read.
        ...setContentItems(u.db, row, stored, "generated", null, { bibleHash: u.job.bibleHash }),
        ...checks.items,
        u.db.update(stories).set({ updatedAt: new Date() }).where(eq(stories.id, u.story.id)),
      ],
      announce: async () => [
        event("chapter_generated", { storyId: u.story.id, chapterId, number: row.number, title: row.title, content }),
        event("chapter_checked", { storyId: u.story.id, chapterId, counts: countsOf(checks.report.findings) }),
      ],
    };
  },
};
