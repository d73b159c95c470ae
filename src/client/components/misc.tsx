// Small building blocks used across pages.
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

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

/** Sets the document title while mounted. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · NovelApp` : "NovelApp";
  }, [title]);
}
