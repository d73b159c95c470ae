import { useMemo } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { put } from "../../api";
import { TextArea, TextField } from "../../components/Field";
import { newKey, ListEditor } from "../../components/ListEditor";
import { Notice } from "../../components/misc";
import type { FieldErrors } from "../../components/useSubmit";
import { plural } from "../../format";
import { toast } from "../../toast";
import { IncomingBanner, SaveBar, StageErrors, StepHead, useDraftEditor, type StepProps } from "./common";
import { GenerateButton, missingFor, useEstimate } from "./generate";
import { stepDraft, type OutlineDraft } from "./live";

const fromDetail = (d: StoryDetail): OutlineDraft => ({
  chapters: d.chapters.map((c) => ({ k: newKey(), id: c.id, title: c.title, summary: c.summary, hasContent: c.hasContent })),
  removed: 0,
});

export function StepOutline({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => fromDetail(detail), [detail.chapters]);
  const ed = useDraftEditor(stepDraft(storyId, mem, "outline"), server);
  const { value } = ed;
  const missing = missingFor("summaries", detail);
  const estimate = useEstimate(storyId, "summaries", { version: live.rev, enabled: !live.busy && !missing.length });
  const hasOutline = detail.chapters.some((c) => c.summary.trim());
  const keptIds = new Set(value.chapters.flatMap((c) => (c.id ? [c.id] : [])));
  const removedWithProse = detail.chapters.filter((c) => !keptIds.has(c.id) && c.hasContent);

  const save = () => {
    const f: FieldErrors = {};
    value.chapters.forEach((c, i) => {
      if (c.title.length > 200) f[`chapters.${i}.title`] = "At most 200 characters";
      if (c.summary.length > 4000) f[`chapters.${i}.summary`] = "At most 4000 characters";
    });
    ed.run(f, async () => {
      // Ids go with every chapter, so reordering and renaming keep each chapter's prose and beats.
      const d = await put<StoryDetail>(`/api/stories/${storyId}/outline`, {
        chapters: value.chapters.map((c) => ({ ...(c.id ? { id: c.id } : {}), title: c.title.trim(), summary: c.summary.trim() })),
        deleteMissing: value.removed > 0,
      });
      live.setDetail(d);
      ed.drop();
      toast("Outline saved.", "success");
    });
  };

  return (
    <section aria-labelledby="step-title">
      <StepHead
        title="Outline"
        actions={
          <GenerateButton
            storyId={storyId}
            stage="summaries"
            label={hasOutline ? "Regenerate outline" : "Generate outline"}
            estimate={estimate}
            missing={missing}
            busy={live.busy}
            onStarted={live.startJob}
          />
        }
      >
        <p>
          {plural(value.chapters.length, "chapter")}, in reading order. Reorder by dragging or with the arrow buttons; prose and beats move with their
          chapter.
        </p>
      </StepHead>
      <IncomingBanner what="outline" editor={ed} />
      <StageErrors live={live} stages={["summaries"]} />
      {ed.error && <Notice tone="error">{ed.error}</Notice>}
      {removedWithProse.length > 0 && (
        <Notice tone="warning" title="Saving deletes written chapters.">
          <p>{removedWithProse.map((c) => `Chapter ${c.number}${c.title ? ` (${c.title})` : ""}`).join(", ")} already has prose, which saving will delete.</p>
        </Notice>
      )}
      <ListEditor
        label="Chapters"
        field="chapters"
        items={value.chapters}
        // Saved chapters dropped from the list are deleted on save: the API is told to.
        onChange={(chapters) => ed.update({ chapters, removed: value.removed + value.chapters.filter((c) => c.id && !chapters.some((x) => x.k === c.k)).length })}
        nameOf={(c, i) => `Chapter ${i + 1}${c.title ? `: ${c.title}` : ""}`}
        errors={ed.fields}
        addLabel="+ Add chapter"
        blank={() => ({ title: "", summary: "", hasContent: false })}
        render={(c, i, { set, error }) => (
          <div class="item-fields">
            <TextField label={`Chapter ${i + 1} title`} value={c.title} error={error("title")} onValue={(title) => set({ title })} />
            <TextArea label="Summary" rows={3} value={c.summary} error={error("summary")} onValue={(summary) => set({ summary })} />
            {c.hasContent && <p class="hint">This chapter is written; its prose stays with it.</p>}
          </div>
        )}
      />
      <SaveBar editor={ed} onSave={save} label="Save outline" />
    </section>
  );
}
