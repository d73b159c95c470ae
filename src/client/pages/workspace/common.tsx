// Pieces shared by the workspace steps.
import type { ComponentChildren } from "preact";
import type { StoryDetail } from "../../../shared/api";
import type { UnitStage } from "../../../shared/stages";
import { Notice } from "../../components/misc";
import { FIX_FIELDS, useSubmit } from "../../components/useSubmit";
import type { DraftSlot, Live, Memory } from "./live";

export type StepProps = { storyId: number; live: Live; mem: Memory; detail: StoryDetail };

export function StepHead({ title, children, actions }: { title: string; children?: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <div class="step-head">
      <div>
        <h2 id="step-title">{title}</h2>
        {children && <div class="step-intro">{children}</div>}
      </div>
      {actions && <div class="step-actions">{actions}</div>}
    </div>
  );
}

/**
 * An editor over one draft: what is on screen (the author's draft, else the server's version),
 * the state of saving it, and what can be done with the draft. Discard also forgets the errors
 * of the last save; loading a new version does not, as the author did not ask to start over.
 */
export function useDraftEditor<T, S extends T | null>(slot: DraftSlot<T>, server: S) {
  const submit = useSubmit({ invalid: FIX_FIELDS });
  const { draft } = slot;
  return {
    ...submit,
    value: draft ? draft.value : server,
    dirty: !!draft,
    /** New results arrived while the author was editing: they are offered, never loaded over the draft. */
    behind: !!draft && slot.incoming > draft.base,
    update: slot.set,
    drop: slot.drop,
    keep: slot.keep,
    discard: () => {
      slot.drop();
      submit.clear();
    },
  };
}
export type DraftEditor = ReturnType<typeof useDraftEditor>;

/** Unsaved-changes bar with Save and Discard. */
export function SaveBar({ editor: { dirty, busy: saving, discard }, onSave, label = "Save" }: { editor: Pick<DraftEditor, "dirty" | "busy" | "discard">; onSave: () => void; label?: string }) {
  return (
    <div class={`save-bar${dirty ? " is-dirty" : ""}`}>
      <span class="save-state" role="status">
        {saving ? "Saving…" : dirty ? "Unsaved changes" : "All changes saved"}
      </span>
      <span class="save-bar-actions">
        {dirty && (
          <button type="button" class="btn btn-ghost" onClick={discard} disabled={saving}>
            Discard changes
          </button>
        )}
        <button type="button" class="btn btn-primary" onClick={onSave} disabled={!dirty || saving}>
          {saving ? "Saving…" : label}
        </button>
      </span>
    </div>
  );
}

/** New results arrived for a draft the author is editing: never overwrite, offer instead. */
export function IncomingBanner({ what, editor }: { what: string; editor: Pick<DraftEditor, "behind" | "drop" | "keep"> }) {
  if (!editor.behind) return null;
  return (
    <Notice
      tone="info"
      role="status"
      title={`New ${what} arrived while you were editing.`}
      actions={
        <>
          <button type="button" class="btn btn-sm" onClick={editor.drop}>
            Load the new version
          </button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={editor.keep}>
            Keep my edits
          </button>
        </>
      }
    >
      <p>Your edits are untouched. Loading the new version replaces them.</p>
    </Notice>
  );
}

/** `generation_error`s of these stages (optionally of one chapter), where they happened. */
export function StageErrors({ live, stages, chapterId, detail }: { live: Live; stages: UnitStage[]; chapterId?: number | null; detail?: StoryDetail }) {
  const errs = live.errors.filter((e) => stages.includes(e.stage) && (chapterId === undefined || e.chapterId === chapterId));
  if (!errs.length) return null;
  const name = (id: number | null) => {
    if (id === null || !detail) return "";
    const c = detail.chapters.find((x) => x.id === id);
    return c ? `Chapter ${c.number}: ` : "";
  };
  return (
    <Notice tone="error" title={errs.length === 1 ? "Generation failed" : `${errs.length} generations failed`}>
      <ul class="error-list">
        {errs.slice(0, 6).map((e, i) => (
          <li key={i}>
            {chapterId === undefined ? name(e.chapterId) : ""}
            {e.error}
          </li>
        ))}
      </ul>
      {errs.length > 6 && <p>and {errs.length - 6} more.</p>}
    </Notice>
  );
}

/** How far a job or a stage has come, for assistive tech too. */
export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div class="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-valuetext={`${value} of ${max}`}>
      <div class="progress-bar" style={{ width: `${pct}%` }} />
    </div>
  );
}

export const chapterName = (c: { number: number; title: string }) => `Chapter ${c.number}${c.title ? `: ${c.title}` : ""}`;
