// Pieces shared by the workspace steps.
import type { ComponentChildren } from "preact";
import type { StoryDetail } from "../../../shared/api";
import type { UnitStage } from "../../../shared/stages";
import { Notice } from "../../components/misc";
import type { Live, Memory } from "./live";

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

/** Unsaved-changes bar with Save and Discard. */
export function SaveBar({ dirty, saving, onSave, onDiscard, label = "Save", note }: { dirty: boolean; saving: boolean; onSave: () => void; onDiscard: () => void; label?: string; note?: ComponentChildren }) {
  return (
    <div class={`save-bar${dirty ? " is-dirty" : ""}`}>
      <span class="save-state" role="status">
        {saving ? "Saving…" : dirty ? "Unsaved changes" : "All changes saved"}
      </span>
      {note}
      <span class="save-bar-actions">
        {dirty && (
          <button type="button" class="btn btn-ghost" onClick={onDiscard} disabled={saving}>
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

/** New results arrived for a step the author is editing: never overwrite, offer instead. */
export function IncomingBanner({ what, onLoad, onKeep }: { what: string; onLoad: () => void; onKeep: () => void }) {
  return (
    <Notice
      tone="info"
      role="status"
      title={`New ${what} arrived while you were editing.`}
      actions={
        <>
          <button type="button" class="btn btn-sm" onClick={onLoad}>
            Load the new version
          </button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={onKeep}>
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

/** Field errors of the API keyed like `characters.2.name`, narrowed to one prefix. */
export const fieldsUnder = (fields: Record<string, string>, prefix: string) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (k.startsWith(`${prefix}.`)) out[k.slice(prefix.length + 1)] = v;
  return out;
};

export const chapterName = (c: { number: number; title: string }) => `Chapter ${c.number}${c.title ? `: ${c.title}` : ""}`;
