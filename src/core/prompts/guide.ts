import { block, tag } from "../escape";
import { entryOf, type StoryContext } from "../story";
import { chapterBlock, JSON_ONLY, storyBible, type Prompt } from "./common";
import { contractBlock } from "./memory";

/** Beats of one chapter. Starts with the story bible, shared byte for byte with every chapter. */
export function guidePrompt(s: StoryContext, chapterId: number): Prompt {
  const c = s.chapters.find((x) => x.id === chapterId)!;
  const entry = entryOf(s, chapterId);
  const contracts = [...(entry ? [contractBlock("entry", entry)] : []), ...(c.exit ? [contractBlock("exit", c.exit)] : [])];
  return {
    messages: [
      { role: "system", content: storyBible(s) },
      {
        role: "user",
        content: [
          tag(
            "task",
            `Plan chapter ${c.number} as a sequence of four to eight beats. Each beat is one paragraph of what happens ` +
              "on the page, with the characters present and the location where it happens." +
              (contracts.length ? " The first beat starts from <entry>; the last one leaves the story as <exit> says." : ""),
          ),
          chapterBlock(s, chapterId, contracts),
          block("output", [
            'JSON: {"parts": [{"text", "characters": [names], "locations": [names]}]}. ' +
              "Use only names that appear in <characters> and <locations>.",
            JSON_ONLY,
          ]),
        ].join("\n\n"),
      },
    ],
  };
}
