// A list of things an admin edits in place, creates and deletes (roles, packages, tags): one table, one row editor, one create form.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { patch, post, qs } from "../../api";
import { Form, Select, TextField } from "../../components/Field";
import { Loading } from "../../components/misc";
import { ACTIONS, PagesOf, Table, type Column, type Paged } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { useSubmit, type FieldErrors } from "../../components/useSubmit";
import { toast } from "../../toast";
import { SearchForm, useSearch } from "./SearchForm";
import { DeleteButton, EditButton, useRowEditor } from "./section";

type FieldSpec = {
  key: string;
  label: string;
  kind?: "text" | "integer" | "decimal" | "select";
  options?: { value: string; label: string }[];
  disabled?: boolean;
};
export type Values = Record<string, string>;

/** Number fields, and the keyboard each asks phones for. */
const NUMERIC = { integer: "numeric", decimal: "decimal" } as const;
const isNumber = (f: FieldSpec): f is FieldSpec & { kind: keyof typeof NUMERIC } => f.kind === "integer" || f.kind === "decimal";

function SpecFields({
  fields,
  value,
  onValue,
  errors,
}: {
  fields: FieldSpec[];
  value: Values;
  onValue: (v: Values) => void;
  errors: FieldErrors;
}) {
  return (
    <>
      {fields.map((f) => {
        const common = {
          label: f.label,
          value: value[f.key] ?? "",
          onValue: (v: string) => onValue({ ...value, [f.key]: v }),
          disabled: f.disabled,
          error: errors[f.key],
        };
        return f.kind === "select" ? (
          <Select key={f.key} {...common} options={f.options ?? []} />
        ) : (
          <TextField key={f.key} {...common} inputMode={isNumber(f) ? NUMERIC[f.kind] : undefined} />
        );
      })}
    </>
  );
}

/** The API's value of a field: numbers as numbers, text trimmed. */
const toApi = (f: FieldSpec, v: string) => (isNumber(f) ? Number(v) : v.trim());

