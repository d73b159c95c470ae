import { describe, expect, it } from "vitest";
import { checkBook, checkCast, checkChapter, type Beat, type BookInput, type CastMember, type Finding, type FindingType } from "../../src/core/continuity";
import { lengthScore } from "../../src/core/continuity/length";
import { DEMO_NOTICE } from "../../src/core/providers/demo";
import { countWords } from "../../src/core/text";
import { cleanBook } from "../fixtures/continuity/clean-book";
import { faultyBook, plantedFaults, type PlantedFault } from "../fixtures/continuity/faulty-book";
import { largeBook } from "../fixtures/continuity/large-book";

type Chapter = { content: string | null; guide?: Beat[]; title?: string };

/** A small book: chapters get ids 1, 2, 3… and a generous length target unless one is given. */
function book(chapters: Chapter[], cast: CastMember[] = [], places: CastMember[] = [], target = 0): BookInput {
  return {
    characters: cast,
    locations: places,
    targetChapterWords: target,
    chapters: chapters.map((c, i) => ({ id: i + 1, number: i + 1, title: c.title ?? `Part ${i + 1}`, content: c.content, guide: c.guide ?? [] })),
  };
}

const findings = (b: BookInput, chapter = 1) => checkChapter(b, chapter).findings;
const only = (fs: Finding[], type: FindingType) => fs.filter((f) => f.type === type);
const beat = (text: string, characters: string[] = [], locations: string[] = []): Beat => ({ text, characters, locations });

const straight = (s: string) => s.replace(/[’‘]/g, "'").replace(/[“”]/g, '"');
function matchesPlanted(p: PlantedFault, f: Finding): boolean {
  if (f.type !== p.type || (p.severity && f.severity !== p.severity)) return false;
  if (p.beat !== undefined && f.beat !== p.beat) return false;
  if (p.names && !p.names.every((n) => (f.names ?? []).some((x) => x.toLowerCase() === n.toLowerCase()))) return false;
  if (p.quote && !(f.quote && (straight(f.quote).includes(straight(p.quote)) || straight(p.quote).includes(straight(f.quote))))) return false;
  return true;
}

const allFindings = (r: ReturnType<typeof checkBook>) => [...r.book.findings, ...r.chapters.flatMap((c) => c.findings)];

