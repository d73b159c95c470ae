// What the built-in demo model writes with: deterministic randomness (the same story always gets
// the same answers, so a demo book reads the same every time and tests can pin it), the notice
// that opens its prose, the things of the story's own premise it writes about, and a small
// grammar that never repeats itself for long. A demo book passes its own continuity report
// (docs/CONTINUITY.md): no two characters share a name part, every chapter tells its own beats,
// and no run of eight words recurs often enough to read as copied.
import { STOPWORDS } from "./continuity/words";

export const DEMO_NOTICE = "*Demo text, written by NovelApp's built-in demo model rather than a language model.*";

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A seeded generator of numbers in [0, 1). */
export function rng(seed: string) {
  let a = hash(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export function shuffle<T>(r: () => number, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Who a demo chapter is about: the two leads (who end every chapter together) and one other, in turn. */
export function chapterCast<T>(cast: readonly T[], i: number): T[] {
  if (cast.length <= 2) return [...cast];
  const others = cast.slice(2);
  return [cast[0]!, cast[1]!, others[i % others.length]!];
}

/**
 * The things a story's premise talks about, as noun phrases ("the harbour town's records", "the
 * winter storms"): the words after an article or a possessive, up to a function word. The title
 * is the fallback, so every demo book writes about its own subject.
 */
export function premiseThings(s: { title: string; details: string }): string[] {
  const out = new Set<string>();
  for (const m of s.details.matchAll(/\b(?:the|a|an|her|his|their|its|our|my)\s+([A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3})/gi)) {
    const words: string[] = [];
    for (const w of m[1]!.split(/\s+/)) {
      if (STOPWORDS.has(w.toLowerCase()) || /^\p{Lu}/u.test(w)) break;
      words.push(w.replace(/[^\w'’-]+$/, ""));
      // Two words ("winter storms"), or three through a possessive ("the town's records").
      if (words.length >= 2 && !/['’]s$/.test(words.at(-1)!)) break;
      if (words.length === 3) break;
    }
    if (words.length && !/['’]s$/.test(words.at(-1)!)) out.add(`the ${words.join(" ").toLowerCase()}`);
  }
  const title = s.title.replace(/^(the|a|an)\s+/i, "").toLowerCase().replace(/[^\p{L}\p{N}' -]/gu, "").trim();
  if (title) out.add(`the ${title}`);
  return out.size ? [...out] : ["the letter"];
}

// ---------------------------------------------------------------- the prose grammar

// Every sentence form makes a fresh choice every two or three words (an adjective and a noun, a
// verb, a sound and where it comes from), so an eight-word run recurs in a long book only by chance.
const W = (s: string) => s.split("|");
const TIME = W(
  "At first light|Later that morning|By noon|Before anyone woke|Toward evening|Long after dark|For a while|Before supper|When the bells stopped|Not long after|Around midday|Once the rain eased|Before the lamps were lit|In the small hours|After a long silence|While the kettle heated|Halfway through the afternoon|As the tide turned|Near midnight|With the shutters closed|At dusk|Just then|Soon enough|By the second hour",
);
const ADJ = W(
  "brass|cracked|cold|narrow|heavy|faded|salt-stained|crooked|borrowed|unlabelled|chipped|dusty|folded|wet|half-burnt|tarnished|unopened|familiar|splintered|blue|waxed|dented|yellowed|knotted|small|oilcloth|iron|paper|cedar|threadbare|green|warm|sticky|loose|spare|old|red|greasy|polished|broken",
);
const NOUN = W(
  "lantern|ledger|kettle|rope|window|key|coat|chair|map|envelope|photograph|door|table|ring|clock|bottle|notebook|blanket|stair|box|compass|lamp|jar|scarf|bench|spoon|gate|bell|drawer|railing|basket|pencil|mirror|shelf|cup|glove|ticket|button|candle|satchel",
);
const VERB = W(
  "set down|picked up|turned over|studied|pocketed|wiped|folded|unwrapped|straightened|weighed|tapped|hid|returned|opened|closed|counted|traced|held up|nudged|lifted|steadied|examined|polished|dropped|tested|moved|found|fetched|checked|sorted",
);
const PREP = W("beside|under|next to|behind|on top of|against|near|inside|across from|below");
const MOVE = W("crossed to|leaned on|sat down by|stood at|waited near|knelt beside|paced past|stopped at|backed away from|reached for|looked at|came back to");
const MANNER = W(
  "quietly|at last|without looking up|too quickly|almost kindly|under a breath|with a tired smile|as if it were nothing|sharply|after a moment|softly|flatly|carefully|with a shrug|slowly|twice|gently|again|absently|deliberately",
);
const FEEL = W(
  "uneasy|calm|ashamed|hopeful|tired|certain|afraid|relieved|angry|curious|watched|lighter|older|restless|foolish|determined|cold|awake|guilty|patient|stubborn|small|ready|lost",
);
const ROOM = W("room|hall|stairwell|kitchen|yard|lane|landing|porch|cellar|attic|shed|workshop|doorway|corridor|parlour|pantry");
const SENSE = W(
  "woodsmoke|wet wool|lamp oil|bread|rain|pine resin|old paper|tar|cold tea|mint|cinders|orange peel|river mud|soap|candle wax|ink|dust|apples|seaweed|coffee|vinegar|rust|lavender|smoke",
);
const NOISE = W(
  "a dog barked|a cart rattled|gulls shrieked|a shutter banged|someone laughed|the pipes knocked|a clock struck|a door slammed|boots scraped|the wind moaned|a bell rang|a kettle whistled|a radio crackled|a child called|rain drummed|a gate creaked|a horse snorted|glass broke",
);
const FROM = W("down the lane|behind the wall|overhead|across the yard|far off|in the next room|below the window|near the water|on the stair|past the gate|close by|in the street|upstairs|outside");
const THOUGHT = W("thought about {T}|wondered about {T}|tried to forget {T}|remembered {T}|let {T} wait|kept coming back to {T}|worried about {T}|said nothing about {T}");
const LINE = W(
  "You knew about {T}|Tell me again|Not here|I thought you'd left|We don't have long|Say it plainly|Nobody asked you to|Then it's decided|I'm only tired|Show me|You should have said|Then we go tonight|Leave {T} out of it|I kept my word|Come inside|It wasn't me|Wait|Look at this|Not yet|Listen|You're wrong|Don't|Keep your voice down|Go on|I'm sorry|You're late|Forget {T}|We start with {T}",
);
const ASK = W(
  "Who told you|How long|Where were you|Why now|Is that all|What do you want|Did you know about {T}|Are you sure|What happened to {T}|Did anyone see you|Can we trust them|Why didn't you say|What about {T}|Who else knows|When did it start|Is it true",
);
const SAY = W("said|muttered|answered|whispered|snapped|murmured|called|admitted");
const ASK_VERB = W("asked|said|whispered|wanted to know|demanded|murmured");
const GESTURE = W(
  "folding both arms|rubbing a wrist|glancing at the door|without turning|setting a cup down|pulling a chair closer|eyes down|half smiling|wiping both hands|leaning on the wall|frowning|shaking a head|not moving|looking away|standing up|sitting back",
);

export type ProseScene = { cast: string[]; place: string; things: string[] };

/** `n` sentences of demo prose about the scene (at most ten), no sentence form used twice. */
export function sentences(r: () => number, s: ProseScene, n: number): string[] {
  const who = () => (s.cast.length ? pick(r, s.cast) : "The stranger");
  const thing = () => `the ${pick(r, ADJ)} ${pick(r, NOUN)}`;
  const t = (x: string) => x.replace(/\{T\}/g, () => pick(r, s.things));
  const forms: (() => string)[] = [
    () => `${pick(r, TIME)}, ${who()} ${pick(r, VERB)} ${thing()} and ${t(pick(r, THOUGHT))}.`,
    () => `${who()} ${pick(r, VERB)} ${thing()} ${pick(r, PREP)} ${thing()}, ${pick(r, MANNER)}.`,
    () => `The ${pick(r, ROOM)} smelled of ${pick(r, SENSE)} and ${pick(r, SENSE)}.`,
    () => `${pick(r, TIME)}, ${pick(r, NOISE)} ${pick(r, FROM)}.`,
    () => `"${t(pick(r, LINE))}," ${who()} ${pick(r, SAY)}, ${pick(r, GESTURE)}.`,
    () => `${who()} felt ${pick(r, FEEL)}, then ${pick(r, FEEL)}, and ${pick(r, MOVE)} ${thing()}.`,
    () => `Somewhere ${pick(r, FROM)}, ${pick(r, NOISE)}; ${who()} ${pick(r, VERB)} ${thing()}.`,
    () => `${who()} ${pick(r, MOVE)} ${thing()} in ${s.place} and ${pick(r, VERB)} ${thing()}.`,
    () => `"${t(pick(r, ASK))}?" ${who()} ${pick(r, ASK_VERB)}, ${pick(r, MANNER)}.`,
    () => `${who()} ${pick(r, MOVE)} ${thing()}, ${pick(r, GESTURE)}, and ${pick(r, VERB)} ${thing()}.`,
  ];
  return shuffle(r, forms)
    .slice(0, n)
    .map((f) => f());
}