/** An edit form in a row under a table row; sends only the fields that changed. */
function RowEditor({
  colSpan,
  fields,
  initial,
  path,
  onSaved,
  onCancel,
}: {
  colSpan: number;
  fields: FieldSpec[];
  initial: Record<string, unknown>;
  path: string;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState<Values>(() => Object.fromEntries(fields.map((f) => [f.key, String(initial[f.key] ?? "")])));
  const { fields: errors, busy, run } = useSubmit({ report: "toast" });
  const row = useRef<HTMLTableRowElement>(null);
  // Opening the editor takes the keyboard to its first field.
  useEffect(() => row.current?.querySelector<HTMLElement>("input:not(:disabled), select:not(:disabled)")?.focus(), []);
  return (
    <tr class="subrow" ref={row}>
      <td colSpan={colSpan}>
        <Form
          class="inline-form"
          onSubmit={() => {
            const changed = fields.filter((f) => !f.disabled && value[f.key] !== String(initial[f.key] ?? ""));
            if (!changed.length) return onCancel();
            run({}, async () => {
              await patch(path, Object.fromEntries(changed.map((f) => [f.key, toApi(f, value[f.key]!)])));
              toast("Saved.", "success");
              onSaved();
            });
          }}
        >
          <SpecFields fields={fields} value={value} onValue={setValue} errors={errors} />
          <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={onCancel}>
            Cancel
          </button>
        </Form>
      </td>
    </tr>
  );
}

/** The New form under a catalog's table: every field is sent. */
function CreateForm({
  title,
  submitLabel,
  fields,
  blank,
  path,
  created,
  onCreated,
}: {
  title: string;
  submitLabel: string;
  fields: FieldSpec[];
  blank: Values;
  path: string;
  created: string;
  onCreated: () => void;
}) {
  const [value, setValue] = useState(blank);
  const { fields: errors, run } = useSubmit({ report: "toast" });
  return (
    <Form
      class="card"
      onSubmit={() =>
        run({}, async () => {
          await post(path, Object.fromEntries(fields.map((f) => [f.key, toApi(f, value[f.key] ?? "")])));
          setValue(blank);
          toast(created, "success");
          onCreated();
        })
      }
    >
      <h3>{title}</h3>
      <div class="grid-4">
        <SpecFields fields={fields} value={value} onValue={setValue} errors={errors} />
      </div>
      <button type="submit" class="btn">
        {submitLabel}
      </button>
    </Form>
  );
}

export type Entry = { id: number; name: string };

/**
 * Roles, credit packages and tags are catalogs: a table of entries, each edited inline (only
 * what changed is sent) or deleted, and a form for a new one. A long catalog (tags) is searched
 * and paged by the API.
 */
export function CatalogSection<T extends Entry>(p: {
  /** The section's name when its API is not there: "Role administration is not available…". */
  what: string;
  /** The entry's kind in button labels: "Edit role Free". */
  noun: string;
  path: string;
  /** Where the list is in the API's answer: "roles" in `{roles: [...]}`. */
  listKey: string;
  caption: string;
  /** The columns after Name (and before the actions). */
  columns: Column[];
  cells: (entry: T) => ComponentChildren;
  /** The inputs for an entry (disabled where it may not change), or, without one, for a new entry. */
  fields: (entry?: T) => FieldSpec[];
  canDelete?: (entry: T) => boolean;
  /** What Delete asks; "Delete <name>?" unless told. */
  question?: (entry: T) => string;
  /** The edit button's word: "Edit", or "Rename" where the name is all there is. */
  editLabel?: string;
  empty?: string;
  /** The label of a search box over a list the API searches and pages (`?q=&page=`). */
  search?: string;
  create: { title: string; submitLabel: string; blank: Values; created: string };
}) {
  const search = useSearch();
  const { data, error, reload } = useGet<Record<string, T[]> & Partial<Paged>>(
    p.search ? `${p.path}${qs({ q: search.q, page: search.page })}` : p.path,
  );
  const entries = data?.[p.listKey] ?? null;
  const rows = useRowEditor();
  if (error) return <Unavailable what={p.what} error={error} />;
  const columns: Column[] = ["Name", ...p.columns, ACTIONS];
  return (
    <div>
      {p.search && <SearchForm label={p.search} search={search} />}
      {!entries ? (
        <Loading />
      ) : p.empty && entries.length === 0 ? (
        <p class="muted">{search.q ? "Nothing matches." : p.empty}</p>
      ) : (
        <Table caption={p.caption} columns={columns}>
          {entries.map((x) => [
            <tr key={x.id}>
              <th scope="row">{x.name}</th>
              {p.cells(x)}
              <td class="row-actions">
                <EditButton id={x.id} rows={rows} label={p.editLabel ?? "Edit"} name={`${p.noun} ${x.name}`} />
                {(p.canDelete?.(x) ?? true) && (
                  <DeleteButton
                    path={`${p.path}/${x.id}`}
                    label={`Delete ${p.noun} ${x.name}`}
                    question={p.question?.(x) ?? `Delete ${x.name}?`}
                    done={`${x.name} was deleted.`}
                    onDeleted={reload}
                  />
                )}
              </td>
            </tr>,
            rows.editing === x.id && (
              <RowEditor
                key={`edit-${x.id}`}
                colSpan={columns.length}
                initial={x}
                fields={p.fields(x)}
                path={`${p.path}/${x.id}`}
                onSaved={() => {
                  rows.close(x.id);
                  reload();
                }}
                onCancel={() => rows.close(x.id)}
              />
            ),
          ])}
        </Table>
      )}
      {data?.total !== undefined && data.pageSize !== undefined && data.total > data.pageSize && (
        <PagesOf page={data.page ?? search.page} pageSize={data.pageSize} total={data.total} onPage={search.setPage} />
      )}
      <CreateForm {...p.create} fields={p.fields()} path={p.path} onCreated={reload} />
    </div>
  );
}
