import { block, tag } from "../escape";
import type { StoryContext } from "../story";
import { arcsBlock, bookFacts, castBlock, JSON_ONLY, PERSONA, placesBlock, type Prompt } from "./common";

export function summariesPrompt(s: StoryContext): Prompt {
  return {
    messages: [
      { role: "system", content: `${PERSONA}\n\n${JSON_ONLY}` },
      {
        role: "user",
        content: [
          tag(
            "task",
            `Outline the whole novel as exactly ${s.chaptersCount} chapters. Give each chapter an evocative title and a ` +
              "summary of three to five sentences saying what happens, who is involved and what changes. Build rising " +
              "tension across the book and pay off what you set up.",
          ),
          bookFacts(s),
          castBlock(s),
          placesBlock(s),
          ...(s.arcs.length ? [arcsBlock(s)] : []),
          block("output", [
            `JSON: {"chapters": [{"title", "summary"}]} with exactly ${s.chaptersCount} chapters, in reading order.`,
          ]),
        ].join("\n\n"),
      },
    ],
  };
}