describe("continuity checks: measured on the fixtures", () => {
  it("finds at least 95% of the faults planted in the seeded-fault corpus", () => {
    const types = new Set(plantedFaults.map((p) => p.type));
    expect(plantedFaults.length).toBeGreaterThanOrEqual(30);
    expect(types.size).toBe(10);
    const report = checkBook(faultyBook);
    const where = (n: number) => (n === 0 ? report.book.findings : report.chapters.find((c) => c.number === n)!.findings);
    const missed = plantedFaults.filter((p) => !where(p.chapter).some((f) => matchesPlanted(p, f)));
    const recall = (plantedFaults.length - missed.length) / plantedFaults.length;
    console.log(`continuity recall: ${plantedFaults.length - missed.length}/${plantedFaults.length} planted faults = ${recall.toFixed(3)}`);
    for (const m of missed) console.log(`  missed: chapter ${m.chapter} ${m.type} (${m.what})`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it("stays quiet on the clean book: no errors and at most one warning per 10,000 words", () => {
    const report = checkBook(cleanBook);
    const words = report.book.metrics.words;
    expect(words).toBeGreaterThanOrEqual(10_000);
    expect(report.chapters.length).toBeGreaterThanOrEqual(6);
    const loud = allFindings(report).filter((f) => f.severity !== "info");
    const rate = (loud.length / words) * 10_000;
    console.log(`continuity false positives on the clean book: ${loud.length} warnings/errors in ${words} words = ${rate.toFixed(2)} per 10,000 words`);
    for (const f of loud) console.log(`  ${f.severity} ${f.type}: ${f.message}`);
    expect(report.book.metrics.bySeverity.error).toBe(0);
    expect(rate).toBeLessThanOrEqual(1);
    // Every beat of the clean book is told, and none of its chapters copies another.
    for (const c of report.chapters) {
      expect(c.metrics.beatCoverage).toBe(1);
      expect(c.metrics.copyRate).toBeLessThan(0.01);
    }
  });

  it("checks the generated 100-chapter bench book without errors", () => {
    const big = largeBook();
    const report = checkBook(big);
    expect(report.chapters).toHaveLength(100);
    expect(report.book.metrics.words).toBeGreaterThanOrEqual(250_000);
    expect(report.book.metrics.bySeverity.error).toBe(0);
  });
});

describe("continuity reports", () => {
  it("gives each chapter the same report whether checked alone or with the book", () => {
    for (const b of [cleanBook, faultyBook]) {
      const whole = checkBook(b);
      for (const c of b.chapters) expect(checkChapter(b, c.id)).toEqual(whole.chapters.find((r) => r.chapterId === c.id));
    }
  });

  it("counts words exactly as countWords does", () => {
    const odd = ["well—known, half-done; ‘quoted’ – and 12 o’clock", "* * *\n\n***\n\nA", "  spaced   out\n\n\n lines\t\tand\u00a0nbsp  ", "— … ! ?", "Mr. Hale. Dr. Ferris's hat.\n“Yes.”"];
    const all = [...cleanBook.chapters, ...faultyBook.chapters].map((c) => c.content!).concat(odd);
    for (const content of all) expect(checkChapter(book([{ content }]), 1).metrics.words, content.slice(0, 30)).toBe(countWords(content));
  });

  it("gives chapters without prose zero words and no findings", () => {
    const b = book([{ content: null, guide: [beat("Ada sails.", ["Ada Hale"])] }, { content: "   \n" }], [{ name: "Ada Hale" }], [], 1000);
    for (const id of [1, 2]) {
      const r = checkChapter(b, id);
      expect(r.metrics).toEqual({ words: 0, target: 1000, lengthScore: 0, beatCoverage: null, copyRate: 0 });
      expect(r.findings).toEqual([]);
    }
    expect(checkBook(b).book.metrics).toMatchObject({ words: 0, chapters: 2, checked: 0 });
    expect(() => checkChapter(b, 99)).toThrow(RangeError);
  });

  it("totals findings by severity and by type", () => {
    const r = checkBook(faultyBook);
    const all = allFindings(r);
    expect(r.book.metrics.bySeverity.error + r.book.metrics.bySeverity.warning + r.book.metrics.bySeverity.info).toBe(all.length);
    const byType = Object.values(r.book.metrics.byType).reduce((s, n) => s + (n ?? 0), 0);
    expect(byType).toBe(all.length);
    expect(r.book.metrics.checked).toBe(8);
  });

  it("quotes only exact substrings of the chapter", () => {
    for (const b of [cleanBook, faultyBook, largeBook(12)]) {
      const r = checkBook(b);
      for (const c of r.chapters) {
        const content = b.chapters.find((x) => x.id === c.chapterId)!.content!;
        for (const f of c.findings) if (f.quote !== undefined) expect(content.includes(f.quote), f.quote).toBe(true);
      }
    }
  });

  it("keeps finding ids stable, and changes one only when its quoted text changes", () => {
    const first = checkBook(faultyBook);
    const again = checkBook(structuredClone(faultyBook));
    expect(allFindings(again).map((f) => f.id)).toEqual(allFindings(first).map((f) => f.id));
    expect(new Set(allFindings(first).map((f) => f.id)).size).toBe(allFindings(first).length);

    const before = first.chapters[0]!.findings;
    const corwin = before.find((f) => f.type === "unknown_name")!;
    const heading = before.find((f) => f.type === "format_leak")!;
    const edited = structuredClone(faultyBook);
    edited.chapters[0]!.content = edited.chapters[0]!.content!.replace("if he had not been drunk again", "had he been sober");
    const after = checkChapter(edited, edited.chapters[0]!.id).findings;
    const corwinAfter = after.find((f) => f.type === "unknown_name")!;
    expect(corwinAfter.names).toEqual(["Corwin"]);
    expect(corwinAfter.id).not.toBe(corwin.id);
    // The heading and the beat were not touched: same ids.
    expect(after.find((f) => f.type === "format_leak")!.id).toBe(heading.id);
    expect(after.find((f) => f.type === "beat_missing")!.id).toBe(before.find((f) => f.type === "beat_missing")!.id);
  });
});

describe("name_clash", () => {
  it("warns when two characters share a first or a last name", () => {
    const fs = checkCast([{ name: "Mara Quill" }, { name: "Mara Stennet" }, { name: "Jonas Pell" }, { name: "Edda Pell" }, { name: "Bram Holt" }]);
    expect(fs).toHaveLength(2);
    expect(fs.every((f) => f.type === "name_clash" && f.severity === "warning")).toBe(true);
    expect(fs.map((f) => f.names)).toEqual([
      ["Mara Quill", "Mara Stennet"],
      ["Jonas Pell", "Edda Pell"],
    ]);
    expect(fs[0]!.message).toContain('"Mara"');
    expect(checkBook(book([], [{ name: "Mara Quill" }, { name: "Mara Stennet" }])).book.findings).toEqual(checkCast([{ name: "Mara Quill" }, { name: "Mara Stennet" }]));
  });

  it("leaves distinct names and shared titles alone", () => {
    expect(checkCast([{ name: "Ada Hale" }, { name: "Bram Holt" }, { name: "Sister Agnete" }, { name: "Sister Maren Vos" }, { name: "Dr. Ilse Brandt" }])).toEqual([]);
  });
});

describe("unknown_name", () => {
  const cast = [{ name: "Ada Hale", aliases: ["the keeper"] }, { name: "Bram Holt", aliases: ["Red"] }];
  const places = [{ name: "The Point Light", aliases: ["the Light"] }, { name: "St. Aubin's Infirmary" }];

  it("catches names nobody listed: mid-sentence, possessive, titled, multi-word and misspelt", () => {
    const content = [
      "Ada rowed out with Corvin at dawn. Later Corvin went home.",
      "Morrow's boat was gone. She asked Dr. Penhallow about it.",
      "The ship belonged to Captain Ilse Brandt, everyone said.",
      "A letter came for Ada Hales from the mainland.",
      "Wexley laughed from the door.",
    ].join("\n\n");
    const fs = only(findings(book([{ content }], cast, places)), "unknown_name");
    expect(fs.map((f) => f.names![0])).toEqual(["Corvin", "Morrow", "Dr. Penhallow", "Captain Ilse Brandt", "Ada Hales", "Wexley"]);
    expect(fs[0]!.quote).toBe("Ada rowed out with Corvin at dawn.");
    expect(fs.every((f) => f.severity === "warning")).toBe(true);
  });

  it("does not fire on ordinary capitals, the cast, places, aliases, or the chapter's own title and beats", () => {
    const content = [
      "On Tuesday in March, Ada walked to the Point Light. I went with her, and so did Red.",
      "“Nothing,” said Ada. “Then we wait.” Mother said nothing at Christmas, or at Michaelmas.",
      "The keeper waved. Bram Holt's boat was at St. Aubin's, below the Light, near the Tidewater Steps.",
      "Everyone's coat was wet. Suddenly the North wind rose. “Fifteen,” said Bram.",
    ].join("\n\n");
    const b = book([{ content, title: "The Tidewater Steps", guide: [beat("Ada and Bram walk to the Point Light in March.", ["Ada Hale", "Bram Holt"])] }], cast, places);
    expect(only(findings(b), "unknown_name")).toEqual([]);
  });

  it("reports each unknown name once per chapter, quoting its first sentence", () => {
    const content = "Corvin's hat was red. Ada saw Corvin again.\n\n“No.” Corvin was gone.";
    const fs = only(findings(book([{ content }], cast)), "unknown_name");
    expect(fs).toHaveLength(1);
    expect(fs[0]!.quote).toBe("Corvin's hat was red.");
  });
});

describe("ambiguous_name", () => {
  const cast = [{ name: "Mara Quill" }, { name: "Mara Stennet" }];

  it("warns when a name two characters share is used alone", () => {
    const fs = only(findings(book([{ content: "Quill waited. Mara came in late.\n\nMara sat down." }], cast)), "ambiguous_name");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: "warning", quote: "Mara came in late.", names: ["Mara", "Mara Quill", "Mara Stennet"] });
  });

  it("is quiet with full names, surnames, or a nickname that settles it", () => {
    expect(only(findings(book([{ content: "Mara Quill waited. Stennet came in late." }], cast)), "ambiguous_name")).toEqual([]);
    const settled = [{ name: "Mara Quill", aliases: ["Mara"] }, { name: "Mara Stennet" }];
    expect(only(findings(book([{ content: "Mara waited for Stennet." }], settled)), "ambiguous_name")).toEqual([]);
  });
});

describe("missing_character, unplanned_character, premature_introduction", () => {
  const cast = [{ name: "Ada Hale", aliases: ["the keeper"] }, { name: "Bram Holt" }, { name: "Ivo Dachs", aliases: ["the magistrate"] }];

  it("warns when a character the beats put on stage never appears", () => {
    const b = book([{ content: "Ada climbed the stairs.", guide: [beat("Ada climbs.", ["Ada Hale"]), beat("Bram waits below.", ["Bram Holt"])] }], cast);
    const fs = only(findings(b), "missing_character");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: "warning", beat: 2, names: ["Bram Holt"] });
  });

  it("counts a full name, a unique name part or an alias as an appearance", () => {
    const guide = [beat("The three meet.", ["Ada Hale", "Bram Holt", "Ivo Dachs"])];
    for (const content of ["Ada Hale, Bram Holt and Ivo Dachs met.", "Hale, Bram and the magistrate met.", "The keeper met Holt and Dachs."]) {
      expect(only(findings(book([{ content, guide }], cast)), "missing_character"), content).toEqual([]);
    }
  });

  it("notes a cast member no beat of the chapter includes", () => {
    const b = book([{ content: "Ada climbed. The magistrate watched her.", guide: [beat("Ada climbs the stairs.", ["Ada Hale"])] }], cast);
    const fs = only(findings(b), "unplanned_character");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: "info", names: ["Ivo Dachs"], quote: "The magistrate watched her." });
    // Planned, or a chapter without beats: nothing to note.
    expect(only(findings(book([{ content: "Ada climbed. Ivo watched.", guide: [beat("Ada climbs while Ivo watches.", ["Ada Hale"])] }], cast)), "unplanned_character")).toEqual([]);
    expect(only(findings(book([{ content: "Ada climbed. Ivo watched." }], cast)), "unplanned_character")).toEqual([]);
  });

  it("warns when a character appears before the chapter whose beats bring them in", () => {
    const b = book(
      [
        { content: "Ada climbed. Bram Holt was already there.", guide: [beat("Ada climbs.", ["Ada Hale"])] },
        { content: "Ada slept.", guide: [beat("Ada sleeps.", ["Ada Hale"])] },
        { content: "Bram arrived at last.", guide: [beat("Bram arrives.", ["Bram Holt"])] },
      ],
      cast,
    );
    const r = checkBook(b);
    const early = only(r.chapters[0]!.findings, "premature_introduction");
    expect(early).toHaveLength(1);
    expect(early[0]).toMatchObject({ severity: "warning", names: ["Bram Holt"], quote: "Bram Holt was already there." });
    expect(early[0]!.message).toContain("chapter 3");
    // Reported once, not also as unplanned; and not at all where the beats bring him in.
    expect(only(r.chapters[0]!.findings, "unplanned_character")).toEqual([]);
    expect(only(r.chapters[2]!.findings, "premature_introduction")).toEqual([]);
  });
});

