import { OUTPUTS, toGuide } from "../../core/outputs";
import { guidePrompt } from "../../core/prompts";
import { event } from "../../shared/events";
import { replaceGuideItems } from "../../domain/stories/artifacts";
import { callJson, type StageModule } from "../unit";

/** Beats of one chapter, keyed by chapter id (never by title, which authors rename). */
export const guidesStage: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const { value, usage } = await callJson(u, guidePrompt(u.story, chapterId).messages, OUTPUTS.guides, (v) =>
      toGuide(v, u.story).parts.length ? null : "it has no beats",
    );
    const { parts, dropped } = toGuide(value, u.story);
    return {
      usage,
      writes: replaceGuideItems(u.db, chapterId, parts),
      announce: async () => [event("chapter_guide_generated", { storyId: u.story.id, chapterId, parts, dropped })],
    };
  },
};
