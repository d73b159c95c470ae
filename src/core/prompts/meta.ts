import { block, tag } from "../escape";
import type { StoryContext } from "../story";
import { bookFacts, JSON_ONLY, PERSONA, type Prompt } from "./common";

export function metaPrompt(s: StoryContext): Prompt {
  return {
    messages: [
      { role: "system", content: `${PERSONA}\n\n${JSON_ONLY}` },
      {
        role: "user",
        content: [
          tag(
            "task",
            "Create the cast and the places of this novel. Give each character a distinctive name, a description " +
              "(role, look, desire, flaw) and a few lines of example dialogue in their own voice. Give each location a " +
              "name and a sensory description. Four to eight characters and three to six locations suit most books.",
          ),
          bookFacts(s),
          block("output", [
            'JSON: {"characters": [{"name", "description", "example_dialogue"}], "locations": [{"name", "description"}]}',
          ]),
        ].join("\n\n"),
      },
    ],
  };
}
