// The engine's side of every stage: what it reads, the model call it makes, and the writes that
// persist its artifacts (committed by run-unit.ts in the same batch as the unit's charge). What a
// stage is (units, prompt, prediction, output) is in src/core/stages. A Record over the stage
// table, so a stage without its module does not compile.
import type { UnitStage } from "../../shared/stages";
import type { StageModule } from "../unit";
import { arcsModule } from "./arcs";
import { auditModule } from "./audit";
import { boundariesModule } from "./boundaries";
import { chaptersModule } from "./chapters";
import { contractsModule } from "./contracts";
import { digestsModule } from "./digests";
import { guidesModule } from "./guides";
import { imagesModule } from "./images";
import { metaModule } from "./meta";
import { summariesModule } from "./summaries";

export const STAGE_MODULES: Record<UnitStage, StageModule> = {
  meta: metaModule,
  summaries: summariesModule,
  arcs: arcsModule,
  contracts: contractsModule,
  guides: guidesModule,
  chapters: chaptersModule,
  digests: digestsModule,
  boundaries: boundariesModule,
  audit: auditModule,
  cover: imagesModule,
  chapter_image: imagesModule,
};
