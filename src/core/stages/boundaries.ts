// The seam between two chapters of a hybrid book (docs/MEMORY.md). Chapters are drafted in
// parallel against their contracts; once chapter k is written and remembered, its actual ending is
// held against its exit contract, and only where they disagree is the opening of chapter k+1
// rewritten: one targeted call, never the whole chapter. Where they agree, no model is called.
import { boundaryPrompt } from "../prompts";
import { chapterById, type StoryContext } from "../story";
import { TOKENS_PER_WORD } from "./chapters";
import type { ProseStage, UnitOptions } from "./types";
import { perChapter } from "./units";

/** How much of a chapter counts as its opening: whole paragraphs up to about this many words. */
export const OPENING_WORDS = 250;

/** The chapter's opening (whole paragraphs, about OPENING_WORDS words) and the rest. */
export function splitOpening(prose: string): { opening: string; rest: string } {
  const paras = prose.split(/\n{2,}/);
  let words = 0;
  let i = 0;
  while (i < paras.length - 1 && words < OPENING_WORDS) words += paras[i++]!.split(/\s+/).filter(Boolean).length;
  return { opening: paras.slice(0, i).join("\n\n"), rest: paras.slice(i).join("\n\n") };
}

const hasPlannedPrevious = (s: StoryContext, id: number) => {
  const i = s.chapters.findIndex((c) => c.id === id);
  return i > 0 && !!s.chapters[i - 1]!.exit;
};

export const boundariesStage: ProseStage = {
  kind: "prose",
  units: (s, o: UnitOptions) =>
    perChapter("boundaries", "boundary", s, o, (c) => hasPlannedPrevious(s, c.id) && (c.hasContent || !!o.inBook)).map((u) => ({ ...u, optional: true })),
  // The real prompt needs the previous chapter's ending and what disagrees (the engine builds it);
  // for a quote, its shape with both left empty.
  prompt: (u, s, p) =>
    boundaryPrompt(s, u.chapterId!, { previousEnding: "", mismatches: [], opening: p.prose?.[u.chapterId!] ?? "", openingWords: OPENING_WORDS }, p.bible),
  predictedOutputTokens: (_s, cfg) => cfg.predictedOutputTokens,
  promptGrowsWith: ["meta", "summaries", "arcs"],
  unseenInputTokens: (u, s) => (chapterById(s, u.chapterId!) ? Math.round((200 + OPENING_WORDS) * TOKENS_PER_WORD) + 60 : 0),
  demo: ({ story, chapterId }) => {
    const c = chapterById(story, chapterId!)!;
    return `${c.guide[0]?.text ?? c.summary} The way here had been longer than anyone planned, and it showed.`;
  },
};
