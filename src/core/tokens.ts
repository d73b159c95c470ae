// Token counting with the o200k_base ranks that js-tiktoken ships (GPT-4o/4.1/5, o-series).
//
// We only ever count, never decode, so instead of js-tiktoken's Tiktoken class (whose constructor
// builds two 200k-entry maps keyed by comma-joined byte lists: over a second of CPU here) this
// builds one map keyed by the token's bytes as a binary string, straight from the base64 in the
// rank file with the native atob(). Same ranks, same split pattern, same byte-pair merge, so the
// counts are identical (a test compares them with js-tiktoken/lite on varied text).
//
// Built on first use, never at module scope: it costs CPU and memory no plain HTTP request should
// pay (docs/ARCHITECTURE.md, "Platform facts"). The rank module is a dynamic import, so only its first user loads it.
import { SizedLru } from "./lru";
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

/**
 * Pieces up to this many bytes — every piece of normal prose, which splits at spaces and
 * punctuation — are counted exactly. A longer one (one 10 000-letter "word", say) is estimated:
 * its first EXACT_PIECE_BYTES are merged exactly and the rate is carried over to the rest, but
 * never below one token per 3 bytes. This is an approximation, fine for quotes (each unit holds
 * credits at its ceiling, and is charged from the provider's real usage); it keeps the work on
 * any piece bounded and linear in its length, so no input can make an estimate slow.
 */
export const EXACT_PIECE_BYTES = 2048;

/**
 * Byte-pair merge of one pre-split piece, returning how many tokens it becomes. Same result as
 * the textbook loop (merge the lowest-ranked adjacent pair, leftmost first, until none is left),
 * but with the pairs in a binary heap keyed by (rank, position) over a linked list of parts:
 * O(n log n) in the piece's length instead of O(n²).
 */
function mergeCount(piece: string, ranks: Map<string, number>): number {
  const n = piece.length;
  if (n < 2) return n;
  // next[i]: where the part starting at i ends (the next part's start); alive[i]: i starts a part.
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  // Heap of keys rank * 2^22 + position (positions stay below EXACT_PIECE_BYTES < 2^22).
  const SHIFT = 4_194_304;
  const heap = new Float64Array(3 * n);
  let size = 0;
  const push = (key: number) => {
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= key) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = key;
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap[--size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  };
  /** The rank of the pair of parts starting at `i`, if it is a token. */
  const pairRank = (i: number) => {
    const mid = next[i]!;
    if (mid >= n) return undefined;
    return ranks.get(piece.slice(i, next[mid]!));
  };
  const offer = (i: number) => {
    const rank = pairRank(i);
    if (rank !== undefined) push(rank * SHIFT + i);
  };
  for (let i = 0; i < n - 1; i++) offer(i);
  let parts = n;
  while (size > 0) {
    const key = pop();
    const i = key % SHIFT;
    const rank = (key - i) / SHIFT;
    // Stale entries (a neighbour merged since) no longer name that pair: its rank differs.
    if (!alive[i] || pairRank(i) !== rank) continue;
    const mid = next[i]!;
    alive[mid] = 0;
    next[i] = next[mid]!;
    if (next[i]! < n) prev[next[i]!] = i;
    parts--;
    offer(i);
    if (prev[i]! >= 0) offer(prev[i]!);
  }
  return parts;
}

/** Tokens of one pre-split piece (UTF-8 bytes as a binary string). */
function pieceCount(piece: string, ranks: Map<string, number>): number {
  if (ranks.has(piece)) return 1;
  if (piece.length <= EXACT_PIECE_BYTES) return mergeCount(piece, ranks);
  const sample = mergeCount(piece.slice(0, EXACT_PIECE_BYTES), ranks);
  return Math.max(Math.ceil((sample * piece.length) / EXACT_PIECE_BYTES), Math.ceil(piece.length / 3));
}

// Pieces recur: a word of the prompt's template or a character's one-word description sits in
// every chapter's prompt. Their counts are kept (a bounded number of characters' worth), so each
// piece is merged once per isolate.
const pieceMemo = new Map<string, number>();
let pieceMemoChars = 0;
const PIECE_MEMO_CHARS = 4_000_000;

function count(text: string, { ranks, pattern }: Encoder): number {
  let n = 0;
  for (const m of text.matchAll(pattern)) {
    const raw = m[0];
    let c = pieceMemo.get(raw);
    if (c === undefined) {
      c = pieceCount(utf8Bytes(raw), ranks);
      if (pieceMemoChars + raw.length > PIECE_MEMO_CHARS) {
        pieceMemo.clear();
        pieceMemoChars = 0;
      }
      pieceMemo.set(raw, c);
      pieceMemoChars += raw.length + 16;
    }
    n += c;
  }
  return n;
}

// The story bible starts every per-chapter prompt of a book: counting it once per isolate makes
// an estimate of N chapters cost one bible plus N small parts.
const memo = new SizedLru<number>(64);

export async function countTokens(text: string): Promise<number> {
  const cached = memo.get(text);
  if (cached !== undefined) return cached;
  const n = count(text, await getEncoder());
  if (text.length > 2000) memo.set(text, n);
  return n;
}

/** Chat prompt tokens as OpenAI counts them: each message carries a few tokens of framing. */
export async function countPromptTokens(messages: ChatMessage[]): Promise<number> {
  let n = 3;
  for (const m of messages) n += 4 + (await countTokens(m.content));
  return n;
}
