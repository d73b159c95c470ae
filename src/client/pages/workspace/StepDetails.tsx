import { useMemo, useState } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { fieldsOf, messageOf, patch } from "../../api";
import { StoryForm, storyFormBody, storyToForm, topLevelFields, validateStoryForm } from "../../components/StoryForm";
import { toast } from "../../toast";
import { StepHead, type StepProps } from "./common";
import { dropDraft, setDraft } from "./live";

export function StepDetails({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => storyToForm(detail.story), [detail.story]);
  const value = mem.details?.value ?? server;
  const dirty = !!mem.details;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const f = validateStoryForm(value);
    setErrors(f);
    setError(null);
    if (Object.keys(f).length) {
      setError("Please fix the highlighted fields.");
      return;
    }
    setBusy(true);
    try {
      const d = await patch<StoryDetail>(`/api/stories/${storyId}`, storyFormBody(value));
      live.setDetail(d);
      dropDraft(storyId, "details");
      toast("Details saved.", "success");
    } catch (e) {
      setErrors(topLevelFields(fieldsOf(e)));
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
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
          errors={errors}
          error={error}
          onSubmit={save}
          submitLabel="Save details"
          busy={busy}
          actions={
            dirty ? (
              <>
                <span class="save-state">Unsaved changes</span>
                <button type="button" class="btn btn-ghost" onClick={() => (dropDraft(storyId, "details"), setErrors({}), setError(null))}>
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
