// A list the author edits and reorders: drag an item by its handle, or use its "Move up" /
// "Move down" buttons from the keyboard; add and remove items. Moves and removals are announced
// in a polite live region, a move keeps focus on the button that made it, and Add moves focus to
// the new item's first field, where the author types next.
import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import type { FieldErrors } from "./useSubmit";

let keySeq = 0;
/** A key for a list item, stable while it is edited and moved (server ids may not exist yet). */
export const newKey = () => `k${++keySeq}`;

export type Keyed = { k: string };

export type ItemTools<T> = {
  /** Changes some of this item's fields. */
  set: (patch: Partial<T>) => void;
  /** The error for one of this item's fields (`<list>.<index>.<field>`), or for the whole item (`<list>.<index>`). */
  error: (field?: string) => string | undefined;
};

type Props<T extends Keyed> = {
  /** The list's accessible name, e.g. "Characters". */
  label: string;
  /** The list's name in error keys: "characters" in `characters.2.name`. */
  field: string;
  items: T[];
  onChange: (items: T[]) => void;
  /** A short name for the item, for button labels: "Move Chapter 2 up". */
  nameOf: (item: T, index: number) => string;
  render: (item: T, index: number, tools: ItemTools<T>) => ComponentChildren;
  errors: FieldErrors;
  /** Shown above the list while it is empty. */
  empty?: ComponentChildren;
  addLabel: string;
  /** A new, empty item for the Add button. */
  blank: () => Omit<T, "k">;
  /** Whether Add moves focus into the new item's first field (it does unless told not to). */
  focusNew?: boolean;
};

function move<T>(list: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return list;
  const next = list.slice();
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

export function ListEditor<T extends Keyed>({ label, field, items, onChange, nameOf, render, errors, empty, addLabel, blank, focusNew = true }: Props<T>) {
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [announce, setAnnounce] = useState("");
  const listRef = useRef<HTMLOListElement>(null);

  /** Once the list has re-rendered, focuses what `pick` finds in the item of `key`. */
  const focusIn = (key: string, pick: (li: HTMLElement) => HTMLElement | null | undefined) =>
    requestAnimationFrame(() => {
      const li = listRef.current?.querySelector<HTMLElement>(`[data-sort-key="${CSS.escape(key)}"]`);
      if (li) pick(li)?.focus();
    });

  const moveTo = (from: number, to: number, focus?: "up" | "down") => {
    if (to < 0 || to >= items.length || from === to) return;
    const key = items[from]!.k;
    onChange(move(items, from, to));
    setAnnounce(`Moved ${nameOf(items[from]!, from)} to position ${to + 1} of ${items.length}.`);
    // Keep focus on the button pressed; at either end of the list, it is disabled: the other one.
    if (focus)
      focusIn(key, (li) => {
        const want = li.querySelector<HTMLButtonElement>(`[data-move="${focus}"]`);
        return want && !want.disabled ? want : li.querySelector<HTMLButtonElement>(`[data-move="${focus === "up" ? "down" : "up"}"]`);
      });
  };

  const add = () => {
    const item = { ...blank(), k: newKey() } as T;
    onChange([...items, item]);
    if (focusNew) focusIn(item.k, (li) => li.querySelector<HTMLElement>(".sortable-body input, .sortable-body textarea"));
  };

  return (
    <>
      {items.length === 0 && empty}
      <ol class="sortable" aria-label={label} ref={listRef}>
        {items.map((item, i) => {
          const name = nameOf(item, i);
          const tools: ItemTools<T> = {
            set: (patch) => onChange(items.map((x, j) => (j === i ? { ...x, ...patch } : x))),
            error: (f) => errors[f ? `${field}.${i}.${f}` : `${field}.${i}`],
          };
          return (
            <li
              key={item.k}
              data-sort-key={item.k}
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
                  draggable
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
                <button type="button" class="btn-icon" data-move="up" aria-label={`Move ${name} up`} disabled={i === 0} onClick={() => moveTo(i, i - 1, "up")}>
                  ↑
                </button>
                <button type="button" class="btn-icon" data-move="down" aria-label={`Move ${name} down`} disabled={i === items.length - 1} onClick={() => moveTo(i, i + 1, "down")}>
                  ↓
                </button>
                <button
                  type="button"
                  class="btn-icon btn-remove"
                  aria-label={`Remove ${name}`}
                  onClick={() => {
                    onChange(items.filter((_, j) => j !== i));
                    setAnnounce(`Removed ${name}.`);
                  }}
                >
                  ✕
                </button>
              </div>
              <div class="sortable-body">{render(item, i, tools)}</div>
            </li>
          );
        })}
      </ol>
      <p class="sr-only" aria-live="polite">
        {announce}
      </p>
      <button type="button" class="btn btn-ghost btn-add" onClick={add}>
        {addLabel}
      </button>
    </>
  );
}
