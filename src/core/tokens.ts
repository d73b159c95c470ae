// Token counting with the o200k_base ranks that js-tiktoken ships (GPT-4o/4.1/5, o-series).
//
// We only ever count, never decode, so instead of js-tiktoken's Tiktoken class (whose constructor
// builds two 200k-entry maps keyed by comma-joined byte lists: over a second of CPU here) this
// builds one map keyed by the token's bytes as a binary string, straight from the base64 in the
// rank file with the native atob(). Same ranks, same split pattern, same byte-pair merge, so the
// counts are identical (a test compares them with js-tiktoken/lite on varied text).
//
// Built on first use, never at module scope: it costs CPU and memory no plain HTTP request should
// pay (PLATFORM §B7). The rank module is a dynamic import, so only its first user loads it.
import type { ChatMessage } from "./prompts";

type Encoder = { ranks: Map<string, number>; pattern: RegExp };

let encoder: Promise<Encoder> | null = null;

function getEncoder(): Promise<Encoder> {
  encoder ??= import("js-tiktoken/ranks/o200k_base").then(({ default: o200k }) => {
    const ranks = new Map<string, number>();
    // Each line: "<first token> <offset> <base64 token> <base64 token> …" with consecutive ranks.
    for (const line of o200k.bpe_ranks.split("\n")) {
      if (!line) continue;
      const parts = line.split(" ");
      const offset = Number.parseInt(parts[1]!, 10);
      for (let i = 2; i < parts.length; i++) ranks.set(atob(parts[i]!), offset + i - 2);
    }
    return { ranks, pattern: new RegExp(o200k.pat_str, "gu") };
  });
  return encoder;
}

/** UTF-8 bytes of `s` as a binary string (one char per byte), the key format of the rank map. */
const utf8Bytes = (s: string) => unescape(encodeURIComponent(s));

/** Byte-pair merge of one pre-split piece, returning how many tokens it becomes. */
function mergeCount(piece: string, ranks: Map<string, number>): number {
  const bounds = Array.from({ length: piece.length + 1 }, (_, i) => i);
  while (bounds.length > 2) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i < bounds.length - 2; i++) {
      const rank = ranks.get(piece.slice(bounds[i], bounds[i + 2]));
      if (rank !== undefined && rank < best) {
        best = rank;
        at = i;
      }
    }
    if (at < 0) break;
    bounds.splice(at + 1, 1);
  }
  let n = 0;
  for (let i = 0; i < bounds.length - 1; i++) if (ranks.has(piece.slice(bounds[i], bounds[i + 1]))) n++;
  return n;
}

function count(text: string, { ranks, pattern }: Encoder): number {
  let n = 0;
  for (const m of text.matchAll(pattern)) {
    const piece = utf8Bytes(m[0]);
    n += ranks.has(piece) ? 1 : mergeCount(piece, ranks);
  }
  return n;
}

// The story bible starts every per-chapter prompt of a book: counting it once per isolate makes
// an estimate of N chapters cost one bible plus N small parts.
const memo = new Map<string, number>();
const MEMO_LIMIT = 64;

export async function countTokens(text: string): Promise<number> {
  const cached = memo.get(text);
  if (cached !== undefined) return cached;
  const n = count(text, await getEncoder());
  if (text.length > 2000) {
    if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
    memo.set(text, n);
  }
  return n;
}

/** Chat prompt tokens as OpenAI counts them: each message carries a few tokens of framing. */
export async function countPromptTokens(messages: ChatMessage[]): Promise<number> {
  let n = 3;
  for (const m of messages) n += 4 + (await countTokens(m.content));
  return n;
}
