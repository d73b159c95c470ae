import { OUTPUTS, toMeta } from "../../core/outputs";
import { metaPrompt } from "../../core/prompts";
import { event } from "../../shared/events";
import { replaceMetaItems } from "../../domain/stories/artifacts";
import { callJson, type StageModule } from "../unit";

export const metaStage: StageModule = {
  async run(u) {
    const { value, usage } = await callJson(u, metaPrompt(u.story).messages, OUTPUTS.meta, (v) =>
      toMeta(v).characters.length ? null : "it names no characters",
    );
    const meta = toMeta(value);
    return {
      usage,
      writes: replaceMetaItems(u.db, u.story.id, meta),
      announce: async () => [event("meta_generated", { storyId: u.story.id, ...meta })],
    };
  },
};
