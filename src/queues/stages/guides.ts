// One chapter's beats: replaces that chapter's guide (an R2 object); names outside the cast are reported.
import { guidesStage, toGuide } from "../../core/stages/guides";
import { event } from "../../shared/events";
import { storeGuide } from "../../domain/prose";
import { replaceGuideItems } from "../../domain/stories/artifacts";
import { callJson, type StageModule } from "../unit";

export const guidesModule: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const { value, usage } = await callJson(u, guidesStage);
    const { parts, dropped } = toGuide(value, u.story);
    // The object first, its hash in the unit's batch (docs/SCALE.md).
    const stored = await storeGuide(u.env.FILES, u.story.id, chapterId, parts);
    return {
      usage,
      objects: stored.key ? [stored.key] : [],
      writes: replaceGuideItems(u.db, chapterId, stored),
      announce: async () => [event("chapter_guide_generated", { storyId: u.story.id, chapterId, parts, dropped })],
    };
  },
};
