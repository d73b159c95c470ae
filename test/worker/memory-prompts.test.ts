// The prompt layout of a book with memory (docs/MEMORY.md), pinned on exact text: the bible first
// and byte-identical, <story_so_far> growing only at its end, the chapter's own part last.
import { describe, expect, it } from "vitest";
import { beatBudgets, boundaryMismatches, FOLD_AFTER, mergeStates, storySoFar, verifyFacts } from "../../src/core/memory";
import { contractsPrompt, digestPrompt } from "../../src/core/prompts";
import { chaptersStage, chapterMemory } from "../../src/core/stages/chapters";
import { digestsStage } from "../../src/core/stages/digests";
import type { StoryContext } from "../../src/core/story";
import type { Digest } from "../../src/shared/schemas";

const digest = (n: number, over: Partial<Digest> = {}): Digest => ({
  summary: `In chapter ${n} Ada climbs the tower and finds letter ${n}.`,
  ending: { place: "The Point Light", time: `Night ${n}`, present: ["Ada Quill"], lastBeat: `Ada folds letter ${n}.` },
  states: [{ name: "Ada Quill", where: "The Point Light", condition: n > 1 ? "tired" : "", knows: [`letter ${n}`], has: [`letter ${n}`] }],
  facts: [{ text: `Letter ${n} is signed M.`, quote: `signed M. (${n})` }],
  threadsOpened: [`who is M. (${n})`],
  threadsClosed: [],
  firstMeetings: n === 1 ? [["Ada Quill", "Bram Holt"]] : [],
  ...over,
});

function book(chapters: number, written: number): StoryContext {
  return {
    id: 7,
    title: "The Lighthouse Keeper",
    details: "A keeper finds letters from a drowned town.",
    tags: ["mystery"],
    inspirations: "",
    writingStyle: "Quiet",
    chaptersCount: chapters,
    targetChapterWords: 900,
    mature: false,
    coverImagePrompt: null,
    hasCover: false,
    characters: [
      { name: "Ada Quill", description: "The keeper's daughter.", exampleDialogue: '"Tide\'s turning."', aliases: ["the keeper's girl"] },
      { name: "Bram Holt", description: "A diver.", exampleDialogue: '"Not tonight."' },
    ],
    locations: [{ name: "The Point Light", description: "A dark lighthouse." }],
    arcs: ["Ada learns to trust."],
    opening: { place: "The quay", time: "Dusk", present: ["Ada Quill"], states: [], openThreads: [] },
    chapters: Array.from({ length: chapters }, (_, i) => ({
      id: 100 + i,
      number: i + 1,
      title: `Night ${i + 1}`,
      summary: `Ada spends night ${i + 1} in the tower.`,
      guide: [
        { text: "Ada climbs the stairs in the dark.", characters: ["Ada Quill"], locations: ["The Point Light"] },
        { text: "She finds a letter under the lamp and reads it twice, slowly.", characters: ["Ada Quill"], locations: ["The Point Light"] },
      ],
      hasContent: i < written,
      imagePrompt: null,
      wordCount: i < written ? 900 : 0,
      digest: i < written ? digest(i + 1) : null,
      digestFresh: i < written,
      exit: { place: "The Point Light", time: `Night ${i + 1}`, present: ["Ada Quill"], states: [], openThreads: [] },
    })),
  };
}

const promptOf = (s: StoryContext, chapterId: number, mode: "sequential" | "hybrid" | "parallel", prose: Record<number, string> = {}) =>
  chaptersStage.prompt({ unit: `chapter:${chapterId}`, stage: "chapters", chapterId }, s, { mode, prose });

