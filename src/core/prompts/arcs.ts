import type { StoryContext } from "../story";
import { bookFacts, castBlock, outlineBlock, placesBlock, planningPrompt, type Prompt } from "./common";

export const arcsPrompt = (s: StoryContext): Prompt =>
  planningPrompt(
    "Name the story arcs that run through this outline: the main plot, the key character arcs and the thematic " +
      "throughline. For each arc say where it starts, how it turns and where it lands, citing chapter numbers. " +
      "Three to six arcs.",
    [bookFacts(s), castBlock(s), placesBlock(s), outlineBlock(s)],
    'JSON: {"arcs": ["…", "…"]}, one string per arc.',
  );
