// What the book remembers from a chapter: read its prose (and its contracts) and record what is
// now true. A cheap model, strict JSON; facts carry exact quotes that code checks.
import { DIGEST_SUMMARY_WORDS, type Contract } from "../../shared/schemas";
import { block, tag } from "../escape";
import type { StoryContext } from "../story";
import { JSON_ONLY, type Prompt } from "./common";
import { contractBlock } from "./memory";

const names = (xs: { name: string; aliases?: string[] }[]) =>
  xs.map((x) => (x.aliases?.length ? `${x.name} (also ${x.aliases.join(", ")})` : x.name)).join("; ");

export function digestPrompt(s: StoryContext, chapterId: number, prose: string, contracts: { entry: Contract | null; exit: Contract | null }): Prompt {
  const c = s.chapters.find((x) => x.id === chapterId)!;
  return {
    messages: [
      {
        role: "system",
        content:
          "You are a meticulous continuity editor for a novel. You read one chapter and record what is now true in the story, " +
          "only what the text itself shows. " +
          JSON_ONLY,
      },
      {
        role: "user",
        content: [
          tag("task", `Record what chapter ${c.number} of "${s.title}" makes true.`),
          tag("characters", names(s.characters)),
          tag("places", names(s.locations)),
          ...(contracts.entry ? [contractBlock("entry", contracts.entry)] : []),
          ...(contracts.exit ? [contractBlock("exit", contracts.exit)] : []),
          tag("chapter_text", prose, { number: c.number, title: c.title }),
          block("output", [
            `JSON with: "summary" (what happened on the page, at most ${DIGEST_SUMMARY_WORDS} words); "ending" {place, time, ` +
              `present: [names], lastBeat}; "states": [{name, where, condition, knows: [..], has: [..]}] for every character ` +
              `on the page; "facts": [{text, quote}] where quote is copied exactly, character for character, from the chapter ` +
              `text; "threadsOpened", "threadsClosed": [..]; "firstMeetings": [[name, name]] for characters who meet for the ` +
              "first time. Use the characters' and places' names as listed above.",
            JSON_ONLY,
          ]),
        ].join("\n\n"),
      },
    ],
  };
}
