import { OUTPUTS, toArcs } from "../../core/outputs";
import { arcsPrompt } from "../../core/prompts";
import { event } from "../../shared/events";
import { replaceArcsItems } from "../../domain/stories/artifacts";
import { callJson, type StageModule } from "../unit";

export const arcsStage: StageModule = {
  async run(u) {
    const { value, usage } = await callJson(u, arcsPrompt(u.story).messages, OUTPUTS.arcs, (v) =>
      toArcs(v).length ? null : "it lists no arcs",
    );
    const arcs = toArcs(value);
    return {
      usage,
      writes: replaceArcsItems(u.db, u.story.id, arcs),
      announce: async () => [event("arcs_generated", { storyId: u.story.id, arcs })],
    };
  },
};
