// Every stage's descriptor, by name. A Record over the stage table, so a stage added to
// src/shared/stages.ts without a descriptor here does not compile.
import type { UnitStage } from "../../shared/stages";
import { arcsStage } from "./arcs";
import { auditStage } from "./audit";
import { boundariesStage } from "./boundaries";
import { chaptersStage } from "./chapters";
import { contractsStage } from "./contracts";
import { digestsStage } from "./digests";
import { guidesStage } from "./guides";
import { chapterImageStage, coverStage } from "./images";
import { metaStage } from "./meta";
import { summariesStage } from "./summaries";
import type { StageDescriptor, TextStage } from "./types";

export const STAGE_DESCRIPTORS: Record<UnitStage, StageDescriptor> = {
  meta: metaStage,
  summaries: summariesStage,
  arcs: arcsStage,
  contracts: contractsStage,
  guides: guidesStage,
  chapters: chaptersStage,
  digests: digestsStage,
  boundaries: boundariesStage,
  audit: auditStage,
  cover: coverStage,
  chapter_image: chapterImageStage,
};

export const stageOf = (stage: UnitStage): StageDescriptor => STAGE_DESCRIPTORS[stage];

/** A stage that calls a chat model; image stages have no chat prompt. */
export function textStage(stage: UnitStage): TextStage {
  const d = STAGE_DESCRIPTORS[stage];
  if (d.kind === "image") throw new Error(`${stage} makes images, not text`);
  return d;
}

export type { DemoTask, ImageStage, JsonStage, ProseStage, PromptParams, StageDescriptor, TextStage, UnitOptions, UnitSpec } from "./types";
