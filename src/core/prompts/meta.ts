import type { StoryContext } from "../story";
import { bookFacts, planningPrompt, type Prompt } from "./common";

export const metaPrompt = (s: StoryContext): Prompt =>
  planningPrompt(
    "Create the cast and the places of this novel. Give each character a distinctive name, a description " +
      "(role, look, desire, flaw) and a few lines of example dialogue in their own voice. Give each location a " +
      "name and a sensory description. Four to eight characters and three to six locations suit most books.",
    [bookFacts(s)],
    'JSON: {"characters": [{"name", "description", "example_dialogue"}], "locations": [{"name", "description"}]}',
  );
