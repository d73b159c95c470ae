// What a stage is, in pure terms: which units (model calls) it makes for a story, the prompt of
// each, how much it is predicted to write, the shape its answer must have, and what the built-in
// demo model answers. One descriptor per stage (index.ts); the engine's side of a stage (what it
// reads and writes) is in src/queues/stages.
import type { z } from "zod";
import type { BookMode } from "../../shared/schemas";
import type { UnitStage } from "../../shared/stages";
import type { StageSettings } from "../pricing";
import type { Prompt } from "../prompts";
import type { StoryContext } from "../story";

export type UnitSpec = {
  unit: string;
  stage: UnitStage;
  chapterId: number | null;
  /** Units of the same job that must succeed before this one runs. */
  after?: string[];
  /** A call that runs only when needed (a boundary rewrite): in the most a step can cost, not in its prediction. */
  optional?: boolean;
};
export type UnitOptions = { chapterIds?: number[]; regenerate?: boolean; inBook?: boolean; mode?: BookMode };
export type PromptParams = {
  instructions?: string;
  prompt?: string;
  mode?: BookMode;
  /** The chapters this job writes prose for (their memory is what this run writes, not an older version). */
  writing?: number[];
  /** Chapter prose a prompt quotes (its own text for a digest, the previous chapter's ending), by chapter id. */
  prose?: Record<number, string>;
  /**
   * The story's bible, when one caller builds many prompts of the same snapshot (a quote builds
   * one per unit, 200 for a long book): built once and shared. Left out, each prompt builds it.
   */
  bible?: string;
};
/** What the demo model writes from: the story, and the chapter for per-chapter stages. */
export type DemoTask = { story: StoryContext; chapterId?: number };

type Common = {
  /** The stage's units for this story. Inside `book`, what exists is skipped unless `regenerate`. */
  units(s: StoryContext, o: UnitOptions): UnitSpec[];
};

type Text = Common & {
  prompt(u: UnitSpec, s: StoryContext, p: PromptParams): Prompt;
  /** Predicted output tokens of one unit, from the stage's settings. */
  predictedOutputTokens(s: StoryContext, cfg: StageSettings): number;
  /** Stages of the same `book` run whose output will be in this stage's prompts (for quotes). */
  promptGrowsWith: readonly UnitStage[];
  /** How much of one unit's output appears in one later prompt (default: all of it). */
  outputInOnePrompt?(s: StoryContext, cfg: StageSettings): number;
  /**
   * Tokens a quote cannot count because the text does not exist yet or is not loaded for quotes
   * (chapter prose, digests this run will write): an estimate added to the counted prompt.
   */
  unseenInputTokens?(u: UnitSpec, s: StoryContext, p: PromptParams, cfg: (stage: UnitStage) => StageSettings): number;
  /** Calls a unit may add to its first one (a continuation or a length pass): counted in its most. */
  extraCalls?: number;
};

/** A planning stage: a structured answer, validated by `schema` and `check`, repaired once. */
export type JsonStage<T = any> = Text & {
  kind: "json";
  output: {
    /** The JSON Schema's name in `response_format`. */
    name: string;
    schema: z.ZodType<T>;
    /** A problem the schema cannot express ("it names no characters"), or null. */
    check(value: T, s: StoryContext, u: UnitSpec): string | null;
  };
  demo(t: DemoTask): T;
};

/** Prose, streamed. */
export type ProseStage = Text & { kind: "prose"; demo(t: DemoTask): string };

/** An image: no chat prompt, an image prompt. */
export type ImageStage = Common & { kind: "image"; imagePrompt(u: UnitSpec, s: StoryContext, p: PromptParams): string };

export type StageDescriptor = JsonStage | ProseStage | ImageStage;
export type TextStage = JsonStage | ProseStage;
