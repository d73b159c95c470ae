import { describe, expect, it } from "vitest";
import { checkBook } from "../../src/core/continuity";
import { textStage } from "../../src/core/stages";
import type { UnitStage } from "../../src/shared/stages";
import { ArcsOutput } from "../../src/core/stages/arcs";
import { GuideOutput, toGuide } from "../../src/core/stages/guides";
import { MetaOutput, toMeta } from "../../src/core/stages/meta";
import { SummariesOutput, toOutline } from "../../src/core/stages/summaries";
import { chapterPrompt, metaPrompt } from "../../src/core/prompts";
import { createDemoProvider, DEMO_NOTICE } from "../../src/core/providers";
import type { StoryContext } from "../../src/core/story";
import { countWords } from "../../src/core/text";

const base: StoryContext = {
  id: 3,
  title: "Salt and Static",
  details: "A radio operator on a trawler hears her dead brother's voice. The crew thinks she is cracking.",
  tags: ["thriller"],
  inspirations: "",
  writingStyle: "",
  chaptersCount: 4,
  targetChapterWords: 900,
  mature: false,
  coverImagePrompt: null,
  hasCover: false,
  characters: [],
  locations: [],
  arcs: [],
  chapters: Array.from({ length: 4 }, (_, i) => ({ id: 50 + i, number: i + 1, title: "", summary: "", guide: [], hasContent: false, imagePrompt: null })),
};

const demo = createDemoProvider({ delayMs: 1 });
const ask = async (stage: any, story: StoryContext, chapterId?: number) =>
  JSON.parse((await demo.chat({ model: "demo", messages: metaPrompt(story).messages, cacheKey: "k", task: { stage, story, chapterId } })).text);

describe("the demo model", () => {
  it("answers every planning stage with schema-valid JSON built from the story, the same way every time", async () => {
    const meta = MetaOutput.parse(await ask("meta", base));
    expect(meta).toEqual(await ask("meta", base));
    expect(meta.characters.length).toBeGreaterThanOrEqual(3);
    expect(meta.characters[0]!.description).toContain("Salt and Static");
    const story = { ...base, ...toMeta(meta) };

    const outline = SummariesOutput.parse(await ask("summaries", story));
    expect(outline.chapters).toHaveLength(4);
    const withOutline = { ...story, chapters: story.chapters.map((c, i) => ({ ...c, ...outline.chapters[i]! })) };
    expect(ArcsOutput.parse(await ask("arcs", withOutline)).arcs.length).toBeGreaterThan(0);

    const guide = GuideOutput.parse(await ask("guides", withOutline, 51));
    expect(toGuide(guide, withOutline).dropped).toEqual([]);
    expect(guide.parts.length).toBeGreaterThan(2);
  });

  it("streams Markdown prose of about the target length that says it is demo text", async () => {
    const story = { ...base, characters: [{ name: "Ines Vance", description: "", exampleDialogue: "" }], chapters: base.chapters.map((c) => ({ ...c, summary: "The voice returns." })) };
    const pieces: string[] = [];
    const res = await demo.streamChat({ model: "demo", messages: chapterPrompt(story, 50).messages, cacheKey: "k", task: { stage: "chapters", story, chapterId: 50 } }, (t) => pieces.push(t));
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join("")).toBe(res.text);
    expect(res.text.startsWith(DEMO_NOTICE)).toBe(true);
    expect(countWords(res.text)).toBeGreaterThanOrEqual(900);
    expect(countWords(res.text)).toBeLessThan(1300);
    expect(res.usage).toBeNull(); // counted with tiktoken by the consumer
  });

  it("paints a real PNG", async () => {
    const img = await demo.image({ model: "demo", prompt: "a trawler at night", task: { stage: "cover", story: base } });
    expect(img.contentType).toBe("image/png");
    expect([...img.bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(img.bytes.length).toBeGreaterThan(1000);
  });
});

// The report a new user sees on their first book (docs/CONTINUITY.md): nothing to fix.
const json = (stage: UnitStage, story: StoryContext, chapterId?: number) => textStage(stage).demo({ story, ...(chapterId ? { chapterId } : {}) }) as any;

/** A whole book by the demo model without the engine: each stage's answer applied as the engine would. */
function demoBook(input: { id?: number; title: string; details: string; chapters: number; words?: number }) {
  const s: StoryContext = {
    id: input.id ?? 1,
    title: input.title,
    details: input.details,
    tags: [],
    inspirations: "",
    writingStyle: "",
    chaptersCount: input.chapters,
    targetChapterWords: input.words ?? 1200,
    mature: false,
    coverImagePrompt: null,
    hasCover: false,
    characters: [],
    locations: [],
    arcs: [],
    chapters: [],
  };
  Object.assign(s, toMeta(json("meta", s)));
  s.chapters = toOutline(json("summaries", s)).map((c, i) => ({ id: i + 1, number: i + 1, ...c, guide: [], hasContent: false, imagePrompt: null }));
  s.arcs = json("arcs", s).arcs;
  for (const c of s.chapters) c.guide = toGuide(json("guides", s, c.id), s).parts;
  const prose = new Map(s.chapters.map((c) => [c.id, String(textStage("chapters").demo({ story: s, chapterId: c.id }))]));
  const report = checkBook({
    characters: s.characters,
    locations: s.locations,
    targetChapterWords: s.targetChapterWords,
    chapters: s.chapters.map((c) => ({ id: c.id, number: c.number, title: c.title, content: prose.get(c.id)!, guide: c.guide })),
  });
  return { story: s, prose, report };
}

describe("the demo model's books", () => {
  const premises = [
    ["Salt and Static", "A radio operator on a remote island hears a distress call from a ship that sank forty years ago."],
    ["The Clockmaker's Daughter", "Revenge. Ambition. An heir who wants the throne and a mother who will not give it."],
    ["Quiet Hours", "two nurses on the night shift trade secrets while the city sleeps"],
    ["Untitled", ""],
  ] as const;
  it.each([
    [0, 3, 600],
    [1, 12, 1200],
    [2, 40, 300],
    [3, 5, 2000],
    [0, 30, 2000],
  ])("passes their own continuity report (%i: %i chapters of %i words)", (p, chapters, words) => {
    const [title, details] = premises[p]!;
    const { story, report } = demoBook({ id: 40 + p, title, details, chapters, words });
    const problems = report.chapters.flatMap((c) => c.findings.filter((f) => f.severity !== "info").map((f) => `${c.number}: ${f.message}`));
    expect([...report.book.findings.filter((f) => f.severity !== "info").map((f) => f.message), ...problems]).toEqual([]);
    // Distinct first and last names, chapters that each tell their own beats, and no copied runs.
    const parts = story.characters.flatMap((c) => c.name.split(" "));
    expect(new Set(parts).size).toBe(parts.length);
    expect(new Set(story.chapters.map((c) => c.summary)).size).toBe(chapters);
    for (const c of report.chapters) {
      expect(c.metrics.beatCoverage).toBe(1);
      expect(c.metrics.copyRate).toBeLessThan(0.1);
    }
  });

  it("writes about the story's own premise", () => {
    const { story, prose } = demoBook({ title: "Glass Orchard", details: "Two sisters inherit a greenhouse that grows memories instead of fruit.", chapters: 3 });
    expect(story.chapters[0]!.summary).toMatch(/greenhouse|glass orchard/);
    expect([...prose.values()].join(" ")).toContain("the greenhouse");
  });
});
