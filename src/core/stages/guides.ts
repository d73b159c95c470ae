// The beats of one chapter, keyed by chapter id (never by title, which authors rename). Names a
// beat gives that are not in the cast or the places are dropped and reported.
import { z } from "zod";
import { LIMITS } from "../../shared/schemas";
import { chapterCast, pick, premiseThings, rng } from "../demo-kit";
import { guidePrompt } from "../prompts";
import type { StoryContext } from "../story";
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
  prompt: (u, s, p) => guidePrompt(s, u.chapterId!, p.bible),
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

/**
 * The demo's beats: the chapter starts where its entry contract puts it and ends where its exit
 * does, with the two leads together (docs/MEMORY.md), and every beat names only the chapter's cast.
 */
function demoGuide(s: StoryContext, chapterId: number): Guide {
  const i = s.chapters.findIndex((c) => c.id === chapterId);
  const c = s.chapters[i]!;
  const r = rng(`guide:${s.id}:${chapterId}:${c.summary}`);
  const [lead, second, other] = chapterCast(s.characters.map((x) => x.name), i);
  const places = s.locations.map((x) => x.name);
  const at = (k: number) => (places.length ? [places[k % places.length]!] : []);
  const thing = pick(r, premiseThings(s));
  const focus = other ?? second ?? lead;
  const beat = (text: string, characters: (string | undefined)[], locations: string[]) => ({
    text,
    characters: [...new Set(characters.filter((x): x is string => !!x))],
    locations,
  });
  const entry = at(i)[0] ?? "the town";
  const exit = at(i + 1)[0] ?? "the town";
  const middle = at(i + 3)[0] ?? entry;
  return {
    parts: [
      beat(`${lead ?? "The protagonist"} comes to ${entry} ${pick(r, ["with a question nobody wants asked", "looking for answers", "later than promised", "carrying news", "in a borrowed coat", "half expecting trouble", "before the rain", "alone, against advice", "with a letter unopened", "at a run"])}.`, [lead], at(i)),
      beat(`${focus ?? "A stranger"} ${pick(r, ["brings word of", "lets slip the truth about", "turns up with", "will not talk about", "asks too many questions about", "has been hiding", "offers a trade for", "lies about", "comes back changed by", "was seen with"])} ${thing} at ${middle}.`, [focus], at(i + 3)),
      beat(`${[lead, focus].filter(Boolean).join(" and ")} ${pick(r, ["argue over what to do", "make a plan neither likes", "find what was hidden", "are interrupted at the worst moment", "share a meal and a silence", "follow a stranger", "count what is left", "break a promise", "nearly come to blows", "laugh for the first time in days"])}.`, [lead, focus], at(i + 3)),
      beat(`At ${exit}, ${[lead, second].filter(Boolean).join(" and ")} ${pick(r, ["face what comes next", "agree to keep a secret", "see the first proof", "part on a hard word", "wait out the night", "make a choice they cannot undo", "hear the worst of it", "close the door on the past", "find the way blocked", "decide to tell no one"])}.`, [lead, second], at(i + 1)),
    ],
  };
}
