// What each stage needs before it can run (SPEC §5). One rule for the Worker (which refuses with a
// 400 naming what is missing) and the client (which says so on the button instead of asking).
import type { Stage } from "./stages";

type Story = {
  characters: readonly unknown[];
  locations: readonly unknown[];
  chapters: readonly { id: number; number: number; summary: string }[];
};

export function missingPrerequisites(stage: Stage, s: Story, chapterIds?: number[]): string[] {
  const missing: string[] = [];
  const outline = s.chapters.some((c) => c.summary.trim() !== "");
  if (stage === "summaries" && !s.characters.length && !s.locations.length) missing.push("characters and places");
  if ((stage === "arcs" || stage === "guides" || stage === "chapters") && !outline) missing.push("an outline");
  if ((stage === "guides" || stage === "chapters") && outline) {
    const picked = chapterIds?.length ? s.chapters.filter((c) => chapterIds.includes(c.id)) : s.chapters;
    for (const c of picked) if (!c.summary.trim()) missing.push(`a summary for chapter ${c.number}`);
  }
  if ((stage === "guides" || stage === "chapters" || stage === "chapter_image") && !s.chapters.length)
    missing.push("at least one chapter");
  return missing;
}
