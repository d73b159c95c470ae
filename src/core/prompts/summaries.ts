import type { StoryContext } from "../story";
import { arcsBlock, bookFacts, castBlock, placesBlock, planningPrompt, type Prompt } from "./common";

export const summariesPrompt = (s: StoryContext): Prompt =>
  planningPrompt(
    `Outline the whole novel as exactly ${s.chaptersCount} chapters. Give each chapter an evocative title and a ` +
      "summary of three to five sentences saying what happens, who is involved and what changes. Build rising " +
      "tension across the book and pay off what you set up.",
    [bookFacts(s), castBlock(s), placesBlock(s), ...(s.arcs.length ? [arcsBlock(s)] : [])],
    `JSON: {"chapters": [{"title", "summary"}]} with exactly ${s.chaptersCount} chapters, in reading order.`,
  );
