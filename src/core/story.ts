// A snapshot of everything a story has so far: the input of every prompt builder.
import type { Character, GuidePart, Location } from "../shared/api";

export type ChapterContext = {
  id: number;
  number: number;
  title: string;
  summary: string;
  guide: GuidePart[];
  hasContent: boolean;
  imagePrompt: string | null;
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
  chapters: ChapterContext[];
};

export const hasMeta = (s: StoryContext) => s.characters.length > 0 || s.locations.length > 0;
export const hasOutline = (s: StoryContext) => s.chapters.some((c) => c.summary.trim() !== "");
export const chapterById = (s: StoryContext, id: number) => s.chapters.find((c) => c.id === id);
