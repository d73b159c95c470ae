// Form controls with a visible label, an optional hint and the field's error, wired together
// with aria-describedby / aria-invalid so assistive tech reads them with the input.
import type { ComponentChildren, InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from "preact";

import { useRef } from "preact/hooks";

let seq = 0;
/** A stable generated id for one component instance (or the one given). */
export function useFieldId(given?: string) {
  const ref = useRef<string>("");
  if (!ref.current) ref.current = `f-${++seq}`;
  return given ?? ref.current;
}

type Common = {
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  class?: string;
  id?: string;
};

function Wrap({ id, label, hint, error, children, klass }: Common & { id: string; children: ComponentChildren; klass?: string }) {
  return (
    <div class={`field${error ? " has-error" : ""}${klass ? ` ${klass}` : ""}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;

export type TextFieldProps = Common & Omit<InputHTMLAttributes<HTMLInputElement>, "label" | "class" | "onInput" | "value"> & {
  value: string | number;
  onValue: (v: string) => void;
};

export function TextField({ label, hint, error, class: klass, id, value, onValue, ...rest }: TextFieldProps) {
  const fid = useFieldId(id);
  return (
    <Wrap id={fid} label={label} hint={hint} error={error} klass={klass}>
      <input
        id={fid}
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(fid, hint, error)}
        {...rest}
      />
    </Wrap>
  );
}

type AreaProps = Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "label" | "class" | "onInput" | "value"> & {
  value: string;
  onValue: (v: string) => void;
};

export function TextArea({ label, hint, error, class: klass, id, value, onValue, ...rest }: AreaProps) {
  const fid = useFieldId(id);
  return (
    <Wrap id={fid} label={label} hint={hint} error={error} klass={klass}>
      <textarea
        id={fid}
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(fid, hint, error)}
        {...rest}
      />
    </Wrap>
  );
}

type SelectProps = Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, "label" | "class" | "onChange" | "value"> & {
  value: string;
  onValue: (v: string) => void;
  options: { value: string; label: string }[];
};

export function Select({ label, hint, error, class: klass, id, value, onValue, options, ...rest }: SelectProps) {
  const fid = useFieldId(id);
  return (
    <Wrap id={fid} label={label} hint={hint} error={error} klass={klass}>
      <select
        id={fid}
        value={value}
        onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(fid, hint, error)}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrap>
  );
}

type CheckProps = Omit<Common, "label"> & {
  label: ComponentChildren;
  checked: boolean;
  onChecked: (v: boolean) => void;
  disabled?: boolean;
};

export function Checkbox({ label, hint, error, class: klass, id, checked, onChecked, disabled }: CheckProps) {
  const fid = useFieldId(id);
  return (
    <div class={`field field-check${klass ? ` ${klass}` : ""}`}>
      <input
        type="checkbox"
        id={fid}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChecked((e.currentTarget as HTMLInputElement).checked)}
        aria-describedby={describedBy(fid, hint, error)}
      />
      <label for={fid}>{label}</label>
      {hint && (
        <p class="hint" id={`${fid}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${fid}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The message of a failed form submit, announced. */
export function FormError({ error }: { error?: string | null }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {error}
    </p>
  );
}