describe("beat_missing", () => {
  const cast = [{ name: "Ada Hale" }, { name: "Bram Holt" }];
  const places = [{ name: "The Point Light" }, { name: "Gannet Rock" }];
  const guide = [
    beat("Ada climbs the lighthouse stairs and finds the lamp smashed.", ["Ada Hale"], ["The Point Light"]),
    beat("Bram rows out to Gannet Rock and hauls up a barrel of stolen oil.", ["Bram Holt"], ["Gannet Rock"]),
    beat("Ada writes a letter to the harbour board about the broken lamp.", ["Ada Hale"]),
  ];
  const stairs = "Ada climbed the lighthouse stairs in the dark, counting each step. At the top she found the lamp smashed, its glass spread across the floor like frost.";
  const rock = "Bram rowed out to Gannet Rock on the ebb. He dived twice, and on the second dive he hauled up a barrel, black with weed, full of the stolen oil.";
  const letter = "That evening Ada sat down and wrote a letter to the harbour board. She told them about the broken lamp, and about the oil, and signed it twice.";

  it("finds every beat the prose tells", () => {
    const r = checkChapter(book([{ content: [stairs, rock, letter].join("\n\n"), guide }], cast, places), 1);
    expect(only(r.findings, "beat_missing")).toEqual([]);
    expect(r.metrics.beatCoverage).toBe(1);
  });

  it("warns about a beat the prose never tells", () => {
    const r = checkChapter(book([{ content: [stairs, letter].join("\n\n"), guide }], cast, places), 1);
    const fs = only(r.findings, "beat_missing");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: "warning", beat: 2 });
    expect(r.metrics.beatCoverage).toBeCloseTo(2 / 3);
  });

  it("notes a beat told out of order", () => {
    const fs = only(findings(book([{ content: [letter, stairs, rock].join("\n\n"), guide }], cast, places)), "beat_missing");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: "info", beat: 3 });
  });

  it("gives chapters without beats no coverage figure, and never misses a beat with nothing in it", () => {
    expect(checkChapter(book([{ content: stairs }], cast, places), 1).metrics.beatCoverage).toBeNull();
    expect(checkChapter(book([{ content: stairs, guide: [beat("")] }], cast, places), 1).metrics.beatCoverage).toBe(1);
  });
});

