// One pure prompt builder per stage, tested on their exact text (test/worker/prompts.test.ts).
export { arcsPrompt } from "./arcs";
export { boundaryPrompt, chapterContinuation, chapterPrompt, lengthPass, PREVIOUS_ENDING_WORDS, type ChapterMemory } from "./chapter";
export { contractsPrompt } from "./contracts";
export { digestPrompt } from "./digest";
export { storyBible, type ChatMessage, type Prompt } from "./common";
export { guidePrompt } from "./guide";
export { defaultChapterImagePrompt, defaultCoverPrompt } from "./image";
export { metaPrompt } from "./meta";
export { summariesPrompt } from "./summaries";
