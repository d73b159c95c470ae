// Story arcs: replaces the story's arcs.
import { arcsStage, toArcs } from "../../core/stages/arcs";
import { event } from "../../shared/events";
import { replaceArcsItems } from "../../domain/stories/artifacts";
import { callJson, type StageModule } from "../unit";

export const arcsModule: StageModule = {
  async run(u) {
    const { value, usage } = await callJson(u, arcsStage);
    const arcs = toArcs(value);
    return {
      usage,
      writes: replaceArcsItems(u.db, u.story.id, arcs),
      announce: async () => [event("arcs_generated", { storyId: u.story.id, arcs })],
    };
  },
};
