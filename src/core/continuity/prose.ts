// A chapter's prose cut into paragraphs, sentences and word tokens, each with its offsets in the
// original text, so every check can quote the content exactly.
import { DEMO_NOTICE } from "../demo-kit";

export type Token = {
  start: number;
  end: number;
  /** The word with a possessive 's and curly apostrophes normalised away ("Ada’s" → "Ada"). */
  norm: string;
  lower: string;
  /** Starts with a capital letter and is not shouted in capitals. */
  cap: boolean;
  /** First word of a sentence, of a line, or of a quotation: a capital there says nothing. */
  initial: boolean;
  possessive: boolean;
  para: number;
  sent: number;
};

export type Span = { start: number; end: number };
export type Paragraph = Span & { boilerplate: boolean; firstToken: number; endToken: number };

export type Prose = {
  text: string;
  paragraphs: Paragraph[];
  sentences: Span[];
  tokens: Token[];
  /**
   * Whitespace-separated runs holding a letter or a digit: countWords' rule in src/core/text.ts,
   * counted here from the tokens (a run starts wherever whitespace precedes a token) to save a
   * second pass over the text.
   */
  words: number;
};

const WORD = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;
// A period after these does not end a sentence. ("No." is left out: in fiction it is an answer.)
const ABBREVIATION = /(?:\b(?:Mr|Mrs|Ms|Dr|St|Mt|Jr|Sr|Prof|Capt|Sgt|Lt|Col|Gen|Rev|Fr|vs|etc)|\b\p{Lu})\.$/u;
// Between two words, an opening quotation mark or a colon starts a new sentence.
const OPENS = /(?:["“‘]|(?:^|\s)'|:\s*)[*_]*$/;
const SCENE_BREAK = /^(?:[*\-_~#•·]\s*){1,}$/;

/** Lines nobody should check: scene breaks and the demo model's notice. */
export const isBoilerplate = (line: string) => {
  const t = line.trim();
  return t === DEMO_NOTICE || SCENE_BREAK.test(t);
};

function paragraphsOf(text: string): Span[] {
  const out: Span[] = [];
  let start = -1;
  let end = 0;
  let pos = 0;
  for (const line of text.split("\n")) {
    const lineEnd = pos + line.length;
    if (line.trim()) {
      if (start < 0) start = pos;
      end = lineEnd;
    } else if (start >= 0) {
      out.push({ start, end });
      start = -1;
    }
    pos = lineEnd + 1;
  }
  if (start >= 0) out.push({ start, end });
  return out;
}

function sentencesOf(text: string, p: Span, out: Span[]) {
  const body = text.slice(p.start, p.end);
  const boundary = /\n|[.!?…]+["”’')\]*_]*(?=\s+["“‘'(\[*_]*[^\s\p{Ll}])/gu;
  let from = 0;
  for (let m = boundary.exec(body); m; m = boundary.exec(body)) {
    const end = m.index + m[0].length;
    if (m[0] !== "\n" && ABBREVIATION.test(body.slice(Math.max(0, m.index - 6), m.index + 1))) continue;
    push(from, m[0] === "\n" ? m.index : end);
    from = end;
  }
  push(from, body.length);
  function push(a: number, b: number) {
    while (a < b && /\s/.test(body[a]!)) a++;
    while (b > a && /\s/.test(body[b - 1]!)) b--;
    if (b > a) out.push({ start: p.start + a, end: p.start + b });
  }
}

export function parseProse(text: string): Prose {
  const paragraphs: Paragraph[] = [];
  const sentences: Span[] = [];
  const tokens: Token[] = [];
  let words = 0;
  for (const span of paragraphsOf(text)) {
    const para: Paragraph = { ...span, boilerplate: isBoilerplate(text.slice(span.start, span.end)), firstToken: tokens.length, endToken: tokens.length };
    const firstSentence = sentences.length;
    sentencesOf(text, span, sentences);
    for (let s = firstSentence; s < sentences.length; s++) {
      const sent = sentences[s]!;
      const body = text.slice(sent.start, sent.end);
      let prevEnd = 0;
      let first = true;
      WORD.lastIndex = 0;
      for (let m = WORD.exec(body); m; m = WORD.exec(body)) {
        const raw = m[0];
        const at = m.index;
        // Most gaps are one space: skip the regexes for them. Sentences are separated by whitespace.
        const space = at - prevEnd === 1 && body.charCodeAt(prevEnd) === 32;
        const gap = first || space ? "" : body.slice(prevEnd, at);
        if (first || space || /\s/.test(gap)) words++;
        const opens = !first && !space && OPENS.test(gap);
        prevEnd = at + raw.length;
        const last = raw.charCodeAt(raw.length - 1);
        const apostrophe = raw.length > 2 ? raw.charCodeAt(raw.length - 2) : 0;
        const possessive = (last === 115 || last === 83) && (apostrophe === 39 || apostrophe === 0x2019);
        let norm = possessive ? raw.slice(0, -2) : raw;
        if (norm.includes("’")) norm = norm.replace(/’/g, "'");
        const lower = norm.toLowerCase();
        const lead = norm[0]!;
        const capital = lead !== lead.toLowerCase();
        const shouted = capital && norm.length > 1 && norm === norm.toUpperCase() && norm !== lower;
        tokens.push({
          start: sent.start + at,
          end: sent.start + prevEnd,
          norm,
          lower,
          cap: capital && !shouted,
          initial: first || opens,
          possessive,
          para: paragraphs.length,
          sent: s,
        });
        first = false;
      }
    }
    para.endToken = tokens.length;
    paragraphs.push(para);
  }
  return { text, paragraphs, sentences, tokens, words };
}

/** The sentence around a token, trimmed and at most ~300 characters, always a substring of the text. */
export function sentenceQuote(p: Prose, t: Token): { quote: string; at: number } {
  const s = p.sentences[t.sent]!;
  let { start, end } = s;
  if (end - start > 300) {
    start = Math.max(s.start, t.start - 140);
    end = Math.min(s.end, t.end + 140);
    // Cut at word boundaries so the quote reads cleanly.
    while (start > s.start && /\S/.test(p.text[start - 1]!)) start++;
    while (end < s.end && /\S/.test(p.text[end]!)) end--;
  }
  return { quote: p.text.slice(start, end).trim(), at: start };
}

/** A stretch of the text trimmed to at most `max` characters at a word boundary. */
export function clip(text: string, start: number, end: number, max = 300): string {
  let e = end;
  if (e - start > max) {
    e = start + max;
    while (e > start && /\S/.test(text[e]!)) e--;
  }
  return text.slice(start, e).trim();
}
