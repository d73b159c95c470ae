// What a stage module gets and returns, and the model-call helpers they share.
import type { BatchItem } from "drizzle-orm/batch";
import { jsonSchemaOf, parseJsonReply } from "../core/outputs";
import type { Pricing } from "../core/pricing";
import type { ChatMessage } from "../core/prompts";
import { ProviderError, type ChatRequest, type ModelProvider, type Usage } from "../core/providers";
import type { JsonStage, PromptParams } from "../core/stages";
import type { StoryContext } from "../core/story";
import { countPromptTokens, countTokens } from "../core/tokens";
import type { ServerEvent } from "../shared/events";
import type { UnitStage } from "../shared/stages";
import type { Db } from "../domain/db/client";
import { and, eq, inArray } from "drizzle-orm";
import { chapters, generationLogs } from "../domain/db/schema";
import { readProse } from "../domain/prose";
import type { JobParams, JobRow } from "./jobs";
import type { DeltaBuffer } from "./deltas";

export type LogRow = typeof generationLogs.$inferSelect;

/** The chapters a job writes prose for: their units' chapter ids. */
export async function chaptersWrittenBy(db: Db, jobId: number): Promise<number[]> {
  const rows = await db
    .select({ id: generationLogs.chapterId })
    .from(generationLogs)
    .where(and(eq(generationLogs.jobId, jobId), eq(generationLogs.stage, "chapters")));
  return rows.flatMap((r) => (r.id ? [r.id] : []));
}

/** The prose of some chapters of a story, by id (chapters without prose are left out). */
export async function proseOf(db: Db, bucket: R2Bucket, storyId: number, ids: number[]): Promise<Record<number, string>> {
  if (!ids.length) return {};
  const rows = await db
    .select({ id: chapters.id, content: chapters.content, contentHash: chapters.contentHash })
    .from(chapters)
    .where(and(eq(chapters.storyId, storyId), inArray(chapters.id, ids)));
  return Object.fromEntries(await readProse(bucket, storyId, rows));
}

export type UnitRun = {
  env: Env;
  db: Db;
  job: JobRow;
  log: LogRow;
  stage: UnitStage;
  story: StoryContext;
  pricing: Pricing;
  model: string;
  provider: ModelProvider;
  /** Where streamed text goes on its way to the author's tabs: the batch's buffer. */
  deltas: DeltaBuffer;
  /** The job's parameters and what prompts need at run time (its mode; which chapters it writes; prose to quote). */
  params: JobParams & PromptParams;
};

export type StageOutcome = {
  /** Tokens the provider reported (or that we counted when it did not), all calls of the unit. */
  usage: Usage;
  /** The unit's artifact writes: committed in the same D1 batch as its charge and log row. */
  writes: BatchItem<"sqlite">[];
  /** Events that announce the result, built after the commit. */
  announce: (db: Db) => Promise<ServerEvent[]>;
  /** R2 objects the unit put before its commit: deleted again if the commit does not apply. */
  objects?: string[];
  /** No model was called (a boundary that needed no rewrite): nothing is charged. */
  free?: boolean;
};

export interface StageModule {
  run(u: UnitRun): Promise<StageOutcome>;
}

/** A unit that cannot succeed (invalid output twice, deleted chapter): it fails, nothing is charged. */
export class UnitFailure extends Error {}

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 };

export const addUsage = (a: Usage, b: Usage): Usage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
  cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  reasoningTokens: a.reasoningTokens + b.reasoningTokens,
});

/** The provider's usage; when it reports none (the demo model), tiktoken counts it. */
export async function measured(messages: ChatMessage[], reply: string, usage: Usage | null): Promise<Usage> {
  if (usage) return usage;
  return {
    inputTokens: await countPromptTokens(messages),
    outputTokens: await countTokens(reply),
    cachedInputTokens: 0,
    reasoningTokens: 0,
  };
}

export function chatRequest(u: UnitRun, messages: ChatMessage[], json?: JsonStage["output"]): ChatRequest {
  return {
    model: u.model,
    messages,
    cacheKey: `story-${u.story.id}`,
    ...(u.log.maxOutputTokens > 0 ? { maxOutputTokens: u.log.maxOutputTokens } : {}),
    ...(json ? { json: { name: json.name, schema: jsonSchemaOf(json.schema) } } : {}),
    task: { stage: u.stage, story: u.story, ...(u.log.chapterId ? { chapterId: u.log.chapterId } : {}) },
  };
}

/** The unit as its stage descriptor sees it. */
const specOf = (u: UnitRun) => ({ unit: u.log.unit, stage: u.stage, chapterId: u.log.chapterId });

/**
 * A planning stage's call: its prompt, its reply validated with the stage's schema and check, and
 * one repair attempt that shows the model its mistake; a second failure fails the unit with a
 * clear message (nothing is charged for a failed unit).
 */
export async function callJson<T>(u: UnitRun, stage: JsonStage<T>): Promise<{ value: T; usage: Usage }> {
  const messages = stage.prompt(specOf(u), u.story, u.params).messages;
  let usage = NO_USAGE;
  let convo = messages;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const res = await u.provider.chat(chatRequest(u, convo, stage.output));
    usage = addUsage(usage, await measured(convo, res.text, res.usage));
    const parsed = parseJsonReply(stage.output.schema, res.text);
    const error =
      res.finish === "length"
        ? "the answer was cut off at its length limit; answer more briefly"
        : parsed.ok
          ? stage.output.check(parsed.value, u.story, specOf(u))
          : parsed.error;
    if (parsed.ok && !error) return { value: parsed.value, usage };
    if (attempt === 2) throw new UnitFailure(`The model's answer was unusable twice. Last problem: ${error}`);
    convo = [
      ...messages,
      { role: "assistant", content: res.text },
      { role: "user", content: `That answer cannot be used: ${error}. Reply again with only the corrected JSON object.` },
    ];
  }
  throw new ProviderError("unreachable", false);
}
