// The beats of one chapter, keyed by chapter id (never by title, which authors rename). Names a
// beat gives that are not in the cast or the places are dropped and reported.
import { z } from "zod";
import { LIMITS } from "../../shared/schemas";
import { pick, rng } from "../demo-kit";
import { guidePrompt } from "../prompts";
import { chapterById, type StoryContext } from "../story";
import { clip, uniqueCaseless } from "../text";
import type { JsonStage } from "./types";
import { perChapter, skipping } from "./units";

export const GuideOutput = z.strictObject({
  parts: z.array(z.strictObject({ text: z.string(), characters: z.array(z.string()), locations: z.array(z.string()) })),
});
type Guide = z.infer<typeof GuideOutput>;

/** Beats with names mapped to the cast's spelling; names the story does not have are dropped and reported. */
export function toGuide(v: Guide, s: StoryContext) {
  const chars = new Map(s.characters.map((c) => [c.name.toLowerCase(), c.name]));
  const locs = new Map(s.locations.map((l) => [l.name.toLowerCase(), l.name]));
  const dropped = new Set<string>();
  const keep = (names: string[], known: Map<string, string>) =>
    uniqueCaseless(names).flatMap((n) => {
      const name = known.get(n.trim().toLowerCase());
      if (!name) dropped.add(n.trim());
      return name ? [name] : [];
    });
  const parts = v.parts
    .filter((p) => p.text.trim())
    .slice(0, LIMITS.parts)
    .map((p) => ({ text: clip(p.text, LIMITS.part), characters: keep(p.characters, chars), locations: keep(p.locations, locs) }));
  return { parts, dropped: [...dropped] };
}

export const guidesStage: JsonStage<Guide> = {
  kind: "json",
  units: (s, o) => perChapter("guides", "guide", s, o, (c) => !(skipping(o) && c.guide.length > 0)),
  prompt: (u, s) => guidePrompt(s, u.chapterId!),
  predictedOutputTokens: (_s, cfg) => cfg.predictedOutputTokens,
  promptGrowsWith: ["meta", "summaries", "arcs", "contracts"],
  output: {
    name: "chapter_guide",
    schema: GuideOutput,
    check: (v, s) => {
      const n = toGuide(v, s).parts.length;
      return n >= 4 && n <= 8 ? null : `it has ${n} beats; give four to eight`;
    },
  },
  demo: ({ story, chapterId }) => demoGuide(story, chapterId!),
};

function demoGuide(s: StoryContext, chapterId: number): Guide {
  const c = chapterById(s, chapterId)!;
  const r = rng(`guide:${s.id}:${chapterId}:${c.summary}`);
  const names = s.characters.map((x) => x.name);
  const places = s.locations.map((x) => x.name);
  const steps = ["Opening image", "Complication", "Turn", "Closing hook"];
  return {
    parts: steps.map((step) => {
      const who = names.length ? [pick(r, names)] : [];
      const where = places.length ? [pick(r, places)] : [];
      return {
        text: `${step}: ${c.summary.split(/(?<=[.!?])\s/)[0] ?? c.title} ${who[0] ?? "The protagonist"} ${step === "Turn" ? "learns something that changes the plan" : step === "Closing hook" ? "is left with a question" : "faces the moment"}${where[0] ? ` at ${where[0]}` : ""}.`,
        characters: who,
        locations: where,
      };
    }),
  };
}
