import { describe, expect, it } from "vitest";
import { ArcsOutput } from "../../src/core/stages/arcs";
import { GuideOutput, toGuide } from "../../src/core/stages/guides";
import { MetaOutput, toMeta } from "../../src/core/stages/meta";
import { SummariesOutput } from "../../src/core/stages/summaries";
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
