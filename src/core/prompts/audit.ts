// The continuity audit of one chapter: the bible first (cacheable), then what earlier chapters made
// true, the chapter's beats and its text. Only objective contradictions, each with exact quotes.
import { block, tag } from "../escape";
import type { MemoryItem } from "../memory";
import type { StoryContext } from "../story";
import { JSON_ONLY, storyBible, type Prompt } from "./common";
import { storySoFarMessage } from "./memory";

export function auditPrompt(s: StoryContext, chapterId: number, prose: string, earlier: MemoryItem[], bible = storyBible(s)): Prompt {
  const c = s.chapters.find((x) => x.id === chapterId)!;
  return {
    messages: [
      { role: "system", content: bible },
      {
        role: "user",
        content: [
          tag(
            "task",
            `You are checking chapter ${c.number} for continuity. List only objective contradictions: something the chapter ` +
              "states that cannot be true given the story bible or what earlier chapters established. Five kinds count: " +
              "characterization (a character acts against their established nature or knowledge), factual_detail (a " +
              "name, object, number or place that does not match), timeline_plot (an event out of order, or one that " +
              "already happened or cannot have), world_rules (the world's rules broken), narrative_voice (a change of " +
              "person, tense or voice). Not matters of taste, style or pacing. If there are none, answer with no issues.",
          ),
          storySoFarMessage(earlier),
          block("beats", c.guide.map((p, i) => tag("beat", p.text, { n: i + 1 }))),
          tag("chapter_text", prose, { number: c.number, title: c.title }),
          block("output", [
            'JSON: {"issues": [{"category", "description", "quote", "contradicts": {"chapterNumber", "quote"}}]}. ' +
              '"quote" is copied exactly from <chapter_text>; "contradicts.quote" is copied exactly from the bible ' +
              "(chapterNumber null) or from the named earlier chapter's memory. A quote that is not word for word " +
              "in the book is thrown away.",
            JSON_ONLY,
          ]),
        ].join("\n\n"),
      },
    ],
  };
}
