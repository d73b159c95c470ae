// The two shapes of a stage's units: one for the whole story, or one per chapter.
import type { UnitStage } from "../../shared/stages";
import type { ChapterContext, StoryContext } from "../story";
import type { UnitOptions, UnitSpec } from "./types";

/** Inside `book`, what already exists is skipped unless the author asked to regenerate. */
export const skipping = (o: UnitOptions) => !!o.inBook && !o.regenerate;

export const oneUnit = (stage: UnitStage, unit: string = stage): UnitSpec[] => [{ unit, stage, chapterId: null }];

/** One unit per chapter (of `chapterIds` when given), named `<prefix>:<chapter id>`. */
export function perChapter(
  stage: UnitStage,
  prefix: string,
  s: StoryContext,
  o: UnitOptions,
  keep: (c: ChapterContext) => boolean = () => true,
): UnitSpec[] {
  const picked = o.chapterIds?.length ? s.chapters.filter((c) => o.chapterIds!.includes(c.id)) : s.chapters;
  return picked.filter(keep).map((c) => ({ unit: `${prefix}:${c.id}`, stage, chapterId: c.id }));
}
