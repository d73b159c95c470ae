// What each stage needs before it can run. One rule for the Worker (which refuses with a 400
// naming what is missing) and the client (which says so on the button instead of asking). A
// Record over every stage, so a new one must say what it needs.
import type { Stage } from "./stages";

type Story = {
  characters: readonly unknown[];
  locations: readonly unknown[];
  chapters: readonly { id: number; number: number; summary: string; hasContent: boolean }[];
};

const hasOutline = (s: Story) => s.chapters.some((c) => c.summary.trim() !== "");
const anyChapter = (s: Story) => (s.chapters.length ? [] : ["at least one chapter"]);

/** Per-chapter work needs an outline and a summary for each chapter it covers. */
function chapterWork(s: Story, chapterIds?: number[]): string[] {
  if (!hasOutline(s)) return ["an outline", ...anyChapter(s)];
  const picked = chapterIds?.length ? s.chapters.filter((c) => chapterIds.includes(c.id)) : s.chapters;
  return [...picked.filter((c) => !c.summary.trim()).map((c) => `a summary for chapter ${c.number}`), ...anyChapter(s)];
}

/** Memory is made of written prose: at least one of the chapters asked for must have some. */
function prose(s: Story, chapterIds?: number[]): string[] {
  const picked = chapterIds?.length ? s.chapters.filter((c) => chapterIds.includes(c.id)) : s.chapters;
  return picked.some((c) => c.hasContent) ? [] : ["a written chapter"];
}

const NEEDS: Record<Stage, (s: Story, chapterIds?: number[]) => string[]> = {
  meta: () => [],
  summaries: (s) => (s.characters.length || s.locations.length ? [] : ["characters and places"]),
  arcs: (s) => (hasOutline(s) ? [] : ["an outline"]),
  contracts: (s) => (hasOutline(s) ? [] : ["an outline"]),
  guides: chapterWork,
  chapters: chapterWork,
  digests: prose,
  boundaries: prose,
  audit: prose,
  cover: () => [],
  chapter_image: anyChapter,
  book: () => [],
};

export const missingPrerequisites = (stage: Stage, s: Story, chapterIds?: number[]): string[] => NEEDS[stage](s, chapterIds);