describe("repeated_text", () => {
  const para = "The wind came off the water in long grey breaths, and the boat rose and fell like something asleep.";
  const fresh = [
    "Morning came slowly over the harbour, grey and then gold, and the gulls argued on the roofs.",
    "She counted the coins twice before she put them away, because the second count never agreed with the first.",
  ];

  it("flags a paragraph repeated from an earlier chapter, or from earlier in the same chapter", () => {
    const r = checkBook(book([{ content: `${para}\n\n${fresh[0]}` }, { content: `${fresh[1]}\n\n${para}` }, { content: `${fresh[1]!.replace("coins", "pennies")}\n\nShort.\n\n${fresh[1]!.replace("coins", "pennies")}` }]));
    const [again] = only(r.chapters[1]!.findings, "repeated_text");
    expect(again).toMatchObject({ severity: "error", quote: para });
    expect(again!.message).toContain("chapter 1");
    expect(only(r.chapters[2]!.findings, "repeated_text")[0]!.message).toContain("earlier in this chapter");
  });

  it("lists ten repeated paragraphs of a chapter and folds the rest into one, so a looping chapter's report stays small", () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `${para.replace("grey", `grey ${i}`)} The ${i}th wave broke on the quay.`);
    const r = checkBook(book([{ content: paragraphs.join("\n\n") }, { content: paragraphs.join("\n\n") }]));
    const repeated = only(r.chapters[1]!.findings, "repeated_text");
    expect(repeated.filter((f) => f.quote)).toHaveLength(10);
    const more = repeated.find((f) => !f.quote && f.message.includes("more like these"));
    expect(more).toMatchObject({ severity: "error" });
    expect(more!.message).toMatch(/and 3\d more/);
    expect(JSON.stringify(r.chapters[1]!.findings).length).toBeLessThan(8_000);
  });

  it("leaves short lines, scene breaks and the demo notice alone", () => {
    const short = "“No,” she said.";
    const content = `${DEMO_NOTICE}\n\n${short}\n\n* * *\n\n${fresh[0]}`;
    const r = checkBook(book([{ content }, { content: `${DEMO_NOTICE}\n\n${short}\n\n* * *\n\n${fresh[1]}` }]));
    expect(allFindings(r)).toEqual([]);
    expect(r.chapters[1]!.metrics.copyRate).toBe(0);
  });

  it("warns when a large share of a chapter's 8-word runs comes from earlier chapters", () => {
    const earlier = [para, ...fresh].join("\n\n");
    // Every copied sentence is changed a little, so no paragraph repeats whole.
    const stitched = `${para.replace("The wind", "Again the wind")} Then it was quiet.\n\n${fresh[1]!.replace("She", "Ada")} Nobody saw.`;
    const r = checkBook(book([{ content: earlier }, { content: stitched }]));
    const fs = only(r.chapters[1]!.findings, "repeated_text");
    expect(fs).toHaveLength(1);
    expect(fs[0]!.severity).toBe("warning");
    expect(stitched.includes(fs[0]!.quote!)).toBe(true);
    expect(r.chapters[1]!.metrics.copyRate).toBeGreaterThan(0.5);
    expect(r.chapters[0]!.metrics.copyRate).toBe(0);
  });
});

