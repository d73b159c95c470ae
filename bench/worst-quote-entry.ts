// Bundled by bench/worst-quote.mjs and run in a fresh Node process: the CPU time of a whole-book
// quote of the worst new story the API accepts: every field of the story at its maximum (title,
// details, 20 tags, inspirations, writing style, cover prompt, 100 chapters of 10 000 words), each
// text one single word, so each is one regex piece for the tokenizer to merge. The book's quote
// covers every stage: cast, outline, arcs, 100 beat sheets, 100 chapters, cover and 100 images.
//
// WORST_FULL=1 also fills everything later stages write, each at its maximum (60 characters and
// 60 places, 40 arcs, 100 chapters with 40 beats naming all 60 + 60): prompts of over 1 M
// characters each. That figure is reported, not held to the target (SECURITY.md).
import { DEFAULT_CREDIT_CONFIG, DEFAULT_STAGE_CONFIG, DEFAULT_TOKEN_COST } from "../src/core/defaults";
import { quoteBook } from "../src/core/plan";
import type { Pricing } from "../src/core/pricing";
import type { StoryContext } from "../src/core/story";
import { countPromptTokens } from "../src/core/tokens";
import { LIMITS } from "../src/shared/schemas";

const pricing: Pricing = {
  cost: DEFAULT_TOKEN_COST,
  modifiers: Object.fromEntries(DEFAULT_CREDIT_CONFIG.map((c) => [c.action, c.modifier])),
  stages: Object.fromEntries(DEFAULT_STAGE_CONFIG.map(({ stage, ...s }) => [stage, s])) as Pricing["stages"],
};

const letters = "abcdefghijklmnopqrstuvwxyz";
let seed = 1;
/** One word of `n` pseudo-random letters: no merge shortcut, nothing shared between fields. */
const word = (n: number) => {
  let s = "";
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    s += letters[seed % 26];
  }
  return s;
};
const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}${word(LIMITS.name - 8)}`);
const characterNames = names(LIMITS.people, "c");
const locationNames = names(LIMITS.people, "l");

const full = process.env.WORST_FULL === "1";
const story: StoryContext = {
  id: 1,
  title: word(LIMITS.title),
  details: word(LIMITS.details),
  tags: Array.from({ length: LIMITS.tags }, () => word(LIMITS.tag)),
  inspirations: word(LIMITS.inspirations),
  writingStyle: word(LIMITS.writingStyle),
  chaptersCount: LIMITS.chapters,
  targetChapterWords: 10_000,
  mature: true,
  coverImagePrompt: word(LIMITS.prompt),
  hasCover: false,
  characters: full ? characterNames.map((name) => ({ name, description: word(LIMITS.description), exampleDialogue: word(LIMITS.dialogue) })) : [],
  locations: full ? locationNames.map((name) => ({ name, description: word(LIMITS.description) })) : [],
  arcs: full ? Array.from({ length: LIMITS.arcs }, () => word(LIMITS.arc)) : [],
  chapters: Array.from({ length: LIMITS.chapters }, (_, i) => ({
    id: i + 1,
    number: i + 1,
    title: full ? word(LIMITS.title) : "",
    summary: full ? word(LIMITS.summary) : "",
    guide: full
      ? Array.from({ length: LIMITS.parts }, () => ({ text: word(LIMITS.part), characters: characterNames, locations: locationNames }))
      : [],
    hasContent: false,
    imagePrompt: null,
  })),
};

const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

// The tokenizer's first load is the cold estimate's business (bench/estimate-cpu.mjs), not this one's.
await countPromptTokens([{ role: "user", content: "warm up" }]);
const t = process.cpuUsage();
const q = await quoteBook(story, pricing, countPromptTokens, full);
const cpu = cpuMs(t);
console.log(JSON.stringify({ cpuMs: cpu, units: q.units.length, inputTokens: q.units.reduce((n, u) => n + (u.breakdown.inputTokens ?? 0), 0) }));
