// Small building blocks used across pages.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

export function Spinner({ label = "Loading" }: { label?: string }) {
  return <span class="spinner" role="img" aria-label={label} />;
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div class="loading" role="status">
      <Spinner label="" /> <span>{label}</span>
    </div>
  );
}

type Tone = "info" | "success" | "warning" | "error";
export function Notice({ tone = "info", title, children, actions, role }: { tone?: Tone; title?: ComponentChildren; children?: ComponentChildren; actions?: ComponentChildren; role?: "status" | "alert" }) {
  return (
    <div class={`notice notice-${tone}`} role={role ?? (tone === "error" ? "alert" : undefined)}>
      <div class="notice-body">
        {title && <p class="notice-title">{title}</p>}
        {children}
      </div>
      {actions && <div class="notice-actions">{actions}</div>}
    </div>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  return (
    <div class="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-valuetext={`${value} of ${max}`}>
      <div class="progress-bar" style={{ width: `${pct}%` }} />
    </div>
  );
}

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

/** Sets the document title while mounted. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · NovelApp` : "NovelApp";
  }, [title]);
}

/** A function that runs `fn` once `ms` have passed without another call. */
export function useDebounced<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => () => clearTimeout(timer.current), []);
  return (...args: A) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(...args), ms);
  };
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children}
    </div>
  );
}
