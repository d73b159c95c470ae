// One chapter's beats: replaces that chapter's guide; names outside the cast are reported.
import { guidesStage, toGuide } from "../../core/stages/guides";
import { event } from "../../shared/events";
import { replaceGuideItems } from "../../domain/stories/artifacts";
import { callJson, type StageModule } from "../unit";

export const guidesModule: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const { value, usage } = await callJson(u, guidesStage);
    const { parts, dropped } = toGuide(value, u.story);
    return {
      usage,
      writes: replaceGuideItems(u.db, chapterId, parts),
      announce: async () => [event("chapter_guide_generated", { storyId: u.story.id, chapterId, parts, dropped })],
    };
  },
};
