// What the book remembers from a chapter's prose (docs/MEMORY.md): a cheap model reads the chapter
// (and its contracts) and records what is now true. Facts must quote the chapter exactly (checked
// in code); the summary stays short; names are the cast's.
import { z } from "zod";
import { DIGEST_SUMMARY_WORDS, LIMITS, type Digest } from "../../shared/schemas";
import { digestPrompt } from "../prompts";
import { chapterById, entryOf, type StoryContext } from "../story";
import { clip, countWords } from "../text";
import { TOKENS_PER_WORD } from "./chapters";
import type { JsonStage, UnitOptions } from "./types";
import { perChapter } from "./units";

const State = z.strictObject({ name: z.string(), where: z.string(), condition: z.string(), knows: z.array(z.string()), has: z.array(z.string()) });
export const DigestOutput = z.strictObject({
  summary: z.string(),
  ending: z.strictObject({ place: z.string(), time: z.string(), present: z.array(z.string()), lastBeat: z.string() }),
  states: z.array(State),
  facts: z.array(z.strictObject({ text: z.string(), quote: z.string() })),
  threadsOpened: z.array(z.string()),
  threadsClosed: z.array(z.string()),
  firstMeetings: z.array(z.array(z.string())),
});
type DigestReply = z.infer<typeof DigestOutput>;

const few = (xs: string[], n: number, len: number) => xs.map((x) => clip(x, len)).filter(Boolean).slice(0, n);

/** A digest as stored: clipped, names in the cast's spelling, meetings as pairs of two people. */
export function toDigest(v: DigestReply, s: StoryContext): Digest {
  const cast = new Map(s.characters.map((x) => [x.name.toLowerCase(), x.name]));
  const spell = (n: string) => cast.get(n.trim().toLowerCase()) ?? clip(n, LIMITS.name);
  return {
    summary: clip(v.summary, 2_000),
    ending: { place: clip(v.ending.place, 300), time: clip(v.ending.time, 200), present: few(v.ending.present, LIMITS.people, LIMITS.name).map(spell), lastBeat: clip(v.ending.lastBeat, 600) },
    states: v.states.slice(0, LIMITS.people).map((st) => ({
      name: spell(st.name),
      where: clip(st.where, 300),
      condition: clip(st.condition, 300),
      knows: few(st.knows, 20, 300),
      has: few(st.has, 20, 300),
    })),
    facts: v.facts.filter((f) => f.text.trim() && f.quote.trim()).slice(0, 60).map((f) => ({ text: clip(f.text, 500), quote: f.quote.slice(0, 500) })),
    threadsOpened: few(v.threadsOpened, 30, 300),
    threadsClosed: few(v.threadsClosed, 30, 300),
    firstMeetings: v.firstMeetings
      .filter((m) => m.length === 2 && m[0]!.trim() && m[1]!.trim() && m[0]!.trim().toLowerCase() !== m[1]!.trim().toLowerCase())
      .slice(0, 30)
      .map((m) => [spell(m[0]!), spell(m[1]!)] as [string, string]),
  };
}

/** Chapters whose digest is missing or describes an older version of their prose. */
export const needsDigest = (c: StoryContext["chapters"][number]) => c.hasContent && !(c.digest && c.digestFresh);

export const digestsStage: JsonStage<DigestReply> = {
  kind: "json",
  // Asked for by name (chapterIds) or with regenerate: those chapters again; otherwise the ones due.
  units: (s, o: UnitOptions) => perChapter("digests", "digest", s, o, (c) => c.hasContent && (!!o.chapterIds?.length || !!o.regenerate || needsDigest(c))),
  prompt: (u, s, p) => {
    const c = chapterById(s, u.chapterId!)!;
    return digestPrompt(s, c.id, p.prose?.[c.id] ?? "", { entry: entryOf(s, c.id), exit: c.exit ?? null });
  },
  predictedOutputTokens: (_s, cfg) => cfg.predictedOutputTokens,
  promptGrowsWith: [],
  // The chapter's prose: as written now, or the target length when this run writes it.
  unseenInputTokens: (u, s, p) => {
    const c = chapterById(s, u.chapterId!)!;
    if (p.prose?.[c.id]) return 0;
    const words = p.writing?.includes(c.id) || !c.wordCount ? s.targetChapterWords : c.wordCount;
    return Math.round(words * TOKENS_PER_WORD);
  },
  output: {
    name: "chapter_digest",
    schema: DigestOutput,
    check: (v) => {
      const n = countWords(v.summary);
      return n > DIGEST_SUMMARY_WORDS ? `its summary has ${n} words; keep it to at most ${DIGEST_SUMMARY_WORDS}` : null;
    },
  },
  demo: ({ story, chapterId }) => demoDigest(story, chapterId!),
};

/** The demo model's digest: built from the chapter's plan, so it agrees with its contracts. */
function demoDigest(s: StoryContext, chapterId: number): DigestReply {
  const c = chapterById(s, chapterId)!;
  const cast = new Set(c.guide.flatMap((b) => b.characters));
  const names = s.characters.filter((x) => cast.has(x.name)).map((x) => x.name);
  const exit = c.exit;
  const place = exit?.place ?? c.guide.at(-1)?.locations[0] ?? s.locations[0]?.name ?? "";
  return {
    summary: c.summary.split(/\s+/).slice(0, DIGEST_SUMMARY_WORDS).join(" "),
    ending: { place, time: exit?.time ?? "", present: exit?.present ?? names, lastBeat: c.guide.at(-1)?.text ?? c.summary },
    states: (exit?.states ?? names.map((name) => ({ name, where: place, condition: "", knows: [], has: [] }))).map((st) => ({ ...st })),
    facts: [],
    threadsOpened: [],
    threadsClosed: [],
    firstMeetings: [],
  };
}
