// The outline: a title and summary for each of the story's chapters, exactly chaptersCount of
// them. Updates chapters 1..n in place (ids and prose kept) and adds missing ones.
import { z } from "zod";
import { LIMITS } from "../../shared/schemas";
import { chapterCast, pick, premiseThings, rng, shuffle } from "../demo-kit";
import { summariesPrompt } from "../prompts";
import type { StoryContext } from "../story";
import { clip } from "../text";
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

// Each chapter of a demo outline turns on its own event, so no two summaries read alike.
const EVENTS = [
  ["An arrival", "arrives to find"],
  ["A discovery", "uncovers"],
  ["A refusal", "refuses to give up"],
  ["A bargain", "strikes a bargain over"],
  ["A betrayal", "is betrayed over"],
  ["The storm", "is trapped by a storm with"],
  ["A confession", "confesses the truth about"],
  ["The chase", "gives chase after"],
  ["A loss", "loses"],
  ["The reckoning", "faces the reckoning of"],
  ["A warning", "ignores a warning about"],
  ["The search", "searches for"],
  ["A reunion", "is reunited with an old rival over"],
  ["The test", "is tested by"],
  ["A lie", "lies about"],
  ["The crossing", "crosses the water with"],
] as const;

function demoSummaries(s: StoryContext): Summaries {
  const r = rng(`summaries:${s.id}:${s.title}`);
  const things = premiseThings(s);
  const places = s.locations.length ? s.locations.map((l) => l.name) : ["the town"];
  const events = shuffle(r, EVENTS);
  return {
    chapters: Array.from({ length: s.chaptersCount }, (_, i) => {
      const [title, verb] = events[i % events.length]!;
      const where = places[(i + 1) % places.length]!;
      const cast = chapterCast(s.characters, i).map((c) => c.name);
      const who = (i % 2 ? cast[2] : cast[0]) ?? cast[0] ?? "The heroine";
      const phase = i === 0 ? "The story opens" : i === s.chaptersCount - 1 ? "Everything comes to a head" : pick(r, ["The stakes rise", "Nothing is simple any more", "Old loyalties strain", "The town takes sides"]);
      return {
        title: `${title} at ${where}`,
        summary: `${who} ${verb} ${things[i % things.length]} at ${where}. ${phase}: ${cast.filter((n) => n !== who).join(" and ") || who} must decide how much of the truth to tell.`,
      };
    }),
  };
}
