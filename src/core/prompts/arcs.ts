import { block, tag } from "../escape";
import type { StoryContext } from "../story";
import { bookFacts, castBlock, JSON_ONLY, outlineBlock, PERSONA, placesBlock, type Prompt } from "./common";

export function arcsPrompt(s: StoryContext): Prompt {
  return {
    messages: [
      { role: "system", content: `${PERSONA}\n\n${JSON_ONLY}` },
      {
        role: "user",
        content: [
          tag(
            "task",
            "Name the story arcs that run through this outline: the main plot, the key character arcs and the thematic " +
              "throughline. For each arc say where it starts, how it turns and where it lands, citing chapter numbers. " +
              "Three to six arcs.",
          ),
          bookFacts(s),
          castBlock(s),
          placesBlock(s),
          outlineBlock(s),
          block("output", ['JSON: {"arcs": ["…", "…"]}, one string per arc.']),
        ].join("\n\n"),
      },
    ],
  };
}
