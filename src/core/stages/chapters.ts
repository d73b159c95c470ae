// The prose of one chapter, streamed. The previous text becomes a revision in the same commit. In
// a book with memory (sequential or hybrid) its prompt also carries what was written before it
// (docs/MEMORY.md); in a parallel one it is today's prompt.
import { lastWords, mergeStates, storySoFar } from "../memory";
import { chapterPrompt, PREVIOUS_ENDING_WORDS, type ChapterMemory } from "../prompts";
import { DEMO_NOTICE, premiseThings, rng, sentences } from "../demo-kit";
import { chapterById, entryOf, type StoryContext } from "../story";
import type { PromptParams, ProseStage } from "./types";
import { perChapter, skipping } from "./units";

/** A chapter is predicted at no less than its target length (about 1.35 tokens a word). */
export const TOKENS_PER_WORD = 1.35;

/**
 * What chapter `chapterId` remembers. The digests of earlier chapters, except those this run
 * rewrites in parallel (hybrid: their old digests describe prose that is being replaced), and only
 * fresh ones (the engine refreshes stale ones first). It starts from its entry contract in a hybrid
 * book, else from the characters' merged states; the previous chapter's actual ending is quoted
 * when that chapter was written before this one started.
 */
export function chapterMemory(s: StoryContext, chapterId: number, p: PromptParams): ChapterMemory {
  const i = s.chapters.findIndex((c) => c.id === chapterId);
  const writing = new Set(p.writing ?? []);
  const inParallel = (id: number) => p.mode === "hybrid" && writing.has(id);
  const earlier = s.chapters
    .slice(0, i)
    .filter((c) => c.digest && c.digestFresh && !inParallel(c.id))
    .map((c) => ({ number: c.number, digest: c.digest! }));
  const entry = entryOf(s, chapterId);
  const prev = s.chapters[i - 1];
  const prevText = prev && !inParallel(prev.id) ? p.prose?.[prev.id] : undefined;
  return {
    storySoFar: storySoFar(earlier),
    stateAtStart: p.mode === "hybrid" && entry ? [] : mergeStates(earlier.map((e) => e.digest)),
    entry: p.mode === "hybrid" ? entry : null,
    exit: p.mode === "hybrid" ? (s.chapters[i]!.exit ?? null) : null,
    previousEnding: prevText ? lastWords(prevText, PREVIOUS_ENDING_WORDS) : null,
  };
}

const withMemory = (p: PromptParams) => p.mode === "sequential" || p.mode === "hybrid";

export const chaptersStage: ProseStage = {
  kind: "prose",
  units: (s, o) => perChapter("chapters", "chapter", s, o, (c) => !(skipping(o) && c.hasContent)),
  prompt: (u, s, p) => chapterPrompt(s, u.chapterId!, p.instructions, withMemory(p) ? chapterMemory(s, u.chapterId!, p) : undefined, p.bible),
  predictedOutputTokens: (s, cfg) => Math.max(cfg.predictedOutputTokens, Math.round(s.targetChapterWords * TOKENS_PER_WORD)),
  promptGrowsWith: ["meta", "summaries", "arcs", "contracts", "guides"],
  // A continuation of a reply cut off at its cap, or one expand or tighten pass.
  extraCalls: 1,
  // What memory will add that a quote cannot see yet: in a sequential book, the digests this run
  // writes for the chapters before this one and the characters' states; the previous chapter's
  // ending whenever it will be quoted.
  unseenInputTokens: (u, s, p, cfg) => {
    if (!withMemory(p)) return 0;
    const i = s.chapters.findIndex((c) => c.id === u.chapterId);
    const writing = new Set(p.writing ?? []);
    const prev = s.chapters[i - 1];
    let n = 0;
    if (p.mode === "sequential") {
      const due = s.chapters.slice(0, i).filter((c) => writing.has(c.id) || (c.hasContent && !(c.digest && c.digestFresh))).length;
      // A digest in <story_so_far> drops its quotes and JSON punctuation: about two thirds of it.
      n += due * Math.round(cfg("digests").predictedOutputTokens * 0.65) + (due ? 40 * s.characters.length : 0);
    }
    const quoted = prev && (p.mode === "sequential" ? writing.has(prev.id) || prev.hasContent : !writing.has(prev.id) && prev.hasContent);
    if (quoted && !p.prose?.[prev.id]) n += Math.round(PREVIOUS_ENDING_WORDS * TOKENS_PER_WORD) + 10;
    return n;
  },
  demo: ({ story, chapterId }) => demoProse(story, chapterId!),
};

/**
 * The demo's prose: each beat told in its share of the target length, opening with the beat
 * itself, with only that beat's characters on stage.
 */
function demoProse(s: StoryContext, chapterId: number): string {
  const c = chapterById(s, chapterId)!;
  const r = rng(`chapter:${s.id}:${chapterId}:${c.summary}`);
  const firstName = new Map(s.characters.map((x) => [x.name, x.name.split(" ")[0]!]));
  const beats = c.guide.length ? c.guide : [{ text: c.summary, characters: s.characters.slice(0, 2).map((x) => x.name), locations: [] }];
  const things = premiseThings(s);
  const count = (xs: string[]) => xs.join(" ").split(/\s+/).length;
  const paragraphs: string[] = [DEMO_NOTICE];
  let words = 0;
  for (const [k, b] of beats.entries()) {
    const goal = Math.round((s.targetChapterWords * (k + 1)) / beats.length);
    const scene = { cast: b.characters.map((n) => firstName.get(n) ?? n), place: b.locations[0] ?? s.locations[0]?.name ?? "town", things };
    let para = [b.text];
    while (words + count(para) < goal) {
      for (const x of sentences(r, scene, 4 + Math.floor(r() * 3))) {
        para.push(x);
        if (words + count(para) >= goal) break;
      }
      paragraphs.push(para.join(" "));
      words += count(para);
      para = [];
    }
    if (para.length) paragraphs.push(para.join(" ")), (words += count(para));
    if (k < beats.length - 1) paragraphs.push("* * *");
  }
  return paragraphs.join("\n\n");
}
