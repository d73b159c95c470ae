// The one interface every model provider implements.
import type { ChatMessage } from "../prompts";
import type { StoryContext } from "../story";
import type { UnitStage } from "../../shared/stages";

export type Usage = {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
};

/** What the call is for. The demo model writes from this; real models read only the messages. */
export type Task = { stage: UnitStage; story: StoryContext; chapterId?: number };

export type ChatRequest = {
  model: string;
  messages: ChatMessage[];
  /** Provider-side prompt cache routing: the story id, so one book's prompts share a cache. */
  cacheKey: string;
  /** Structured output: a strict JSON Schema the reply must follow. */
  json?: { name: string; schema: Record<string, unknown> };
  /** The most output tokens (reasoning included) the reply may use. */
  maxOutputTokens?: number;
  task: Task;
};

/** `length`: the reply stopped at the output cap, unfinished. */
export type FinishReason = "stop" | "length";
export type ChatResult = { text: string; usage: Usage | null; finish: FinishReason };

export type ImageRequest = { model: string; prompt: string; task: Task };
export type ImageResult = { bytes: Uint8Array; contentType: string };

export interface ModelProvider {
  readonly name: "openai" | "demo";
  chat(req: ChatRequest): Promise<ChatResult>;
  /** Streams the reply; `onDelta` gets each new piece of text as it arrives. */
  streamChat(req: ChatRequest, onDelta: (text: string) => void): Promise<ChatResult>;
  image(req: ImageRequest): Promise<ImageResult>;
}

/**
 * A failed model call. `transient` ones (429, 5xx, timeouts, dropped streams) were already
 * retried by the SDK; either way the unit fails and can be retried by the author.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
