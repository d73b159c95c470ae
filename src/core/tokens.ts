// Token counting with js-tiktoken's o200k_base ranks. Building the encoder costs about half a
// second of CPU and tens of MB (PLATFORM §B7), so it is built on first use, never at module scope,
// and the rank module is only loaded then (dynamic import).
import type { Tiktoken } from "js-tiktoken/lite";
import type { ChatMessage } from "./prompts";

let encoder: Promise<Tiktoken> | null = null;

function getEncoder(): Promise<Tiktoken> {
  encoder ??= Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/o200k_base")]).then(
    ([{ Tiktoken }, ranks]) => new Tiktoken(ranks.default),
  );
  return encoder;
}

export async function countTokens(text: string): Promise<number> {
  return (await getEncoder()).encode(text).length;
}

/** Chat prompt tokens as OpenAI counts them: each message carries a few tokens of framing. */
export async function countPromptTokens(messages: ChatMessage[]): Promise<number> {
  const enc = await getEncoder();
  return messages.reduce((n, m) => n + 4 + enc.encode(m.content).length, 3);
}
