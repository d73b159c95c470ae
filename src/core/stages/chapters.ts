// The prose of one chapter, streamed. The previous text becomes a revision in the same commit.
import { chapterPrompt } from "../prompts";
import { DEMO_NOTICE, pick, rng } from "../demo-kit";
import { chapterById, type StoryContext } from "../story";
import type { ProseStage } from "./types";
import { perChapter, skipping } from "./units";

/** A chapter is predicted at no less than its target length (about 1.35 tokens a word). */
export const TOKENS_PER_WORD = 1.35;

export const chaptersStage: ProseStage = {
  kind: "prose",
  units: (s, o) => perChapter("chapters", "chapter", s, o, (c) => !(skipping(o) && c.hasContent)),
  prompt: (u, s, p) => chapterPrompt(s, u.chapterId!, p.instructions),
  predictedOutputTokens: (s, cfg) => Math.max(cfg.predictedOutputTokens, Math.round(s.targetChapterWords * TOKENS_PER_WORD)),
  promptGrowsWith: ["meta", "summaries", "arcs", "guides"],
  demo: ({ story, chapterId }) => demoProse(story, chapterId!),
};

const SENTENCES = [
  "The wind came off the water in long grey breaths, and {who} pulled the collar of the coat higher.",
  "Nobody in {where} spoke of it openly, but everyone had an opinion about what had happened.",
  "\"You're late,\" said {who2}, not looking up. \"Or early, depending on what you came for.\"",
  "{who} counted the steps without meaning to, the way one counts heartbeats in the dark.",
  "There was a smell of rain and old paper, and underneath it something sweeter, like fruit left too long.",
  "For a moment the whole of {where} seemed to hold its breath.",
  "\"I only want the truth,\" {who} said, and heard how thin it sounded.",
  "The light shifted; somewhere a door closed, carefully, as if it did not want to be noticed.",
  "{who2} laughed, but the laugh did not reach the eyes, and both of them knew it.",
  "It would have been easy to turn back. That was exactly why {who} didn't.",
];

function demoProse(s: StoryContext, chapterId: number): string {
  const c = chapterById(s, chapterId)!;
  const r = rng(`chapter:${s.id}:${chapterId}:${c.summary}`);
  const names = s.characters.map((x) => x.name.split(" ")[0]!);
  const places = s.locations.map((x) => x.name);
  const fill = (t: string) =>
    t
      .replace(/\{who\}/g, names[0] ? pick(r, names) : "She")
      .replace(/\{who2\}/g, names[1] ? pick(r, names) : "He")
      .replace(/\{where\}/g, places.length ? pick(r, places) : "the town");
  const paragraphs: string[] = [DEMO_NOTICE];
  const beats = c.guide.length ? c.guide.map((p) => p.text) : [c.summary];
  let words = 0;
  let b = 0;
  while (words < s.targetChapterWords) {
    const lead = beats[b % beats.length]!;
    // Sentences of a paragraph are drawn without repeats.
    const pool = [...SENTENCES];
    const body = Array.from({ length: 4 + Math.floor(r() * 3) }, () => fill(pool.splice(Math.floor(r() * pool.length), 1)[0]!)).join(" ");
    const para = b < beats.length ? `${lead.replace(/^[^:]+:\s*/, "")} ${body}` : body;
    paragraphs.push(para);
    words += para.split(/\s+/).length;
    b++;
    if (b % 5 === 0) paragraphs.push("* * *");
  }
  return paragraphs.join("\n\n");
}
