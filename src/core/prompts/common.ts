// Building blocks shared by the stage prompts. Everything here is a pure function of the story.
import { block, tag } from "../escape";
import type { StoryContext } from "../story";

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };
export type Prompt = { messages: ChatMessage[] };

export const PERSONA =
  "You are an accomplished novelist and story architect. You write original, vivid, emotionally honest fiction. " +
  "Avoid clichés, stock phrases and predictable turns. Keep every character consistent with their description and voice, " +
  "and never contradict facts the book has already established.";

export const JSON_ONLY =
  "Answer with one JSON object that matches the required schema, and nothing else: no prose, no code fences.";

export function bookFacts(s: StoryContext): string {
  return block("book", [
    tag("title", s.title),
    tag("details", s.details),
    tag("tags", s.tags.join(", ")),
    tag("inspirations", s.inspirations),
    tag("writing_style", s.writingStyle),
    tag("chapter_count", String(s.chaptersCount)),
    ...(s.mature ? [tag("audience", "Adult readers; mature themes are allowed.")] : []),
  ]);
}

/** A name and, when there are any, the other names the prose may use (an attribute only then, so stories without aliases keep their bytes). */
const named = (x: { name: string; aliases?: string[] }) => ({ name: x.name, ...(x.aliases?.length ? { aliases: x.aliases.join(", ") } : {}) });

export const castBlock = (s: StoryContext) =>
  block(
    "characters",
    s.characters.map((c) => block("character", [tag("description", c.description), tag("example_dialogue", c.exampleDialogue)], named(c))),
  );

export const placesBlock = (s: StoryContext) =>
  block(
    "locations",
    s.locations.map((l) => tag("location", l.description, named(l))),
  );

export const arcsBlock = (s: StoryContext) =>
  block(
    "arcs",
    s.arcs.map((a, i) => tag("arc", a, { n: i + 1 })),
  );

export const outlineBlock = (s: StoryContext) =>
  block(
    "outline",
    s.chapters.map((c) => tag("chapter", c.summary, { number: c.number, title: c.title })),
  );

/**
 * The story bible: the system message of every per-chapter prompt (beats and prose) of a book.
 * It depends only on the book, never on the chapter or the stage, so every such prompt starts
 * with the same bytes and the provider's prompt cache serves it (docs/MEMORY.md).
 */
export function storyBible(s: StoryContext): string {
  return [
    PERSONA,
    "You are writing the novel described below, one chapter at a time. Stay faithful to its facts, voices, arcs and outline; " +
      "each request ends with the chapter to work on and what to deliver.",
    bookFacts(s),
    castBlock(s),
    placesBlock(s),
    arcsBlock(s),
    outlineBlock(s),
  ].join("\n\n");
}

/**
 * The chapter's own context: its summary and where it sits. Its neighbours' summaries are in the
 * bible's outline already; naming them here instead of repeating them keeps the part of a prompt
 * that differs from chapter to chapter short, so more of every prompt is shared (and cached).
 */
export function chapterBlock(s: StoryContext, chapterId: number, extra: string[] = []): string {
  const i = s.chapters.findIndex((c) => c.id === chapterId);
  const c = s.chapters[i]!;
  const prev = s.chapters[i - 1];
  const next = s.chapters[i + 1];
  const name = (x: { number: number; title: string }) => `chapter ${x.number}${x.title ? ` ("${x.title}")` : ""}`;
  const place =
    !prev && !next
      ? "It is the only chapter."
      : `${prev ? `It follows ${name(prev)}` : "It opens the book"}${next ? ` and leads into ${name(next)}` : " and ends it"}; their summaries are in <outline>.`;
  return block("chapter", [tag("summary", c.summary), tag("place_in_book", place), ...extra], { number: c.number, title: c.title });
}

/** The layout of the planning stages (cast, outline, arcs): a JSON-only system message, then the task, what it builds on, and the shape to answer in. */
export function planningPrompt(task: string, context: string[], output: string): Prompt {
  return {
    messages: [
      { role: "system", content: `${PERSONA}\n\n${JSON_ONLY}` },
      { role: "user", content: [tag("task", task), ...context, block("output", [output])].join("\n\n") },
    ],
  };
}
