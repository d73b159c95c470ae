// Form controls with a visible label, an optional hint and the field's error, wired together
// with aria-describedby / aria-invalid so assistive tech reads them with the input.
import type { ComponentChildren, FormHTMLAttributes, InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from "preact";

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

/** The hint and the error under a control, with the ids its aria-describedby points at. */
function Notes({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string }) {
  return (
    <>
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
    </>
  );
}

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;

type Wiring = { id: string; "aria-invalid": "true" | undefined; "aria-describedby": string | undefined };

/** A label over a control over its notes; `control` gets the attributes that tie them together. */
function Labelled({ label, hint, error, class: klass, id, control }: Common & { control: (wiring: Wiring) => ComponentChildren }) {
  const fid = useFieldId(id);
  return (
    <div class={`field${error ? " has-error" : ""}${klass ? ` ${klass}` : ""}`}>
      <label for={fid}>{label}</label>
      {control({ id: fid, "aria-invalid": error ? "true" : undefined, "aria-describedby": describedBy(fid, hint, error) })}
      <Notes id={fid} hint={hint} error={error} />
    </div>
  );
}

export type TextFieldProps = Common & Omit<InputHTMLAttributes<HTMLInputElement>, "label" | "class" | "onInput" | "value"> & {
  value: string | number;
  onValue: (v: string) => void;
};

export function TextField({ label, hint, error, class: klass, id, value, onValue, ...rest }: TextFieldProps) {
  return (
    <Labelled
      {...{ label, hint, error, class: klass, id }}
      control={(w) => <input {...w} value={value} onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)} {...rest} />}
    />
  );
}

type AreaProps = Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "label" | "class" | "onInput" | "value"> & {
  value: string;
  onValue: (v: string) => void;
};

export function TextArea({ label, hint, error, class: klass, id, value, onValue, ...rest }: AreaProps) {
  return (
    <Labelled
      {...{ label, hint, error, class: klass, id }}
      control={(w) => <textarea {...w} value={value} onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)} {...rest} />}
    />
  );
}

type SelectProps = Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, "label" | "class" | "onChange" | "value"> & {
  value: string;
  onValue: (v: string) => void;
  options: { value: string; label: string }[];
};

export function Select({ label, hint, error, class: klass, id, value, onValue, options, ...rest }: SelectProps) {
  return (
    <Labelled
      {...{ label, hint, error, class: klass, id }}
      control={(w) => (
        <select {...w} value={value} onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)} {...rest}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

type CheckProps = Omit<Common, "label"> & {
  label: ComponentChildren;
  checked: boolean;
  onChecked: (v: boolean) => void;
  disabled?: boolean;
};

/** A checkbox before its label (and, unlike the other controls, never marked invalid). */
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
      <Notes id={fid} hint={hint} error={error} />
    </div>
  );
}

/** A form the page submits itself: no navigation, and its own checks instead of the browser's bubbles. */
export function Form({ onSubmit, ...rest }: Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit"> & { onSubmit: () => void }) {
  return (
    <form
      noValidate
      {...rest}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    />
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
