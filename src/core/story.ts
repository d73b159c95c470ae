// A snapshot of everything a story has so far: the input of every prompt builder.
import type { Character, GuidePart, Location } from "../shared/api";
import type { Contract, Digest } from "../shared/schemas";

export type ChapterContext = {
  id: number;
  number: number;
  title: string;
  summary: string;
  guide: GuidePart[];
  hasContent: boolean;
  imagePrompt: string | null;
  /** Words of prose written so far. Memory fields left out mean "none": hand-built contexts stay short. */
  wordCount?: number;
  /** What the book remembers of the prose, and whether it still describes the prose as it is now. */
  digest?: Digest | null;
  digestFresh?: boolean;
  /** Where the chapter must leave the story (the next chapter's entry). */
  exit?: Contract | null;
};

export type StoryContext = {
  id: number;
  title: string;
  details: string;
  tags: string[];
  inspirations: string;
  writingStyle: string;
  chaptersCount: number;
  targetChapterWords: number;
  mature: boolean;
  coverImagePrompt: string | null;
  hasCover: boolean;
  characters: Character[];
  locations: Location[];
  arcs: string[];
  /** Where the book starts: chapter 1's entry contract. */
  opening?: Contract | null;
  chapters: ChapterContext[];
};

export const hasMeta = (s: StoryContext) => s.characters.length > 0 || s.locations.length > 0;
export const hasOutline = (s: StoryContext) => s.chapters.some((c) => c.summary.trim() !== "");
export const chapterById = (s: StoryContext, id: number) => s.chapters.find((c) => c.id === id);

/** A chapter's entry contract: the previous chapter's exit, or the book's opening for the first. */
export function entryOf(s: StoryContext, chapterId: number): Contract | null {
  const i = s.chapters.findIndex((c) => c.id === chapterId);
  return i <= 0 ? (s.opening ?? null) : (s.chapters[i - 1]!.exit ?? null);
}

/** The parts of a story its bible is made of: what a job fixes as its canon when its chapter work begins. */
export type Canon = Pick<
  StoryContext,
  "title" | "details" | "tags" | "inspirations" | "writingStyle" | "chaptersCount" | "mature" | "characters" | "locations" | "arcs"
> & { outline: { id: number; title: string; summary: string }[] };

type CanonSource = Pick<StoryContext, Exclude<keyof Canon, "outline">> & { chapters: readonly { id: number; title: string; summary: string }[] };

export const canonOf = (s: CanonSource): Canon => ({
  title: s.title,
  details: s.details,
  tags: s.tags,
  inspirations: s.inspirations,
  writingStyle: s.writingStyle,
  chaptersCount: s.chaptersCount,
  mature: s.mature,
  // The same fields in the same order whatever loaded them, so equal stories hash alike.
  characters: s.characters.map((c) => ({ name: c.name, description: c.description, exampleDialogue: c.exampleDialogue, aliases: c.aliases ?? [] })),
  locations: s.locations.map((l) => ({ name: l.name, description: l.description, aliases: l.aliases ?? [] })),
  arcs: s.arcs,
  outline: s.chapters.map((c) => ({ id: c.id, title: c.title, summary: c.summary })),
});

/** The story as a job sees it: its canon's bible over the live story's chapters, beats and memory. */
export function withCanon(s: StoryContext, canon: Canon): StoryContext {
  const outline = new Map(canon.outline.map((c) => [c.id, c]));
  const { outline: _, ...bible } = canon;
  return {
    ...s,
    ...bible,
    chapters: s.chapters.map((c) => {
      const o = outline.get(c.id);
      return o ? { ...c, title: o.title, summary: o.summary } : c;
    }),
  };
}

/** The canon as one stable string: equal stories give equal text, so its hash tells canons apart. */
export const canonText = (c: Canon) => JSON.stringify(c);
