import { useMemo } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { put } from "../../api";
import { TextArea } from "../../components/Field";
import { newKey, ListEditor } from "../../components/ListEditor";
import { Notice } from "../../components/misc";
import type { FieldErrors } from "../../components/useSubmit";
import { toast } from "../../toast";
import { IncomingBanner, SaveBar, StageErrors, StepHead, useDraftEditor, type StepProps } from "./common";
import { GenerateButton, missingFor, useEstimate } from "./generate";
import { stepDraft, type ArcsDraft } from "./live";

const fromDetail = (d: StoryDetail): ArcsDraft => ({ arcs: d.arcs.map((text) => ({ k: newKey(), text })) });

export function StepArcs({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => fromDetail(detail), [detail.arcs]);
  const ed = useDraftEditor(stepDraft(storyId, mem, "arcs"), server);
  const { value } = ed;
  const missing = missingFor("arcs", detail);
  const estimate = useEstimate(storyId, "arcs", { version: live.rev, enabled: !live.busy && !missing.length });

  const save = () => {
    const f: FieldErrors = {};
    value.arcs.forEach((a, i) => {
      if (!a.text.trim()) f[`arcs.${i}`] = "Write the arc, or remove it";
    });
    ed.run(f, async () => {
      const d = await put<StoryDetail>(`/api/stories/${storyId}/arcs`, { arcs: value.arcs.map((a) => a.text.trim()) });
      live.setDetail(d);
      ed.drop();
      toast("Arcs saved.", "success");
    });
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
      <IncomingBanner what="arcs" editor={ed} />
      <StageErrors live={live} stages={["arcs"]} />
      {ed.error && <Notice tone="error">{ed.error}</Notice>}
      <ListEditor
        label="Arcs"
        field="arcs"
        items={value.arcs}
        onChange={(arcs) => ed.update({ arcs })}
        nameOf={(_, i) => `arc ${i + 1}`}
        errors={ed.fields}
        empty={<p class="muted">No arcs yet. Generate them from the outline, or add your own.</p>}
        addLabel="+ Add arc"
        blank={() => ({ text: "" })}
        render={(a, i, { set, error }) => <TextArea label={`Arc ${i + 1}`} rows={2} value={a.text} error={error()} onValue={(text) => set({ text })} />}
      />
      <SaveBar editor={ed} onSave={save} label="Save arcs" />
    </section>
  );
}
