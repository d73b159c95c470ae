// Chapter contracts for a hybrid book: where the story stands at its opening and at the end of
// every chapter, planned in one call so that chapter k+1 starts exactly where chapter k ends.
import type { StoryContext } from "../story";
import { arcsBlock, bookFacts, castBlock, outlineBlock, placesBlock, planningPrompt, type Prompt } from "./common";

export const contractsPrompt = (s: StoryContext): Prompt =>
  planningPrompt(
    `Plan the continuity of this novel's ${s.chapters.length} chapters. For the opening of the book and for the end of ` +
      "every chapter, say where things stand: the place, the time, who is present, and for each character on stage where " +
      "they are, their condition, what they know and what they carry, and the threads still open. The end of one chapter " +
      "is exactly where the next one starts, so make each ending lead to the next chapter's summary.",
    [bookFacts(s), castBlock(s), placesBlock(s), ...(s.arcs.length ? [arcsBlock(s)] : []), outlineBlock(s)],
    'JSON: {"opening": state, "exits": [state, …]} with exactly one exit per chapter, in order; a state is ' +
      '{"place", "time", "present": [names], "states": [{"name", "where", "condition", "knows": [..], "has": [..]}], ' +
      '"openThreads": [..]}. Use only names from <characters> and <locations>.',
  );
