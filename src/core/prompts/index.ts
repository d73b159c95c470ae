// One pure prompt builder per stage (SPEC §5).
export { arcsPrompt } from "./arcs";
export { chapterContinuation, chapterPrompt } from "./chapter";
export { storyBible, type ChatMessage, type Prompt } from "./common";
export { guidePrompt } from "./guide";
export { defaultChapterImagePrompt, defaultCoverPrompt } from "./image";
export { metaPrompt } from "./meta";
export { summariesPrompt } from "./summaries";
