// One module per stage (SPEC §5): each builds its prompt, calls the model and returns the writes
// that persist its artifacts. run-unit.ts does everything stages have in common.
import type { UnitStage } from "../../shared/stages";
import type { StageModule } from "../unit";
import { arcsStage } from "./arcs";
import { chaptersStage } from "./chapters";
import { guidesStage } from "./guides";
import { imagesStage } from "./images";
import { metaStage } from "./meta";
import { summariesStage } from "./summaries";

export const STAGE_MODULES: Record<UnitStage, StageModule> = {
  meta: metaStage,
  summaries: summariesStage,
  arcs: arcsStage,
  guides: guidesStage,
  chapters: chaptersStage,
  cover: imagesStage,
  chapter_image: imagesStage,
};
