import type { ComponentChildren } from "preact";

/** A big number over its label; `neg` marks it as a problem (a balance below zero, a loss). */
export function Stat({ value, label, neg, testId }: { value: ComponentChildren; label: ComponentChildren; neg?: boolean; testId?: string }) {
  return (
    <div class={`stat${neg ? " neg" : ""}`}>
      <span class="stat-value" data-testid={testId}>
        {value}
      </span>
      <span class="stat-label">{label}</span>
    </div>
  );
}
