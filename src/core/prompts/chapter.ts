import { block, tag } from "../escape";
import type { StoryContext } from "../story";
import { chapterBlock, storyBible, type Prompt } from "./common";

/** Prose of one chapter. The bible first (cacheable), then what is particular to this chapter. */
export function chapterPrompt(s: StoryContext, chapterId: number, instructions?: string): Prompt {
  const c = s.chapters.find((x) => x.id === chapterId)!;
  const beats = block(
    "beats",
    c.guide.map((p, i) =>
      tag("beat", p.text, { n: i + 1, characters: p.characters.join(", "), locations: p.locations.join(", ") }),
    ),
  );
  return {
    messages: [
      { role: "system", content: storyBible(s) },
      {
        role: "user",
        content: [
          tag("task", `Write chapter ${c.number} in full.`),
          chapterBlock(s, chapterId, c.guide.length ? [beats] : []),
          ...(instructions?.trim() ? [tag("author_instructions", instructions.trim())] : []),
          tag("length", `About ${s.targetChapterWords} words.`),
          tag(
            "format",
            "Markdown prose only: paragraphs, dialogue, scene breaks as a line with three asterisks. No chapter heading " +
              "or title, no notes before or after the text. Show, don't tell; let the characters speak in their voices.",
          ),
        ].join("\n\n"),
      },
    ],
  };
}

/**
 * The one continuation of a chapter the output cap cut off: the conversation so far, then a
 * request to go on from the exact point it stopped and land the ending soon.
 */
export function chapterContinuation(prompt: Prompt, partial: string, targetWords: number): Prompt {
  return {
    messages: [
      ...prompt.messages,
      { role: "assistant", content: partial },
      {
        role: "user",
        content: tag(
          "task",
          "Your text was cut off at its length limit. Continue from the exact point where it stops, without repeating " +
            `anything, and bring the chapter to its ending within about ${Math.max(150, Math.round(targetWords * 0.3))} more words.`,
        ),
      },
    ],
  };
}
