// Data tables as every page draws them: a frame that scrolls sideways on narrow screens, a
// caption for screen readers, header cells (numbers right-aligned), and a pager under them.
import type { ComponentChildren } from "preact";
import { num } from "../format";

/** The actions column: buttons in every row, a header only screen readers hear. */
export const ACTIONS: Column = { label: "Actions", hidden: true };

/** A header cell: its text, or right-aligned for numbers, or only for screen readers (actions). */
export type Column = string | { label: string; num?: boolean; hidden?: boolean };

export function Table({ caption, columns, children }: { caption?: string; columns: Column[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table class="table">
        {caption && <caption class="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => {
              const { label, num, hidden } = typeof c === "string" ? { label: c } : c;
              return (
                <th key={label} scope="col" class={num ? "num" : undefined}>
                  {hidden ? <span class="sr-only">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Earlier and later pages around a note of where the reader is. */
export function Pager({ page, more, onPage, prev = "Previous", next = "Next", children }: { page: number; more: boolean; onPage: (page: number) => void; prev?: string; next?: string; children: ComponentChildren }) {
  return (
    <div class="pager">
      <button type="button" class="btn btn-ghost btn-sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {prev}
      </button>
      <span class="muted small">{children}</span>
      <button type="button" class="btn btn-ghost btn-sm" disabled={!more} onClick={() => onPage(page + 1)}>
        {next}
      </button>
    </div>
  );
}

/** Where a list that knows its total is: the API's paged answers carry these. */
export type Paged = { page: number; pageSize: number; total: number };

/** The pager of a list that knows its total: "Page 2 of 5 · 230 in all". */
export function PagesOf({ page, pageSize, total, onPage, prev, next, noun = "in all" }: Paged & { onPage: (p: number) => void; prev?: string; next?: string; noun?: string }) {
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  return (
    <Pager page={page} more={page < pages} onPage={onPage} prev={prev} next={next}>
      Page {page} of {pages} · {num(total)} {noun}
    </Pager>
  );
}
