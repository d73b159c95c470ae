import { useMemo, useState } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { fieldsOf, messageOf, put } from "../../api";
import { TextArea, TextField } from "../../components/Field";
import { Notice } from "../../components/misc";
import { move, Sortable } from "../../components/Sortable";
import { plural } from "../../format";
import { toast } from "../../toast";
import { IncomingBanner, SaveBar, StageErrors, StepHead, type StepProps } from "./common";
import { GenerateButton, missingFor, useEstimate } from "./generate";
import { dropDraft, keepDraft, newKey, setDraft, type OutlineDraft } from "./live";

const fromDetail = (d: StoryDetail): OutlineDraft => ({
  chapters: d.chapters.map((c) => ({ k: newKey(), id: c.id, title: c.title, summary: c.summary, hasContent: c.hasContent })),
  removed: 0,
});

export function StepOutline({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => fromDetail(detail), [detail.chapters]);
  const draft = mem.outline;
  const value = draft?.value ?? server;
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const missing = missingFor("summaries", detail);
  const estimate = useEstimate(storyId, "summaries", { version: live.rev, enabled: !live.busy && !missing.length });
  const update = (v: OutlineDraft) => setDraft(storyId, "outline", v);
  const hasOutline = detail.chapters.some((c) => c.summary.trim());
  const keptIds = new Set(value.chapters.flatMap((c) => (c.id ? [c.id] : [])));
  const removedWithProse = detail.chapters.filter((c) => !keptIds.has(c.id) && c.hasContent);

  const save = async () => {
    const f: Record<string, string> = {};
    value.chapters.forEach((c, i) => {
      if (c.title.length > 200) f[`chapters.${i}.title`] = "At most 200 characters";
      if (c.summary.length > 4000) f[`chapters.${i}.summary`] = "At most 4000 characters";
    });
    setFields(f);
    setError(null);
    if (Object.keys(f).length) return setError("Please fix the highlighted fields.");
    setSaving(true);
    try {
      // Ids go with every chapter, so reordering and renaming keep each chapter's prose and beats.
      const d = await put<StoryDetail>(`/api/stories/${storyId}/outline`, {
        chapters: value.chapters.map((c) => ({ ...(c.id ? { id: c.id } : {}), title: c.title.trim(), summary: c.summary.trim() })),
        deleteMissing: value.removed > 0,
      });
      live.setDetail(d);
      dropDraft(storyId, "outline");
      setFields({});
      toast("Outline saved.", "success");
    } catch (e) {
      setFields(fieldsOf(e));
      setError(messageOf(e));
    } finally {
      setSaving(false);
    }
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
      {draft && mem.incoming.outline > draft.base && (
        <IncomingBanner what="outline" onLoad={() => dropDraft(storyId, "outline")} onKeep={() => keepDraft(storyId, "outline")} />
      )}
      <StageErrors live={live} stages={["summaries"]} />
      {error && <Notice tone="error">{error}</Notice>}
      {removedWithProse.length > 0 && (
        <Notice tone="warning" title="Saving deletes written chapters.">
          <p>{removedWithProse.map((c) => `Chapter ${c.number}${c.title ? ` (${c.title})` : ""}`).join(", ")} already has prose, which saving will delete.</p>
        </Notice>
      )}
      <Sortable
        label="Chapters"
        items={value.chapters}
        keyOf={(c) => c.k}
        nameOf={(c, i) => `Chapter ${i + 1}${c.title ? `: ${c.title}` : ""}`}
        onMove={(a, b) => update({ ...value, chapters: move(value.chapters, a, b) })}
        onRemove={(i) => update({ chapters: value.chapters.filter((_, j) => j !== i), removed: value.removed + (value.chapters[i]?.id ? 1 : 0) })}
        render={(c, i) => (
          <div class="item-fields outline-item">
            <TextField
              label={`Chapter ${i + 1} title`}
              class="outline-title"
              value={c.title}
              error={fields[`chapters.${i}.title`]}
              onValue={(title) => update({ ...value, chapters: value.chapters.map((x, j) => (j === i ? { ...x, title } : x)) })}
            />
            <TextArea
              label="Summary"
              rows={3}
              value={c.summary}
              error={fields[`chapters.${i}.summary`]}
              onValue={(summary) => update({ ...value, chapters: value.chapters.map((x, j) => (j === i ? { ...x, summary } : x)) })}
            />
            {c.hasContent && <p class="hint">This chapter is written; its prose stays with it.</p>}
          </div>
        )}
      />
      <button
        type="button"
        class="btn btn-ghost btn-add"
        onClick={() => {
          update({ ...value, chapters: [...value.chapters, { k: newKey(), title: "", summary: "", hasContent: false }] });
          requestAnimationFrame(() => {
            const all = document.querySelectorAll<HTMLInputElement>(".outline-title input");
            all[all.length - 1]?.focus();
          });
        }}
      >
        + Add chapter
      </button>
      <SaveBar dirty={!!draft} saving={saving} onSave={save} onDiscard={() => (dropDraft(storyId, "outline"), setFields({}), setError(null))} label="Save outline" />
    </section>
  );
}
