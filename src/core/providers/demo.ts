// The built-in demo model: no network, deterministic, schema-valid answers built from the story's
// own inputs, prose clearly marked as demo text, realistic lengths, a small delay and streaming.
// It makes the whole product usable offline and without keys (SPEC §14).
import { chapterById, type StoryContext } from "../story";
import { encodePng } from "./png";
import type { ChatRequest, ChatResult, ModelProvider, Task } from "./types";

export const DEMO_NOTICE = "*Demo text, written by NovelApp's built-in demo model rather than a language model.*";

const FIRST = ["Mara", "Elias", "Noor", "Tobias", "Ines", "Caspian", "Wren", "Ada", "Jonah", "Lio", "Sable", "Petra"];
const LAST = ["Vance", "Okafor", "Lindqvist", "Hale", "Moreau", "Castillo", "Reyes", "Achterberg", "Quill", "Sato"];
const PLACES = [
  ["The Harbour Steps", "worn stone stairs slick with salt, where the fishing boats tie up at dusk"],
  ["Greywater Library", "a cold reading room of green lamps and ledgers nobody has opened in decades"],
  ["The Old Lighthouse", "a white tower on the point, its lamp dark, its keeper's logbook still on the desk"],
  ["Market Row", "a crooked street of awnings, spice smoke and overheard secrets"],
  ["The Orchard House", "a sagging farmhouse among apple trees, warm kitchen, locked attic"],
  ["North Ridge", "a wind-scoured ridge above the town with a view of everything that moves"],
] as const;
const ROLES = ["the reluctant protagonist", "a loyal friend with a secret", "the rival who is not wrong", "a mentor out of time", "the one who wants the truth buried", "a stranger who knows too much"];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function rng(seed: string) {
  let a = hash(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const premise = (s: StoryContext) => (s.details.split(/(?<=[.!?])\s/)[0] || s.title).trim();

function meta(s: StoryContext) {
  const r = rng(`meta:${s.id}:${s.title}`);
  const count = Math.min(6, Math.max(3, Math.ceil(s.chaptersCount / 3) + 2));
  const used = new Set<string>();
  const characters = Array.from({ length: count }, (_, i) => {
    let name = "";
    do name = `${pick(r, FIRST)} ${pick(r, LAST)}`;
    while (used.has(name));
    used.add(name);
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

function summaries(s: StoryContext) {
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

function arcs(s: StoryContext) {
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

function guide(s: StoryContext, chapterId: number) {
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

function prose(s: StoryContext, chapterId: number): string {
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

function answer(task: Task): unknown {
  const s = task.story;
  switch (task.stage) {
    case "meta":
      return meta(s);
    case "summaries":
      return summaries(s);
    case "arcs":
      return arcs(s);
    case "guides":
      return guide(s, task.chapterId!);
    default:
      throw new Error(`The demo model has no JSON answer for ${task.stage}`);
  }
}

export function createDemoProvider(opts: { delayMs?: number } = {}): ModelProvider {
  const delay = opts.delayMs ?? 250;
  return {
    name: "demo",
    async chat(req: ChatRequest): Promise<ChatResult> {
      await sleep(delay);
      return { text: JSON.stringify(answer(req.task)), usage: null, finish: "stop" };
    },
    async streamChat(req, onDelta): Promise<ChatResult> {
      const text = prose(req.task.story, req.task.chapterId!);
      const pieces = text.match(/[^\n]+\n*|\n+/g) ?? [text];
      const pause = Math.max(5, Math.round((delay * 8) / pieces.length));
      for (const p of pieces) {
        await sleep(pause);
        onDelta(p);
      }
      return { text, usage: null, finish: "stop" };
    },
    async image(req) {
      await sleep(delay);
      const r = rng(`image:${req.prompt}`);
      const [h1, h2] = [r() * 360, r() * 360];
      const bytes = await encodePng(256, 384, (x, y) => {
        const t = y / 384;
        const wave = Math.sin(x / 18 + t * 9) * 0.08;
        return hsl((h1 * (1 - t) + h2 * t) % 360, 0.45, 0.25 + 0.35 * t + wave);
      });
      return { bytes, contentType: "image/png" };
    },
  };
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  l = Math.min(1, Math.max(0, l));
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}