describe("length", () => {
  it("scores like LongBench-Write: 100 on target, linear to 0 at a third or at four times the target", () => {
    expect(lengthScore(1000, 1000)).toBe(100);
    expect(lengthScore(500, 1000)).toBe(50);
    expect(lengthScore(2000, 1000)).toBe(66.7);
    expect(lengthScore(333, 1000)).toBe(0);
    expect(lengthScore(4000, 1000)).toBe(0);
    expect(lengthScore(0, 1000)).toBe(0);
  });

  it("warns when a chapter is more than 20% off its target", () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
    const at = (n: number) => checkChapter(book([{ content: words(n) }], [], [], 100), 1);
    expect(only(at(75).findings, "length")[0]).toMatchObject({ severity: "warning" });
    expect(only(at(75).findings, "length")[0]!.message).toContain("25% short");
    expect(only(at(130).findings, "length")[0]!.message).toContain("30% over");
    expect(only(at(85).findings, "length")).toEqual([]);
    expect(only(at(120).findings, "length")).toEqual([]);
    expect(at(85).metrics).toMatchObject({ words: 85, target: 100 });
  });
});

describe("format_leak", () => {
  const leaks = [
    "# The Harbour",
    "## Scene two",
    "Chapter 3",
    "**Chapter Three: The Button**",
    "CHAPTER IV",
    "To be continued...",
    "Here is the revised chapter with more tension:",
    "Sure! Here's the next chapter.",
    "As an AI language model, I cannot continue this scene.",
    "```markdown",
    "(Word count: 2,480)",
    "[~2500 words]",
    "[Beat 2: the confession]",
    "**Beat 3:** Ada confronts Bram.",
    "Note: this chapter sets up the finale.",
    "</beats>",
    "I hope you enjoyed this chapter! Let me know if you'd like any changes.",
  ];

  it("flags each kind of leak as an error quoting its line", () => {
    for (const leak of leaks) {
      const content = `Ada looked out at the water.\n\n${leak}`;
      const fs = only(findings(book([{ content }])), "format_leak");
      expect(fs, leak).toHaveLength(1);
      expect(fs[0]).toMatchObject({ severity: "error", quote: leak });
    }
  });

  it("flags a first line that repeats the chapter's title", () => {
    const fs = only(findings(book([{ content: "**The Magistrate's Offer**\n\nAda held it up.", title: "The Magistrate’s Offer" }])), "format_leak");
    expect(fs.map((f) => f.quote)).toEqual(["**The Magistrate's Offer**"]);
  });

  it("leaves prose, dialogue, scene breaks and the demo notice alone", () => {
    const content = [
      DEMO_NOTICE,
      "“Here’s the draft,” Ada said, “and here is the letter.”",
      "* * *",
      "***",
      "---",
      "Chapter three of the ledger was missing.",
      "She made a note of it: the lamp was out.",
      "“Let me know if you hear anything,” Bram said.",
      "She counted four hundred words in the letter, and none of them was kind.",
    ].join("\n\n");
    expect(only(findings(book([{ content }])), "format_leak")).toEqual([]);
  });
});

describe("aliases", () => {
  it("count for every check that looks for a name", () => {
    const cast = [{ name: "Ivo Dachs", aliases: ["the magistrate", "Old Ivo"] }, { name: "Beatrix Lowe", aliases: ["Bea"] }];
    const places = [{ name: "The Bellwether Inn", aliases: ["the Bell"] }];
    const guide = [beat("Bea brings the magistrate a letter at the Bell.", ["Beatrix Lowe", "Ivo Dachs"], ["The Bellwether Inn"])];
    const fs = findings(book([{ content: "Bea found the magistrate at the Bell, and gave Old Ivo the letter.", guide }], cast, places));
    expect(fs).toEqual([]);
  });
});
