// The story details form: used to create a story and as the workspace's Details step.
import type { ComponentChildren } from "preact";
import type { Story } from "../../shared/api";
import { Checkbox, Form, FormError, TextArea, TextField } from "./Field";
import { FIX_FIELDS, useSubmit, type FieldErrors, type Submit } from "./useSubmit";

export type StoryFormValue = {
  title: string;
  details: string;
  tags: string;
  inspirations: string;
  writingStyle: string;
  chaptersCount: string;
  targetChapterWords: string;
  shared: boolean;
  mature: boolean;
};

export const emptyStoryForm = (): StoryFormValue => ({
  title: "",
  details: "",
  tags: "",
  inspirations: "",
  writingStyle: "",
  chaptersCount: "12",
  targetChapterWords: "2500",
  shared: false,
  mature: false,
});

export const storyToForm = (s: Story): StoryFormValue => ({
  title: s.title,
  details: s.details,
  tags: s.tags.join(", "),
  inspirations: s.inspirations,
  writingStyle: s.writingStyle,
  chaptersCount: String(s.chaptersCount),
  targetChapterWords: String(s.targetChapterWords),
  shared: s.shared,
  mature: s.mature,
});

const splitTags = (s: string) =>
  s
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

export type StoryBody = ReturnType<typeof storyFormBody>;
const storyFormBody = (v: StoryFormValue) => ({
  title: v.title.trim(),
  details: v.details.trim(),
  tags: splitTags(v.tags),
  inspirations: v.inspirations.trim(),
  writingStyle: v.writingStyle.trim(),
  chaptersCount: Number(v.chaptersCount),
  targetChapterWords: Number(v.targetChapterWords),
  shared: v.shared,
  mature: v.mature,
});

/** The same rules as the API's schema, so most mistakes show before a round trip. */
function validateStoryForm(v: StoryFormValue): FieldErrors {
  const f: FieldErrors = {};
  if (!v.title.trim()) f.title = "Give your story a title";
  else if (v.title.trim().length > 200) f.title = "At most 200 characters";
  if (v.details.length > 10_000) f.details = "At most 10000 characters";
  if (v.inspirations.length > 2_000) f.inspirations = "At most 2000 characters";
  if (v.writingStyle.length > 2_000) f.writingStyle = "At most 2000 characters";
  const tags = splitTags(v.tags);
  if (tags.length > 20) f.tags = "At most 20 tags";
  else if (tags.some((t) => t.length > 40)) f.tags = "Each tag at most 40 characters";
  else if (tags.some((t) => /[<>]/.test(t))) f.tags = "No angle brackets";
  const n = Number(v.chaptersCount);
  if (!Number.isInteger(n) || n < 1 || n > 100) f.chaptersCount = "A whole number from 1 to 100";
  const w = Number(v.targetChapterWords);
  if (!Number.isInteger(w) || w < 300 || w > 10_000) f.targetChapterWords = "A whole number from 300 to 10000";
  return f;
}

/** API field keys like `tags.3` belong to the `tags` input. */
const topLevelFields = (fields: FieldErrors) => {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(fields)) out[k.split(".")[0]!] ??= v;
  return out;
};

/** The submit state a StoryForm needs; its owner keeps it, to clear the errors on Discard. */
export const useStorySubmit = () => useSubmit({ invalid: FIX_FIELDS, fieldsFrom: topLevelFields });

type Props = {
  value: StoryFormValue;
  onChange: (v: StoryFormValue) => void;
  submit: Submit;
  /** Sends the checked form; a failure's field errors land on the inputs. */
  onSave: (body: StoryBody) => Promise<void>;
  submitLabel: string;
  actions?: ComponentChildren;
};

export function StoryForm({ value: v, onChange, submit, onSave, submitLabel, actions }: Props) {
  const set = <K extends keyof StoryFormValue>(k: K) => (x: StoryFormValue[K]) => onChange({ ...v, [k]: x });
  const { fields: errors, busy } = submit;
  return (
    <Form class="story-form" onSubmit={() => submit.run(validateStoryForm(v), () => onSave(storyFormBody(v)))}>
      <FormError error={submit.error} />
      <TextField label="Title" name="title" value={v.title} onValue={set("title")} error={errors.title} maxLength={200} required />
      <TextArea
        label="What is it about?"
        name="details"
        rows={5}
        value={v.details}
        onValue={set("details")}
        error={errors.details}
        hint="The premise, the world, how it ends if you know. Everything later is built from this."
      />
      <TextField label="Tags" name="tags" value={v.tags} onValue={set("tags")} error={errors.tags} hint="Separated by commas, e.g. mystery, coastal town, found family" />
      <div class="grid-2">
        <TextArea label="Inspirations" name="inspirations" rows={3} value={v.inspirations} onValue={set("inspirations")} error={errors.inspirations} hint="Books, films or moods it should feel like." />
        <TextArea label="Writing style" name="writingStyle" rows={3} value={v.writingStyle} onValue={set("writingStyle")} error={errors.writingStyle} hint="Point of view, tense, tone." />
      </div>
      <div class="grid-2">
        <TextField label="Number of chapters" name="chaptersCount" type="number" min={1} max={100} inputMode="numeric" value={v.chaptersCount} onValue={set("chaptersCount")} error={errors.chaptersCount} hint="More and longer chapters cost more credits; every step shows its price first." />
        <TextField
          label="Words per chapter"
          name="targetChapterWords"
          type="number"
          min={300}
          max={10000}
          step={100}
          inputMode="numeric"
          value={v.targetChapterWords}
          onValue={set("targetChapterWords")}
          error={errors.targetChapterWords}
        />
      </div>
      <div class="grid-2">
        <Checkbox label="Share it with other readers" checked={v.shared} onChecked={set("shared")} error={errors.shared} hint="Shared stories can be read by signed-in users." />
        <Checkbox label="Mature content" checked={v.mature} onChecked={set("mature")} />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
        {actions}
      </div>
    </Form>
  );
}
