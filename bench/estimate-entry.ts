// Bundled by bench/estimate-cpu.mjs and run in a fresh Node process: the CPU time of the first
// estimate (tokenizer module load and build included) and of the ones after it.
import { DEFAULT_CREDIT_CONFIG, DEFAULT_STAGE_CONFIG, DEFAULT_TOKEN_COST } from "../src/core/defaults";
import { quoteStage } from "../src/core/plan";
import type { Pricing } from "../src/core/pricing";
import type { StoryContext } from "../src/core/story";
import { countPromptTokens } from "../src/core/tokens";

const pricing: Pricing = {
  cost: DEFAULT_TOKEN_COST,
  modifiers: Object.fromEntries(DEFAULT_CREDIT_CONFIG.map((c) => [c.action, c.modifier])),
  stages: Object.fromEntries(DEFAULT_STAGE_CONFIG.map(({ stage, ...s }) => [stage, s])) as Pricing["stages"],
};
const story: StoryContext = {
  id: 1,
  title: "The Lighthouse Keeper",
  details: "A keeper on a remote island finds letters from a drowned town. ".repeat(8),
  tags: ["mystery", "sea"],
  inspirations: "Rebecca; The Shipping News",
  writingStyle: "Quiet, lyrical, close third person",
  chaptersCount: 12,
  targetChapterWords: 2500,
  mature: false,
  coverImagePrompt: null,
  hasCover: false,
  characters: Array.from({ length: 6 }, (_, i) => ({
    name: `Person ${i}`,
    description: "A person with a past, a wish and a flaw the plot will test. ".repeat(2),
    exampleDialogue: '"I never said I was sorry. I said I was leaving."',
  })),
  locations: Array.from({ length: 4 }, (_, i) => ({ name: `Place ${i}`, description: "Salt, stone and wind. ".repeat(4) })),
  arcs: ["The keeper learns to trust.", "The town confesses.", "The sea gives back what it took."],
  chapters: Array.from({ length: 12 }, (_, i) => ({
    id: i + 1,
    number: i + 1,
    title: `Chapter ${i + 1}`,
    summary: "Something happens that changes what the characters want and what it costs them. ".repeat(3),
    guide: Array.from({ length: 5 }, () => ({ text: "A beat of the chapter. ".repeat(6), characters: ["Person 1"], locations: ["Place 0"] })),
    hasContent: false,
    imagePrompt: null,
  })),
};

const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

let t = process.cpuUsage();
await quoteStage("chapters", story, pricing, countPromptTokens);
const coldMs = cpuMs(t);
const warm: number[] = [];
for (let i = 0; i < 20; i++) {
  t = process.cpuUsage();
  await quoteStage("chapters", story, pricing, countPromptTokens);
  warm.push(cpuMs(t));
}
warm.sort((a, b) => a - b);
console.log(JSON.stringify({ coldMs, warmMs: warm[10] }));
