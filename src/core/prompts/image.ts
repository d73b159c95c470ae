// Default image prompts, composed from the story (cover) or the chapter's beats, characters and
// places. The author can replace them; theirs is kept on the story or chapter.
import type { StoryContext } from "../story";

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

const STYLE = "Painterly, cinematic lighting, rich colour, no text, no lettering, no watermark.";

type CoverInput = Pick<StoryContext, "title" | "details" | "tags" | "characters" | "locations" | "writingStyle">;
type ChapterImageInput = Pick<StoryContext, "title" | "characters" | "locations"> & {
  chapters: Pick<StoryContext["chapters"][number], "id" | "number" | "title" | "summary" | "guide">[];
};

export function defaultCoverPrompt(s: CoverInput): string {
  const lead = s.characters.slice(0, 2).map((c) => `${c.name}: ${clip(c.description, 140)}`);
  const place = s.locations[0];
  return [
    `Book cover illustration for a novel titled "${s.title}".`,
    s.details && clip(s.details, 400),
    s.tags.length ? `Genre and mood: ${s.tags.join(", ")}.` : "",
    lead.length ? `Featuring ${lead.join("; ")}.` : "",
    place ? `Setting: ${place.name}, ${clip(place.description, 160)}.` : "",
    s.writingStyle ? `Tone: ${clip(s.writingStyle, 120)}.` : "",
    STYLE,
  ]
    .filter(Boolean)
    .join(" ");
}

export function defaultChapterImagePrompt(s: ChapterImageInput, chapterId: number): string {
  const c = s.chapters.find((x) => x.id === chapterId)!;
  const beat = c.guide[0];
  const names = new Set(c.guide.flatMap((p) => p.characters));
  const places = new Set(c.guide.flatMap((p) => p.locations));
  const cast = s.characters.filter((x) => names.has(x.name)).slice(0, 3);
  const place = s.locations.find((l) => places.has(l.name));
  return [
    `Illustration for chapter ${c.number}${c.title ? `, "${c.title}"` : ""}, of the novel "${s.title}".`,
    c.summary && clip(c.summary, 300),
    beat ? `Scene: ${clip(beat.text, 300)}` : "",
    cast.length ? `Characters: ${cast.map((x) => `${x.name} (${clip(x.description, 100)})`).join("; ")}.` : "",
    place ? `Place: ${place.name}, ${clip(place.description, 150)}.` : "",
    STYLE,
  ]
    .filter(Boolean)
    .join(" ");
}
