import { block, tag } from "../escape";
import { entryOf, type StoryContext } from "../story";
import { chapterBlock, JSON_ONLY, storyBible, type Prompt } from "./common";
import { contractBlock } from "./memory";

/** Beats of one chapter. Starts with the story bible, shared byte for byte with every chapter. */
export function guidePrompt(s: StoryContext, chapterId: number, bible = storyBible(s)): Prompt {
  const c = s.chapters.find((x) => x.id === chapterId)!;
  const entry = entryOf(s, chapterId);
  const contracts = [...(entry ? [contractBlock("entry", entry)] : []), ...(c.exit ? [contractBlock("exit", c.exit)] : [])];
  return {
    messages: [
      { role: "system", content: bible },
      {
        role: "user",
        content: [
          tag(
            "task",
            "Plan the chapter below as a sequence of four to eight beats. Each beat is one paragraph of what happens " +
              "on the page, with the characters present and the location where it happens. When <entry> and <exit> are " +
              "given, the first beat starts from <entry> and the last one leaves the story as <exit> says.",
          ),
          block("output", [
            'JSON: {"parts": [{"text", "characters": [names], "locations": [names]}]}. ' +
              "Use only names that appear in <characters> and <locations>.",
            JSON_ONLY,
          ]),
          chapterBlock(s, chapterId, contracts),
        ].join("\n\n"),
      },
    ],
  };
}
