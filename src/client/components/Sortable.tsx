// A reorderable list: drag an item by its handle, or use its "Move up" / "Move down" buttons
// from the keyboard. Moves are announced in a polite live region and keep focus on the button.
import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";

type Props<T> = {
  items: T[];
  keyOf: (item: T) => string | number;
  /** A short name for the item, for button labels: "Move Chapter 2 up". */
  nameOf: (item: T, index: number) => string;
  onMove: (from: number, to: number) => void;
  onRemove?: (index: number) => void;
  render: (item: T, index: number) => ComponentChildren;
  label: string;
  class?: string;
  disabled?: boolean;
};

export function move<T>(list: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return list;
  const next = list.slice();
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

export function Sortable<T>({ items, keyOf, nameOf, onMove, onRemove, render, label, class: klass, disabled }: Props<T>) {
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [announce, setAnnounce] = useState("");
  const listRef = useRef<HTMLOListElement>(null);

  const moveTo = (from: number, to: number, focus?: "up" | "down") => {
    if (to < 0 || to >= items.length || from === to) return;
    const key = keyOf(items[from]!);
    onMove(from, to);
    setAnnounce(`Moved ${nameOf(items[from]!, from)} to position ${to + 1} of ${items.length}.`);
    if (focus)
      requestAnimationFrame(() => {
        const li = listRef.current?.querySelector<HTMLElement>(`[data-sort-key="${CSS.escape(String(key))}"]`);
        const want = li?.querySelector<HTMLButtonElement>(`[data-move="${focus}"]`);
        const btn = want && !want.disabled ? want : li?.querySelector<HTMLButtonElement>(`[data-move="${focus === "up" ? "down" : "up"}"]`);
        btn?.focus();
      });
  };

  return (
    <>
      <ol class={`sortable${klass ? ` ${klass}` : ""}`} aria-label={label} ref={listRef}>
        {items.map((item, i) => {
          const name = nameOf(item, i);
          return (
            <li
              key={keyOf(item)}
              data-sort-key={String(keyOf(item))}
              class={`sortable-item${dragging === i ? " is-dragging" : ""}${over === i && dragging !== null && dragging !== i ? (dragging < i ? " drop-after" : " drop-before") : ""}`}
              onDragOver={(e) => {
                if (dragging === null) return;
                e.preventDefault();
                if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
                if (over !== i) setOver(i);
              }}
              onDrop={(e) => {
                e.preventDefault();
                if (dragging !== null) moveTo(dragging, i);
                setDragging(null);
                setOver(null);
              }}
            >
              <div class="sortable-controls">
                <span
                  class="drag-handle"
                  draggable={!disabled}
                  title="Drag to reorder"
                  aria-hidden="true"
                  onDragStart={(e) => {
                    setDragging(i);
                    if (e.dataTransfer) {
                      e.dataTransfer.effectAllowed = "move";
                      e.dataTransfer.setData("text/plain", String(i));
                      const li = (e.currentTarget as HTMLElement).closest("li");
                      if (li) e.dataTransfer.setDragImage(li, 16, 16);
                    }
                  }}
                  onDragEnd={() => {
                    setDragging(null);
                    setOver(null);
                  }}
                >
                  ⠿
                </span>
                <span class="sortable-index" aria-hidden="true">
                  {i + 1}
                </span>
                <button type="button" class="btn-icon" data-move="up" aria-label={`Move ${name} up`} disabled={disabled || i === 0} onClick={() => moveTo(i, i - 1, "up")}>
                  ↑
                </button>
                <button
                  type="button"
                  class="btn-icon"
                  data-move="down"
                  aria-label={`Move ${name} down`}
                  disabled={disabled || i === items.length - 1}
                  onClick={() => moveTo(i, i + 1, "down")}
                >
                  ↓
                </button>
                {onRemove && (
                  <button type="button" class="btn-icon btn-remove" aria-label={`Remove ${name}`} disabled={disabled} onClick={() => {
                    onRemove(i);
                    setAnnounce(`Removed ${name}.`);
                  }}>
                    ✕
                  </button>
                )}
              </div>
              <div class="sortable-body">{render(item, i)}</div>
            </li>
          );
        })}
      </ol>
      <p class="sr-only" aria-live="polite">
        {announce}
      </p>
    </>
  );
}
