// The state of one form's submit, the same in every form: the client's own checks run first and
// stop the request; then the API's field errors land on the same inputs, and its message shows
// above the form (or as a toast, for small inline forms that have no room for one).
import { useState } from "preact/hooks";
import { fieldsOf, messageOf } from "../api";
import { toastError } from "../toast";

export type FieldErrors = Record<string, string>;

/** What a form says when its own checks fail and the inputs show why. */
export const FIX_FIELDS = "Please fix the highlighted fields.";

type Options = {
  /** Shown as the form's message when the client's checks fail (none by default: the fields say it). */
  invalid?: string;
  /** Maps the API's field errors onto the form's inputs (as they are by default). */
  fieldsFrom?: (fields: FieldErrors) => FieldErrors;
  /** Where the API's message goes: above the form, or a toast. */
  report?: "form" | "toast";
};

export function useSubmit({ invalid, fieldsFrom, report = "form" }: Options = {}) {
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Sends with `send` unless `problems` (the client's checks, by field) has any. True once sent. */
  const run = async (problems: FieldErrors, send: () => Promise<unknown>): Promise<boolean> => {
    setFields(problems);
    setError(null);
    if (Object.keys(problems).length) {
      if (invalid) setError(invalid);
      return false;
    }
    setBusy(true);
    try {
      await send();
      return true;
    } catch (e) {
      const f = fieldsOf(e);
      setFields(fieldsFrom ? fieldsFrom(f) : f);
      if (report === "toast") toastError(e);
      else setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** Forgets the errors, e.g. when the author discards their edits. */
  const clear = () => {
    setFields({});
    setError(null);
  };

  return { fields, error, busy, run, clear };
}

export type Submit = ReturnType<typeof useSubmit>;
