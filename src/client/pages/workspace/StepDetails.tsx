import { useMemo } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { patch } from "../../api";
import { StoryForm, storyToForm, useStorySubmit, type StoryBody } from "../../components/StoryForm";
import { toast } from "../../toast";
import { StepHead, type StepProps } from "./common";
import { dropDraft, setDraft } from "./live";

export function StepDetails({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => storyToForm(detail.story), [detail.story]);
  const value = mem.details?.value ?? server;
  const dirty = !!mem.details;
  const submit = useStorySubmit();
  const save = async (body: StoryBody) => {
    const d = await patch<StoryDetail>(`/api/stories/${storyId}`, body);
    live.setDetail(d);
    dropDraft(storyId, "details");
    toast("Details saved.", "success");
  };
  return (
    <section aria-labelledby="step-title">
      <StepHead title="Details">
        <p>The premise everything else is built from. Changing the number of chapters adds empty ones, or removes empty ones from the end.</p>
      </StepHead>
      <div class="card">
        <StoryForm
          value={value}
          onChange={(v) => setDraft(storyId, "details", v)}
          submit={submit}
          onSave={save}
          submitLabel="Save details"
          actions={
            dirty ? (
              <>
                <span class="save-state">Unsaved changes</span>
                <button type="button" class="btn btn-ghost" onClick={() => (dropDraft(storyId, "details"), submit.clear())}>
                  Discard changes
                </button>
              </>
            ) : (
              <span class="save-state">All changes saved</span>
            )
          }
        />
      </div>
    </section>
  );
}
