import { useMemo, useState } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { fieldsOf, messageOf, put } from "../../api";
import { TextArea } from "../../components/Field";
import { Notice } from "../../components/misc";
import { move, Sortable } from "../../components/Sortable";
import { toast } from "../../toast";
import { IncomingBanner, SaveBar, StageErrors, StepHead, type StepProps } from "./common";
import { GenerateButton, missingFor, useEstimate } from "./generate";
import { dropDraft, keepDraft, newKey, setDraft, type ArcsDraft } from "./live";

const fromDetail = (d: StoryDetail): ArcsDraft => ({ arcs: d.arcs.map((text) => ({ k: newKey(), text })) });

export function StepArcs({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => fromDetail(detail), [detail.arcs]);
  const draft = mem.arcs;
  const value = draft?.value ?? server;
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const missing = missingFor("arcs", detail);
  const estimate = useEstimate(storyId, "arcs", { version: live.rev, enabled: !live.busy && !missing.length });
  const update = (v: ArcsDraft) => setDraft(storyId, "arcs", v);

  const save = async () => {
    const f: Record<string, string> = {};
    value.arcs.forEach((a, i) => {
      if (!a.text.trim()) f[`arcs.${i}`] = "Write the arc, or remove it";
    });
    setFields(f);
    setError(null);
    if (Object.keys(f).length) return setError("Please fix the highlighted fields.");
    setSaving(true);
    try {
      const d = await put<StoryDetail>(`/api/stories/${storyId}/arcs`, { arcs: value.arcs.map((a) => a.text.trim()) });
      live.setDetail(d);
      dropDraft(storyId, "arcs");
      toast("Arcs saved.", "success");
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
        title="Arcs"
        actions={
          <GenerateButton
            storyId={storyId}
            stage="arcs"
            label={detail.arcs.length ? "Regenerate arcs" : "Generate arcs"}
            estimate={estimate}
            missing={missing}
            busy={live.busy}
            onStarted={live.startJob}
          />
        }
      >
        <p>The threads that run through the whole book: what changes, for whom, and why it matters.</p>
      </StepHead>
      {draft && mem.incoming.arcs > draft.base && <IncomingBanner what="arcs" onLoad={() => dropDraft(storyId, "arcs")} onKeep={() => keepDraft(storyId, "arcs")} />}
      <StageErrors live={live} stages={["arcs"]} />
      {error && <Notice tone="error">{error}</Notice>}
      {value.arcs.length === 0 && <p class="muted">No arcs yet. Generate them from the outline, or add your own.</p>}
      <Sortable
        label="Arcs"
        items={value.arcs}
        keyOf={(a) => a.k}
        nameOf={(_, i) => `arc ${i + 1}`}
        onMove={(a, b) => update({ arcs: move(value.arcs, a, b) })}
        onRemove={(i) => update({ arcs: value.arcs.filter((_, j) => j !== i) })}
        render={(a, i) => (
          <TextArea
            label={`Arc ${i + 1}`}
            class="arc-text"
            rows={2}
            value={a.text}
            error={fields[`arcs.${i}`]}
            onValue={(text) => update({ arcs: value.arcs.map((x, j) => (j === i ? { ...x, text } : x)) })}
          />
        )}
      />
      <button
        type="button"
        class="btn btn-ghost btn-add"
        onClick={() => {
          update({ arcs: [...value.arcs, { k: newKey(), text: "" }] });
          requestAnimationFrame(() => {
            const all = document.querySelectorAll<HTMLTextAreaElement>(".arc-text textarea");
            all[all.length - 1]?.focus();
          });
        }}
      >
        + Add arc
      </button>
      <SaveBar dirty={!!draft} saving={saving} onSave={save} onDiscard={() => (dropDraft(storyId, "arcs"), setFields({}), setError(null))} label="Save arcs" />
    </section>
  );
}
