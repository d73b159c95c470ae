// Characters and places: replaces the story's cast and locations.
import { metaStage, toMeta } from "../../core/stages/meta";
import { event } from "../../shared/events";
import { replaceMetaItems } from "../../domain/stories/artifacts";
import { callJson, type StageModule } from "../unit";

export const metaModule: StageModule = {
  async run(u) {
    const { value, usage } = await callJson(u, metaStage);
    const meta = toMeta(value);
    return {
      usage,
      writes: replaceMetaItems(u.db, u.story.id, meta),
      announce: async () => [event("meta_generated", { storyId: u.story.id, ...meta })],
    };
  },
};
