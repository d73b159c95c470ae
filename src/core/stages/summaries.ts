// The outline: a title and summary for each of the story's chapters, exactly chaptersCount of
// them. Updates chapters 1..n in place (ids and prose kept) and adds missing ones.
import { z } from "zod";
import { LIMITS } from "../../shared/schemas";
import { pick, rng } from "../demo-kit";
import { summariesPrompt } from "../prompts";
import type { StoryContext } from "../story";
import { clip } from "../text";
import { premise } from "./meta";
import type { JsonStage } from "./types";
import { oneUnit, skipping } from "./units";

export const SummariesOutput = z.strictObject({
  chapters: z.array(z.strictObject({ title: z.string(), summary: z.string() })),
});
type Summaries = z.infer<typeof SummariesOutput>;

export const toOutline = (v: Summaries) =>
  v.chapters.map((c) => ({ title: clip(c.title, LIMITS.title), summary: clip(c.summary, LIMITS.summary) }));

const outlineComplete = (s: StoryContext) =>
  s.chapters.length >= s.chaptersCount && s.chapters.every((c) => c.summary.trim() !== "");

export const summariesStage: JsonStage<Summaries> = {
  kind: "json",
  units: (s, o) => (skipping(o) && outlineComplete(s) ? [] : oneUnit("summaries")),
  prompt: (_u, s) => summariesPrompt(s),
  // The setting is per chapter of the outline.
  predictedOutputTokens: (s, cfg) => cfg.predictedOutputTokens * s.chaptersCount,
  promptGrowsWith: ["meta"],
  output: {
    name: "chapter_summaries",
    schema: SummariesOutput,
    check: (v, s) => (v.chapters.length === s.chaptersCount ? null : `it has ${v.chapters.length} chapters instead of exactly ${s.chaptersCount}`),
  },
  demo: ({ story }) => demoSummaries(story),
};

function demoSummaries(s: StoryContext): Summaries {
  const names = s.characters.map((c) => c.name);
  const places = s.locations.map((l) => l.name);
  const r = rng(`summaries:${s.id}:${s.title}`);
  const beats = ["an arrival", "a discovery", "a refusal", "a bargain", "a betrayal", "a storm", "a confession", "a chase", "a loss", "a reckoning"];
  return {
    chapters: Array.from({ length: s.chaptersCount }, (_, i) => {
      const who = names.length ? pick(r, names) : "The heroine";
      const where = places.length ? pick(r, places) : "the town";
      const beat = beats[i % beats.length]!;
      const phase = i === 0 ? "The story opens" : i === s.chaptersCount - 1 ? "Everything comes to a head" : "The stakes rise";
      return {
        title: `${beat.replace(/^(an?|the) /, "")} at ${where}`.replace(/^./, (ch) => ch.toUpperCase()),
        summary: `${phase} with ${beat} at ${where}. ${who} must decide how much of the truth to tell, and ${premise(s).toLowerCase().replace(/\.$/, "")} comes one step closer. The chapter ends on a question that pulls the reader into chapter ${Math.min(i + 2, s.chaptersCount)}.`,
      };
    }),
  };
}
