// The story arcs that run through the outline. Replaces the story's arcs.
import { z } from "zod";
import { LIMITS } from "../../shared/schemas";
import { arcsPrompt } from "../prompts";
import type { StoryContext } from "../story";
import { clip } from "../text";
import { premise } from "./meta";
import type { JsonStage } from "./types";
import { oneUnit, skipping } from "./units";

export const ArcsOutput = z.strictObject({ arcs: z.array(z.string()) });
type Arcs = z.infer<typeof ArcsOutput>;

export const toArcs = (v: Arcs) => v.arcs.map((a) => clip(a, LIMITS.arc)).filter(Boolean).slice(0, LIMITS.arcs);

export const arcsStage: JsonStage<Arcs> = {
  kind: "json",
  units: (s, o) => (skipping(o) && s.arcs.length > 0 ? [] : oneUnit("arcs")),
  prompt: (_u, s) => arcsPrompt(s),
  predictedOutputTokens: (_s, cfg) => cfg.predictedOutputTokens,
  promptGrowsWith: ["meta", "summaries"],
  output: {
    name: "story_arcs",
    schema: ArcsOutput,
    check: (v) => {
      const n = toArcs(v).length;
      return n >= 3 && n <= 6 ? null : `it lists ${n} arcs; give three to six`;
    },
  },
  demo: ({ story }) => demoArcs(story),
};

function demoArcs(s: StoryContext): Arcs {
  const [a, b] = s.characters;
  const n = s.chapters.length || s.chaptersCount;
  return {
    arcs: [
      `Main plot: ${premise(s)} It opens in chapter 1, turns at chapter ${Math.max(1, Math.ceil(n / 2))} and resolves in chapter ${n}.`,
      a ? `${a.name}: from guarded silence to the courage to speak, breaking in chapter ${Math.max(1, n - 1)}.` : "The protagonist learns to act.",
      b ? `${b.name}: loyalty tested by an old secret, repaired only at the end.` : "A friendship tested and repaired.",
      `Theme: what a place remembers about the people who leave it.`,
    ],
  };
}
