// What every admin section shares about its frame: the heading Admin.tsx draws above it, and the
// Delete of a row, after which focus has nowhere left to be but that heading.
import { useState } from "preact/hooks";
import { del } from "../../api";
import { ConfirmButton } from "../../components/ConfirmButton";
import { orToast, toast } from "../../toast";

export const SECTION_TITLE_ID = "admin-section-title";

/** Where focus goes when what had it is gone (a deleted row): the section's heading. */
const focusSectionTitle = () => requestAnimationFrame(() => document.getElementById(SECTION_TITLE_ID)?.focus());

type Props = {
  /** The API path DELETE goes to. */
  path: string;
  /** The button's accessible name, e.g. "Delete tag mystery". */
  label: string;
  question: string;
  /** The toast once deleted, if any. */
  done?: string;
  onDeleted: () => void;
};

/** A row's Delete: asks first, deletes through the API, says so, and hands focus to the heading. */
export function DeleteButton({ path, label, question, done, onDeleted }: Props) {
  return (
    <ConfirmButton
      class="btn btn-ghost btn-sm btn-danger"
      label={label}
      question={question}
      onConfirm={orToast(async () => {
        await del(path);
        if (done) toast(done, "success");
        onDeleted();
        focusSectionTitle();
      })}
    >
      Delete
    </ConfirmButton>
  );
}

/** Which row's inline editor is open; closing it gives the keyboard back to that row's Edit button. */
export function useRowEditor() {
  const [editing, open] = useState<number | null>(null);
  const close = (id: number) => {
    open(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-edit-id="${id}"]`)?.focus());
  };
  return { editing, open, close };
}

type EditProps = { id: number; rows: ReturnType<typeof useRowEditor>; label: string; /** Who the button is for, for screen readers. */ name: string };

/** A row's Edit: opens its editor, or closes it when open. */
export function EditButton({ id, rows, label, name }: EditProps) {
  return (
    <button
      type="button"
      class="btn btn-ghost btn-sm"
      data-edit-id={id}
      aria-expanded={rows.editing === id}
      onClick={() => (rows.editing === id ? rows.close(id) : rows.open(id))}
    >
      {label}
      <span class="sr-only"> {name}</span>
    </button>
  );
}
