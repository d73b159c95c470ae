import type { CharacterState, Contract } from "../../shared/schemas";
import { block, tag } from "../escape";
import { beatBudgets, type MemoryItem } from "../memory";
import type { StoryContext } from "../story";
import { chapterBlock, storyBible, type Prompt } from "./common";
import { contractBlock, stateAtStartBlock, storySoFarMessage } from "./memory";

/** What a chapter of a book with memory knows beyond its bible and beats (docs/MEMORY.md). */
export type ChapterMemory = {
  storySoFar: MemoryItem[];
  stateAtStart: CharacterState[];
  entry: Contract | null;
  exit: Contract | null;
  /** The last ~200 words of the previous chapter's actual prose, when it was written before. */
  previousEnding: string | null;
};

/** How many words of the previous chapter a chapter prompt quotes. */
export const PREVIOUS_ENDING_WORDS = 200;

const FORMAT =
  "Markdown prose only: paragraphs, dialogue, scene breaks as a line with three asterisks. No chapter heading " +
  "or title, no notes before or after the text. Show, don't tell; let the characters speak in their voices.";

/**
 * Prose of one chapter. The bible first (cacheable, byte-identical for every chapter), then, in a
 * book with memory, the story so far (which only grows at its end), then what is particular to
 * this chapter: its beats with word budgets, the state it starts from, where it must end.
 */
export function chapterPrompt(s: StoryContext, chapterId: number, instructions?: string, memory?: ChapterMemory, bible = storyBible(s)): Prompt {
  const c = s.chapters.find((x) => x.id === chapterId)!;
  const budgets = beatBudgets(c.guide, s.targetChapterWords);
  const beats = block(
    "beats",
    c.guide.map((p, i) =>
      tag("beat", p.text, { n: i + 1, words: budgets[i]!, characters: p.characters.join(", "), locations: p.locations.join(", ") }),
    ),
  );
  const remembered = memory
    ? [
        ...(memory.stateAtStart.length ? [stateAtStartBlock(memory.stateAtStart)] : []),
        ...(memory.previousEnding ? [tag("previous_chapter_ending", memory.previousEnding)] : []),
        ...(memory.entry ? [contractBlock("entry", memory.entry)] : []),
        ...(memory.exit ? [contractBlock("exit", memory.exit)] : []),
      ]
    : [];
  // What every chapter of the book is told comes first, what is particular to this one last: the
  // prompts of a book then share everything up to the chapter's number.
  return {
    messages: [
      { role: "system", content: bible },
      ...(memory ? [{ role: "system" as const, content: storySoFarMessage(memory.storySoFar) }] : []),
      {
        role: "user",
        content: [
          tag(
            "task",
            memory
              ? "Write the chapter below in full. It continues the story so far: start from the state at its start and from the " +
                  "previous chapter's ending where it is given, never repeat what earlier chapters already staged, keep every " +
                  "established fact, and end where <exit> says when it is given."
              : "Write the chapter below in full.",
          ),
          tag("length", `About ${s.targetChapterWords} words, spent on the beats as their word budgets say.`),
          tag("format", FORMAT),
          chapterBlock(s, chapterId, c.guide.length ? [beats] : []),
          ...remembered,
          ...(instructions?.trim() ? [tag("author_instructions", instructions.trim())] : []),
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

/** The one expand or tighten pass of a chapter more than 20 % off its target: the whole chapter again, at the right length. */
export function lengthPass(prompt: Prompt, draft: string, words: number, targetWords: number): Prompt {
  const longer = words < targetWords;
  return {
    messages: [
      ...prompt.messages,
      { role: "assistant", content: draft },
      {
        role: "user",
        content: tag(
          "task",
          `This chapter has ${words} words; it should have about ${targetWords}. Rewrite it at that length: ` +
            (longer
              ? "let its scenes breathe (what the characters see, do and say), without adding events the beats do not have. "
              : "tighten it (cut repetition, summary and filler) without losing a beat or a line of dialogue that matters. ") +
            `Keep its opening, its ending and every fact. Reply with the whole chapter. ${FORMAT}`,
        ),
      },
    ],
  };
}

/**
 * The targeted rewrite of a chapter's opening when the previous chapter actually ended elsewhere
 * than its exit contract said: the bible first (cacheable), then the real ending, what disagrees,
 * and the opening to rewrite. The reply replaces only those opening paragraphs.
 */
export function boundaryPrompt(
  s: StoryContext,
  chapterId: number,
  p: { previousEnding: string; mismatches: string[]; opening: string; openingWords: number },
  bible = storyBible(s),
): Prompt {
  const c = s.chapters.find((x) => x.id === chapterId)!;
  return {
    messages: [
      { role: "system", content: bible },
      {
        role: "user",
        content: [
          tag(
            "task",
            `Chapter ${c.number} was written to follow a planned ending of chapter ${c.number - 1}, but chapter ${c.number - 1} ` +
              "actually ends differently. Rewrite only the opening of chapter " +
              `${c.number} below so it follows from the actual ending; keep its voice, its events and where it is heading.`,
          ),
          tag("previous_chapter_ending", p.previousEnding),
          block("what_differs", p.mismatches.map((m) => tag("difference", m))),
          tag("opening", p.opening),
          tag("length", `About ${p.openingWords} words: the new opening only, which replaces the one above.`),
          tag("format", FORMAT),
        ].join("\n\n"),
      },
    ],
  };
}
