import { useMemo } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { patch } from "../../api";
import { StoryForm, storyToForm, useStorySubmit, type StoryBody } from "../../components/StoryForm";
import { toast } from "../../toast";
import { StepHead, type StepProps } from "./common";
import { stepDraft } from "./live";

export function StepDetails({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => storyToForm(detail.story), [detail.story]);
  const draft = stepDraft(storyId, mem, "details");
  const value = draft.draft?.value ?? server;
  const submit = useStorySubmit();
  const save = async (body: StoryBody) => {
    const d = await patch<StoryDetail>(`/api/stories/${storyId}`, body);
    live.setDetail(d);
    draft.drop();
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
          onChange={draft.set}
          submit={submit}
          onSave={save}
          submitLabel="Save details"
          actions={
            draft.draft ? (
              <>
                <span class="save-state">Unsaved changes</span>
                <button type="button" class="btn btn-ghost" onClick={() => (draft.drop(), submit.clear())}>
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
