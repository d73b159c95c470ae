// The model provider for this Worker's configuration: demo unless an API key is set.
import { createDemoProvider, createOpenAiProvider, type ModelProvider } from "../core/providers";
import { readConfig } from "../domain/config";

let cached: { key: string; provider: ModelProvider } | null = null;

export function providerFor(env: Env): ModelProvider {
  const { llm } = readConfig(env);
  const key = `${llm.provider}|${llm.baseUrl}|${llm.apiKey}`;
  if (cached?.key !== key) {
    const provider =
      llm.provider === "openai" && llm.apiKey
        ? createOpenAiProvider({ apiKey: llm.apiKey, baseURL: llm.baseUrl })
        : createDemoProvider();
    cached = { key, provider };
  }
  return cached.provider;
}
