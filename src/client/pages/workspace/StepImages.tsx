import { TextArea, TextField } from "../../components/Field";
import { chapterName, StageErrors, StepHead, type StepProps } from "./common";
import { GenerateButton, missingFor, useEstimate } from "./generate";
import { stepDraft, type ImagesDraft } from "./live";

export function StepImages({ storyId, live, mem, detail }: StepProps) {
  // Prompts are kept as a draft so they survive switching steps; they are sent with Generate.
  const { draft, set } = stepDraft(storyId, mem, "images");
  const prompts: ImagesDraft = draft?.value ?? { chapters: {} };
  const coverPrompt = prompts.cover ?? detail.story.coverImagePrompt ?? "";
  const cover = useEstimate(storyId, "cover", { version: 0, enabled: !live.busy });
  const all = useEstimate(storyId, "chapter_image", { version: detail.chapters.length, enabled: !live.busy && detail.chapters.length > 0 });
  const each = all.data?.units[0]?.credits ?? null;
  return (
    <section aria-labelledby="step-title">
      <StepHead
        title="Images"
        actions={
          <GenerateButton
            storyId={storyId}
            stage="chapter_image"
            label="Illustrate every chapter"
            estimate={all}
            missing={missingFor("chapter_image", detail)}
            busy={live.busy}
            onStarted={live.startJob}
            class="btn"
          />
        }
      >
        <p>A cover and a picture for any chapter. Leave a prompt empty and one is composed from the story, or from the chapter's beats.</p>
      </StepHead>
      <div class="cover-block card">
        <div class="cover-frame">
          {detail.story.coverImageUrl ? (
            <img src={detail.story.coverImageUrl} alt={`Cover of ${detail.story.title}`} class="cover-img" />
          ) : (
            <div class="cover-placeholder" aria-label="No cover yet">
              <span>{detail.story.title}</span>
            </div>
          )}
        </div>
        <div class="cover-form">
          <h3>Cover</h3>
          <StageErrors live={live} stages={["cover"]} />
          <TextArea
            label="Cover prompt"
            rows={4}
            value={coverPrompt}
            onValue={(v) => set({ ...prompts, cover: v })}
            placeholder={detail.defaultCoverPrompt}
            hint="Describe the picture, or leave it empty to use the one shown, composed from the story. The prompt you use is kept for next time."
            maxLength={4000}
          />
          <GenerateButton
            storyId={storyId}
            stage="cover"
            label={detail.story.coverImageUrl ? "Regenerate cover" : "Generate cover"}
            estimate={cover}
            prompt={coverPrompt}
            busy={live.busy}
            onStarted={live.startJob}
          />
        </div>
      </div>
      <h3>Chapter images</h3>
      <StageErrors live={live} stages={["chapter_image"]} chapterId={null} />
      <ul class="image-grid">
        {detail.chapters.map((c) => (
          <li key={c.id} class="image-card card">
            {c.imageUrl ? (
              <img src={c.imageUrl} alt={`Illustration for chapter ${c.number}`} class="chapter-img" loading="lazy" />
            ) : (
              <div class="image-placeholder" aria-hidden="true">
                {c.number}
              </div>
            )}
            <p class="image-card-title">{chapterName(c)}</p>
            <StageErrors live={live} stages={["chapter_image"]} chapterId={c.id} />
            <TextField
              label="Prompt (optional)"
              value={prompts.chapters[c.id] ?? c.imagePrompt ?? ""}
              onValue={(v) => set({ ...prompts, chapters: { ...prompts.chapters, [c.id]: v } })}
              maxLength={4000}
            />
            <GenerateButton
              storyId={storyId}
              stage="chapter_image"
              chapterIds={[c.id]}
              label={c.imageUrl ? "Regenerate image" : "Generate image"}
              ariaLabel={`${c.imageUrl ? "Regenerate" : "Generate"} image for chapter ${c.number}`}
              credits={each}
              prompt={prompts.chapters[c.id]}
              class="btn btn-sm"
              busy={live.busy}
              onStarted={live.startJob}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
