// Any OpenAI-compatible endpoint through the official SDK (OpenAI, OpenRouter, Ollama, vLLM,
// AI Gateway). Retries are the SDK's (429/5xx/timeouts with backoff, honouring Retry-After); the
// queue never retries a model call on top of them, so attempts do not multiply.
import OpenAI from "openai";
import type { ChatCompletionCreateParamsBase } from "openai/resources/chat/completions";
import { ProviderError, type ChatRequest, type ChatResult, type ModelProvider, type Usage } from "./types";

export type OpenAiOptions = {
  apiKey: string;
  baseURL?: string;
  /** Attempts after the first; 2 gives three tries in all. */
  maxRetries?: number;
  planningTimeoutMs?: number;
  proseTimeoutMs?: number;
  fetch?: typeof fetch;
};

/** Prose runs about four characters a token; five is past any English reply that fits its cap. */
const CHARS_PER_TOKEN_CEILING = 5;

function toUsage(u: OpenAI.CompletionUsage | null | undefined): Usage | null {
  if (!u) return null;
  return {
    inputTokens: u.prompt_tokens,
    outputTokens: u.completion_tokens,
    cachedInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

function toProviderError(e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  if (e instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError("The model timed out", true);
  if (e instanceof OpenAI.APIConnectionError) return new ProviderError("Could not reach the model provider", true);
  if (e instanceof OpenAI.APIError) {
    const status = e.status ?? 0;
    const transient = status === 408 || status === 409 || status === 429 || status >= 500;
    const what = status === 429 ? "The model provider is rate limiting us" : `The model provider answered ${status}`;
    return new ProviderError(`${what}: ${e.message}`, transient, status);
  }
  return new ProviderError(`Model call failed: ${(e as Error)?.message ?? String(e)}`, false);
}

export function createOpenAiProvider(opts: OpenAiOptions): ModelProvider {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.planningTimeoutMs ?? 120_000,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const proseTimeout = opts.proseTimeoutMs ?? 240_000;

  // OpenAI's name for the output cap is max_completion_tokens (reasoning models refuse max_tokens);
  // some compatible servers know only max_tokens. The first refusal switches this provider over.
  let capParam: "max_completion_tokens" | "max_tokens" = "max_completion_tokens";
  const params = (req: ChatRequest): ChatCompletionCreateParamsBase => ({
    model: req.model,
    messages: req.messages,
    prompt_cache_key: req.cacheKey,
    ...(req.maxOutputTokens ? { [capParam]: req.maxOutputTokens } : {}),
    ...(req.json
      ? { response_format: { type: "json_schema", json_schema: { name: req.json.name, schema: req.json.schema, strict: true } } }
      : {}),
  });
  const refusesCapParam = (e: unknown) =>
    capParam === "max_completion_tokens" &&
    e instanceof OpenAI.BadRequestError &&
    /max_completion_tokens/.test(e.message) &&
    /unsupported|unrecognized|unknown|not supported|extra/i.test(e.message);
  async function withCap<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (!refusesCapParam(e)) throw e;
      capParam = "max_tokens";
      return call();
    }
  }

  return {
    name: "openai",

    async chat(req) {
      try {
        const res = await withCap(() => client.chat.completions.create({ ...params(req), stream: false }));
        const choice = res.choices[0];
        if (choice?.message.refusal) throw new ProviderError(`The model refused: ${choice.message.refusal}`, false);
        if (choice?.finish_reason === "content_filter") throw new ProviderError("The provider's content filter stopped the answer", false);
        return { text: choice?.message.content ?? "", usage: toUsage(res.usage), finish: choice?.finish_reason === "length" ? "length" : "stop" };
      } catch (e) {
        throw toProviderError(e);
      }
    },

    async streamChat(req, onDelta): Promise<ChatResult> {
      try {
        const stream = await withCap(() =>
          client.chat.completions.create(
            { ...params(req), stream: true, stream_options: { include_usage: true } },
            { timeout: proseTimeout },
          ),
        );
        let text = "";
        let finish: string | null = null;
        let usage: Usage | null = null;
        // A provider that ignores the cap is stopped by us, a little past it (characters per
        // token vary; ours must not cut a reply the provider would have let finish).
        const stopAt = req.maxOutputTokens ? req.maxOutputTokens * CHARS_PER_TOKEN_CEILING : Infinity;
        for await (const chunk of stream) {
          const choice = chunk.choices[0];
          const delta = choice?.delta?.content;
          if (delta) {
            text += delta;
            onDelta(delta);
          }
          if (choice?.finish_reason) finish = choice.finish_reason;
          if (chunk.usage) usage = toUsage(chunk.usage);
          if (text.length > stopAt && !finish) {
            stream.controller.abort();
            return { text, usage: null, finish: "length" };
          }
        }
        // A stream that ends without a finish reason was cut: nothing of it may be kept.
        if (!finish) throw new ProviderError("The model's stream ended before the chapter was finished", true);
        if (finish === "content_filter") throw new ProviderError("The provider's content filter stopped the chapter", false);
        return { text, usage, finish: finish === "length" ? "length" : "stop" };
      } catch (e) {
        throw toProviderError(e);
      }
    },

    async image(req) {
      try {
        const res = await client.images.generate({
          model: req.model,
          prompt: req.prompt,
          n: 1,
          size: "1024x1024",
          // gpt-image models always answer in base64; DALL·E needs asking.
          ...(req.model.startsWith("dall-e") ? { response_format: "b64_json" as const } : {}),
        });
        const b64 = res.data?.[0]?.b64_json;
        if (!b64) throw new ProviderError("The image model returned no image data", false);
        const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        return { bytes, contentType: sniffImageType(bytes) };
      } catch (e) {
        throw toProviderError(e);
      }
    },
  };
}

export function sniffImageType(b: Uint8Array): string {
  if (b[0] === 0x89 && b[1] === 0x50) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8) return "image/jpeg";
  if (b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57) return "image/webp";
  return "application/octet-stream";
}
