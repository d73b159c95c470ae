// Toasts: short messages in an aria-live region; errors stay until dismissed for longer.
import { messageOf } from "./api";
import { store, useStore } from "./store";

export type Level = "info" | "success" | "warning" | "error";
type Toast = { id: number; message: string; level: Level };
const toasts = store<Toast[]>([]);
let next = 1;

export function toast(message: string, level: Level = "info") {
  const id = next++;
  toasts.set((t) => [...t.filter((x) => x.message !== message).slice(-3), { id, message, level }]);
  setTimeout(() => dismiss(id), level === "error" ? 12_000 : 6_000);
}
/** Shows what went wrong, for actions that have no form to show it in. */
export const toastError = (e: unknown) => toast(messageOf(e), "error");

/** `fn`, whose failure shows as an error toast (see toastError). */
export const orToast =
  <A extends unknown[]>(fn: (...args: A) => Promise<unknown>) =>
  async (...args: A): Promise<void> => {
    await fn(...args).catch(toastError);
  };

const dismiss = (id: number) => toasts.set((t) => t.filter((x) => x.id !== id));

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite" aria-relevant="additions">
      {list.map((t) => (
        <div key={t.id} class={`toast toast-${t.level}`}>
          <span>{t.message}</span>
          <button type="button" class="btn-icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