describe("the chapter prompt of a book with memory", () => {
  it("matches its exact text: bible, story so far, then the chapter with its state, the previous ending and beat budgets", () => {
    const s = book(3, 2);
    expect(promptOf(s, 102, "sequential", { 101: "The lamp was dark. Ada counted the steps.\n\nShe slept at last." }).messages).toMatchSnapshot();
  });

  it("keeps the bible byte-identical and makes chapter k+1's prompt start with chapter k's, up to the end of digest k-1", () => {
    const s = book(6, 5);
    const serial = (k: number) => JSON.stringify(promptOf(s, 100 + k - 1, "sequential").messages);
    const bible = promptOf(s, 100, "sequential").messages[0]!.content;
    for (let k = 1; k <= 5; k++) {
      const [a, b] = [promptOf(s, 100 + k - 1, "sequential"), promptOf(s, 100 + k, "sequential")];
      expect(a.messages[0]!.content).toBe(bible);
      expect(b.messages[0]!.content).toBe(bible);
      // Chapter k's second system message minus its closing tag is where chapter k+1's continues.
      const soFar = a.messages[1]!.content.replace(/\n?<\/story_so_far>$/, "");
      expect(b.messages[1]!.content.startsWith(soFar)).toBe(true);
      if (k > 1) expect(b.messages[1]!.content).toContain(`<chapter_memory number="${k}">`);
      expect(serial(k + 1).startsWith(serial(k).slice(0, serial(k).indexOf("</story_so_far>")))).toBe(true);
    }
  });

  it("folds each completed run of ten digests into a part once the book is past thirty chapters, and the parts never change", () => {
    const s = book(41, 40);
    const items = (k: number) => storySoFar(s.chapters.slice(0, k - 1).map((c) => ({ number: c.number, digest: c.digest! })));
    expect(items(31).map((i) => i.kind)).toEqual(Array(30).fill("chapter"));
    expect(items(32).map((i) => (i.kind === "part" ? `${i.from}-${i.to}` : i.number))).toEqual(["1-10", "11-20", "21-30", 31]);
    expect(items(41).slice(0, 3)).toEqual(items(32).slice(0, 3));
    // From there on each prompt again starts with the previous one's bytes.
    const a = promptOf(s, 133, "sequential").messages[1]!.content.replace(/\n?<\/story_so_far>$/, "");
    expect(promptOf(s, 134, "sequential").messages[1]!.content.startsWith(a)).toBe(true);
  });

  it("starts a hybrid chapter from its entry contract, leaves out chapters this run rewrites, and quotes no ending written at the same time", () => {
    const s = book(3, 2);
    const m = chapterMemory(s, 102, { mode: "hybrid", writing: [101, 102], prose: { 101: "Old text." } });
    expect(m.storySoFar.map((i) => (i.kind === "chapter" ? i.number : 0))).toEqual([1]);
    expect(m.entry).toEqual(s.chapters[1]!.exit);
    expect(m.exit).toEqual(s.chapters[2]!.exit);
    expect(m.previousEnding).toBeNull();
    expect(m.stateAtStart).toEqual([]);
  });

  it("is today's prompt in a parallel book", () => {
    const s = book(3, 2);
    expect(promptOf(s, 102, "parallel").messages).toHaveLength(2);
    expect(JSON.stringify(promptOf(s, 102, "parallel").messages)).not.toContain("story_so_far");
  });
});

describe("memory, in pure functions", () => {
  it("gives each beat a word budget in proportion to what it says, summing to the target", () => {
    const budgets = beatBudgets([{ text: "one two" }, { text: "one two three four five six" }, { text: "x" }], 1000);
    expect(budgets.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(budgets[1]).toBeGreaterThan(budgets[0]!);
    expect(beatBudgets([], 1000)).toEqual([]);
  });

  it("keeps only facts whose quote is in the chapter, and counts the rest", () => {
    const d = digest(1, { facts: [{ text: "a", quote: "the lamp was dark" }, { text: "b", quote: "never written" }] });
    const { digest: kept, dropped } = verifyFacts(d, "At first the lamp was dark.");
    expect(kept.facts.map((f) => f.text)).toEqual(["a"]);
    expect(dropped).toBe(1);
  });

  it("merges the characters' states along the book: latest place, accumulated knowledge", () => {
    const a = digest(1);
    const b = digest(2, { states: [{ name: "ada quill", where: "The quay", condition: "soaked", knows: ["the tide tables"], has: [] }] });
    expect(mergeStates([a, b])).toEqual([{ name: "ada quill", where: "The quay", condition: "soaked", knows: ["letter 1", "the tide tables"], has: [] }]);
  });

  it("finds where a chapter's real ending disagrees with its exit contract", () => {
    const exit = { place: "The Point Light", time: "", present: ["Ada Quill", "Bram Holt"], states: [{ name: "Bram Holt", where: "The Point Light", condition: "", knows: [], has: [] }], openThreads: [] };
    expect(boundaryMismatches(exit, digest(1, { ending: { place: "the point light, lamp room", time: "", present: ["Ada Quill", "Bram Holt"], lastBeat: "" } }))).toEqual([]);
    const off = digest(1, {
      ending: { place: "The harbour office", time: "", present: ["Ada Quill"], lastBeat: "" },
      states: [{ name: "Bram Holt", where: "At sea", condition: "", knows: [], has: [] }],
    });
    expect(boundaryMismatches(exit, off)).toEqual([
      "The chapter ends at The harbour office, not at The Point Light.",
      "Bram Holt is not there at the end.",
      "Bram Holt ends at At sea, not at The Point Light.",
    ]);
  });

  it("builds the digest and contracts prompts on exact text", () => {
    const s = book(2, 1);
    expect(digestPrompt(s, 100, "Ada climbed.", { entry: s.opening!, exit: s.chapters[0]!.exit! }).messages).toMatchSnapshot();
    expect(contractsPrompt(s).messages).toMatchSnapshot();
    // A quote counts the prose a digest will read, which the quote does not load.
    expect(digestsStage.unseenInputTokens!({ unit: "digest:100", stage: "digests", chapterId: 100 }, s, {}, () => ({ model: "", tier: "standard", predictedOutputTokens: 0 }))).toBe(1215);
    expect(FOLD_AFTER).toBe(30);
  });
});
