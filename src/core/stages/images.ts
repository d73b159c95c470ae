// The cover and chapter art. The prompt is the author's (given now or saved before), else one
// composed from the story or the chapter's beats.
import { defaultChapterImagePrompt, defaultCoverPrompt } from "../prompts";
import type { ImageStage } from "./types";
import { oneUnit, perChapter, skipping } from "./units";

export const coverStage: ImageStage = {
  kind: "image",
  units: (s, o) => (skipping(o) && s.hasCover ? [] : oneUnit("cover")),
  imagePrompt: (_u, s, p) => p.prompt?.trim() || s.coverImagePrompt?.trim() || defaultCoverPrompt(s),
};

export const chapterImageStage: ImageStage = {
  kind: "image",
  units: (s, o) => perChapter("chapter_image", "image", s, o),
  imagePrompt: (u, s, p) =>
    p.prompt?.trim() || s.chapters.find((x) => x.id === u.chapterId)?.imagePrompt?.trim() || defaultChapterImagePrompt(s, u.chapterId!),
};
