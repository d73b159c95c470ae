// Characters and places, from the book's facts. Replaces the story's cast and locations.
import { z } from "zod";
import { LIMITS } from "../../shared/schemas";
import { rng, shuffle } from "../demo-kit";
import { metaPrompt } from "../prompts";
import { hasMeta, type StoryContext } from "../story";
import { clip, uniqueCaseless } from "../text";
import type { JsonStage } from "./types";
import { oneUnit, skipping } from "./units";

export const MetaOutput = z.strictObject({
  characters: z.array(z.strictObject({ name: z.string(), description: z.string(), example_dialogue: z.string() })),
  locations: z.array(z.strictObject({ name: z.string(), description: z.string() })),
});
type Meta = z.infer<typeof MetaOutput>;

/** Trimmed, clipped to the API's limits, names unique: what a model wrote becomes valid input. */
export function toMeta(v: Meta) {
  const firstOf = (xs: { name: string }[]) => {
    const names = new Set(uniqueCaseless(xs.map((x) => x.name.trim())).map((n) => n.toLowerCase()));
    return (x: { name: string }) => names.delete(x.name.trim().toLowerCase());
  };
  const firstChar = firstOf(v.characters);
  const firstLoc = firstOf(v.locations);
  return {
    characters: v.characters
      .filter((c) => c.name.trim() && firstChar(c))
      .slice(0, LIMITS.people)
      .map((c) => ({
        name: clip(c.name, LIMITS.name),
        description: clip(c.description, LIMITS.description),
        exampleDialogue: clip(c.example_dialogue, LIMITS.dialogue),
        aliases: [] as string[],
      })),
    locations: v.locations
      .filter((l) => l.name.trim() && firstLoc(l))
      .slice(0, LIMITS.people)
      .map((l) => ({ name: clip(l.name, LIMITS.name), description: clip(l.description, LIMITS.description), aliases: [] as string[] })),
  };
}

export const metaStage: JsonStage<Meta> = {
  kind: "json",
  units: (s, o) => (skipping(o) && hasMeta(s) ? [] : oneUnit("meta")),
  prompt: (_u, s) => metaPrompt(s),
  predictedOutputTokens: (_s, cfg) => cfg.predictedOutputTokens,
  promptGrowsWith: [],
  output: {
    name: "story_meta",
    schema: MetaOutput,
    check: (v) => {
      const { characters, locations } = toMeta(v);
      if (characters.length < 4 || characters.length > 8) return `it has ${characters.length} characters; give four to eight, each with a different name`;
      if (locations.length < 3 || locations.length > 6) return `it has ${locations.length} locations; give three to six, each with a different name`;
      return null;
    },
  },
  demo: ({ story }) => demoMeta(story),
};

// ---------------------------------------------------------------- the demo model's cast

// First and last names never share a word, so a demo cast has no name clash (docs/CONTINUITY.md).
const FIRST = ["Mara", "Elias", "Noor", "Tobias", "Ines", "Caspian", "Wren", "Ada", "Jonah", "Lio", "Sable", "Petra"];
const LAST = ["Vance", "Okafor", "Lindqvist", "Hale", "Moreau", "Castillo", "Reyes", "Achterberg", "Quill", "Sato"];
const PLACES = [
  ["Harbour Steps", "worn stone stairs slick with salt, where the fishing boats tie up at dusk"],
  ["Greywater Library", "a cold reading room of green lamps and ledgers nobody has opened in decades"],
  ["Point Lighthouse", "a white tower on the point, its lamp dark, its keeper's logbook still on the desk"],
  ["Market Row", "a crooked street of awnings, spice smoke and overheard secrets"],
  ["Orchard House", "a sagging farmhouse among apple trees, warm kitchen, locked attic"],
  ["North Ridge", "a wind-scoured ridge above the town with a view of everything that moves"],
] as const;
const ROLES = ["the reluctant protagonist", "a loyal friend with a secret", "the rival who is not wrong", "a mentor out of time", "the one who wants the truth buried", "a stranger who knows too much"];

export const premise = (s: StoryContext) => (s.details.split(/(?<=[.!?])\s/)[0] || s.title).trim();

function demoMeta(s: StoryContext): Meta {
  const r = rng(`meta:${s.id}:${s.title}`);
  const count = Math.min(6, Math.max(4, Math.ceil(s.chaptersCount / 3) + 2));
  const [first, last] = [shuffle(r, FIRST), shuffle(r, LAST)];
  const characters = Array.from({ length: count }, (_, i) => {
    const name = `${first[i]} ${last[i]}`;
    const role = ROLES[i % ROLES.length]!;
    return {
      name,
      description: `${name} is ${role} in "${s.title}". ${premise(s)} ${name.split(" ")[0]} wants to set things right but fears what it will cost.`,
      example_dialogue: `"You keep asking me what happened that night," ${name.split(" ")[0]} said. "Ask me what I'd do differently."`,
    };
  });
  const locations = PLACES.slice(0, Math.min(PLACES.length, Math.max(3, Math.ceil(count / 2) + 1))).map(([name, description]) => ({
    name,
    description: `${description}.`,
  }));
  return { characters, locations };
}
