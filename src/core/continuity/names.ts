// Who and where the prose names: mentions of the cast and places (with aliases), name parts two
// characters share, and capitalised names that belong to nobody in the book.
import type { Cast } from "./cast";
import { draft, type Draft } from "./finding";
import { sentenceQuote, type Prose, type Token } from "./prose";
import { COMMON, CONNECTORS, HONORIFICS, NOT_NAMES, SPEECH_VERBS } from "./words";

/** `first`..`end` are token indexes; `ids` has more than one entry when the words fit several people. */
export type Mention = { ids: number[]; first: number; end: number; key: string };

const upper = (t: Token) => /^\p{Lu}/u.test(t.norm);

export function findMentions(p: Prose, cast: Cast): Mention[] {
  const out: Mention[] = [];
  const { tokens } = p;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (p.paragraphs[t.para]!.boilerplate) continue;
    const phrases = cast.byFirst.get(t.lower);
    if (!phrases) continue;
    for (const ph of phrases) {
      const n = ph.words.length;
      // "Will you come?" is not Will Hale: a one-word name that is also a common word must not open a sentence.
      if (n === 1 && t.initial && COMMON.has(t.lower)) continue;
      let ok = i + n <= tokens.length;
      for (let j = 0; ok && j < n; j++) {
        const u = tokens[i + j]!;
        ok = u.para === t.para && u.lower === ph.words[j] && (!ph.caps[j] || upper(u)) && (j === n - 1 || !u.possessive);
      }
      if (!ok) continue;
      out.push({ ids: ph.ids, first: i, end: i + n, key: ph.words.join(" ") });
      i += n - 1;
      break;
    }
  }
  return out;
}

const ABBREVIATED = new Set(["mr", "mrs", "ms", "dr", "st", "capt", "sgt", "lt", "col", "gen", "rev", "fr", "prof", "mt"]);

/**
 * Findings about names in one chapter. `ignore` holds lower-case words the chapter's own title
 * and beats use, which the author has already accepted as names of things.
 */
export function nameFindings(p: Prose, cast: Cast, mentions: Mention[], ignore: Set<string>): Draft[] {
  const { tokens, text } = p;
  const out: Draft[] = [];

  // Ambiguous: a name part several characters share, used on its own.
  const seenAmbiguous = new Set<string>();
  for (const m of mentions) {
    if (m.ids.length < 2 || seenAmbiguous.has(m.key)) continue;
    seenAmbiguous.add(m.key);
    const t = tokens[m.first]!;
    const word = text.slice(t.start, tokens[m.end - 1]!.end).replace(/['’]s$/i, "");
    const who = m.ids.map((id) => cast.entities[id]!.name);
    const list = who.length === 2 ? `${who[0]} or ${who[1]}` : `${who.slice(0, -1).join(", ")} or ${who.at(-1)}`;
    const { quote, at } = sentenceQuote(p, t);
    out.push(
      draft("ambiguous_name", "warning", `"${word}" could be ${list}; a full name or a nickname would tell readers who is meant.`, {
        quote,
        at,
        names: [word, ...who],
      }),
    );
  }

  // Unknown: capitalised names that are nobody's.
  const covered = new Uint8Array(tokens.length);
  for (const m of mentions) covered.fill(1, m.first, m.end);
  const lowerUse = new Set<string>();
  for (const t of tokens) if (t.norm === t.lower) lowerUse.add(t.lower);
  const plain = (t: Token) =>
    COMMON.has(t.lower) || NOT_NAMES.has(t.lower) || HONORIFICS.has(t.lower) || ignore.has(t.lower) || t.norm.length < 2 || /\p{N}/u.test(t.norm);

  type Seen = { at: number; token: number; display: string; evidence: boolean };
  const seen = new Map<string, Seen[]>();
  const note = (key: string, s: Seen) => {
    const list = seen.get(key) ?? [];
    list.push(s);
    seen.set(key, list);
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.cap || p.paragraphs[t.para]!.boilerplate) continue;
    // The run of capitalised words from here: "Captain Ilse Brandt", "Anne de Vries", "Dr. Morrow".
    let k = i + 1;
    while (k < tokens.length) {
      const prev = tokens[k - 1]!;
      const next = tokens[k]!;
      if (next.sent !== t.sent || prev.possessive) break;
      const gap = text.slice(prev.end, next.start);
      if (!(gap === " " || (gap === ". " && ABBREVIATED.has(prev.lower)))) break;
      if (next.cap) k++;
      else if (CONNECTORS.has(next.lower) && tokens[k + 1]?.cap && tokens[k + 1]!.sent === t.sent && text.slice(next.end, tokens[k + 1]!.start) === " ") k += 2;
      else break;
    }
    let a = i;
    // Sentence openers such as "Then" or "When" are not part of the name after them.
    while (a < k && COMMON.has(tokens[a]!.lower) && !HONORIFICS.has(tokens[a]!.lower) && !covered[a]) a++;
    const span = tokens.slice(a, k);
    i = k - 1;
    if (!span.length) continue;
    const unknown = span.filter((u, j) => !covered[a + j] && u.cap && !plain(u));
    if (!unknown.length) continue;
    const lone = span.length === 1;
    const head = span[0]!;
    // A lone capitalised word proves little when a sentence opens with it or when the chapter also
    // writes it in lower case; it still counts if the same word shows up as a name elsewhere.
    let evidence = !(lone && lowerUse.has(head.lower));
    if (lone && head.initial) {
      // "Corvin said nothing." names someone; "“Fifteen,” said the magistrate." does not.
      const next = tokens[a + 1];
      const speaks = !!next && next.sent === head.sent && /^\s+$/.test(text.slice(head.end, next.start)) && SPEECH_VERBS.has(next.lower);
      evidence = head.possessive || speaks;
    }
    const last = span.at(-1)!;
    const display = text.slice(span[0]!.start, last.possessive ? last.end - 2 : last.end);
    note(unknown.map((u) => u.lower).join(" "), { at: head.start, token: a, display, evidence });
  }

  for (const list of seen.values()) {
    if (!list.some((s) => s.evidence)) continue;
    const first = list[0]!;
    const { quote, at } = sentenceQuote(p, tokens[first.token]!);
    out.push(
      draft(
        "unknown_name",
        "warning",
        `"${first.display}" is not a character, a place or a nickname in this book: add it to the cast or the places, or fix the spelling.`,
        { quote, at, names: [first.display] },
      ),
    );
  }
  return out;
}
