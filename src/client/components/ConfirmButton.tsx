import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

/** A destructive action that asks for a second click instead of a browser dialog. */
export function ConfirmButton({
  children,
  confirm = "Yes, delete",
  question = "Are you sure?",
  onConfirm,
  class: klass = "btn btn-ghost btn-danger",
  label,
  disabled,
}: {
  children: ComponentChildren;
  confirm?: string;
  question?: string;
  onConfirm: () => void | Promise<void>;
  class?: string;
  label?: string;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" class={klass} aria-label={label} disabled={disabled} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span class="confirm-q">{question}</span>
      <button
        type="button"
        ref={yes}
        class="btn btn-danger btn-sm"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirm}
      </button>
      <button type="button" class="btn btn-ghost btn-sm" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
