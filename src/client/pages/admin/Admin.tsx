// The admin console (SPEC §13): pricing, users, generation logs, analytics, site settings,
// roles, packages, and the moderation and content sections: stories, tags, news and feedback.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { AdminTag } from "../../../shared/api";
import { UNIT_STAGES } from "../../../shared/stages";
import { get, patch, post, qs } from "../../api";
import { Checkbox, Form, FormError, Select, TextField } from "../../components/Field";
import { logsOf, StatusAndCost, type GenerationLog } from "../../components/GenerationLog";
import { Loading, useTitle } from "../../components/misc";
import { Stat } from "../../components/Stat";
import { ACTIONS, PagesOf, Table, type Column, type Paged } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { useSubmit, type FieldErrors } from "../../components/useSubmit";
import { date, dateTime, num, plural, usd } from "../../format";
import { Link } from "../../router";
import { orToast, toast } from "../../toast";
import { FeedbackSection, NewsSection } from "./Content";
import { StoriesSection } from "./Moderation";
import { PricingSection } from "./Pricing";
import { SearchForm, useSearch } from "./SearchForm";
import { DeleteButton, EditButton, SECTION_TITLE_ID, useRowEditor } from "./section";

const SECTIONS = {
  pricing: "Pricing",
  users: "Users",
  generations: "Generation logs",
  analytics: "Analytics",
  site: "Site settings",
  roles: "Roles",
  packages: "Packages",
  stories: "Stories",
  tags: "Tags",
  news: "News",
  feedback: "Feedback",
} as const;
type Section = keyof typeof SECTIONS;

/** The console's menu, sections grouped by what an admin comes to do. */
const GROUPS: [string, Section[]][] = [
  ["Money", ["pricing", "analytics", "roles", "packages"]],
  ["People", ["users", "generations"]],
  ["Community", ["stories", "tags", "news", "feedback"]],
  ["Site", ["site"]],
];

type Role = { id: number; name: string; isAdmin: boolean; protected?: boolean; monthlyTextCredits: number; monthlyImageCredits: number; priceUsd: number; active?: boolean; stripePriceId?: string | null };
type AdminUser = {
  id: number;
  username: string;
  email: string;
  roleId: number;
  role: string;
  isAdmin: boolean;
  verified: boolean;
  credits: { text: number; image: number };
  isLocked: boolean;
  underReview: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};
const CREDIT_TYPES = [
  { value: "text", label: "Text" },
  { value: "image", label: "Image" },
];

// ------------------------------------------------------------------ users

function CreditForm({ user, onDone }: { user: AdminUser; onDone: (c: { text: number; image: number }) => void }) {
  const [type, setType] = useState("text");
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState("");
  const { fields, run } = useSubmit({ report: "toast" });
  return (
    <Form
      class="inline-form credit-form"
      onSubmit={() => {
        const f: FieldErrors = {};
        const n = Number(delta);
        if (!Number.isInteger(n) || n === 0) f.delta = "A whole number, not 0 (negative to take away)";
        if (!reason.trim()) f.reason = "Say why";
        run(f, async () => {
          const r = await post<{ credits: { text: number; image: number } }>(`/api/admin/users/${user.id}/credits`, { type, delta: n, reason: reason.trim() });
          onDone(r.credits);
          setDelta("");
          setReason("");
          toast(`${n > 0 ? "Added" : "Removed"} ${Math.abs(n)} ${type} credits ${n > 0 ? "to" : "from"} ${user.username}.`, "success");
        });
      }}
    >
      <Select label="Credit type" value={type} onValue={setType} options={CREDIT_TYPES} />
      <TextField label="Change (±)" inputMode="numeric" value={delta} onValue={setDelta} error={fields.delta} />
      <TextField label="Reason" value={reason} onValue={setReason} error={fields.reason} maxLength={500} />
      <button type="submit" class="btn btn-sm">
        Apply
      </button>
    </Form>
  );
}

function UserRow({ user, roles, onChange, onDeleted }: { user: AdminUser; roles: Role[]; onChange: (u: AdminUser) => void; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const update = orToast(async (body: Record<string, unknown>) => {
    const { user: u } = await patch<{ user: AdminUser }>(`/api/admin/users/${user.id}`, body);
    onChange(u);
  });
  return (
    <>
      <tr>
        <td>
          <strong>{user.username}</strong>
          <div class="muted small">{user.email}</div>
        </td>
        <td>
          {roles.length ? (
            <Select
              label={<span class="sr-only">Role of {user.username}</span>}
              value={String(user.roleId)}
              onValue={(v) => update({ roleId: Number(v) })}
              options={roles.map((r) => ({ value: String(r.id), label: r.name }))}
            />
          ) : (
            user.role
          )}
        </td>
        <td class={`num${user.credits.text <= 0 ? " neg" : ""}`}>{num(user.credits.text)}</td>
        <td class={`num${user.credits.image <= 0 ? " neg" : ""}`}>{num(user.credits.image)}</td>
        <td>
          <Checkbox label="Locked" checked={user.isLocked} onChecked={(isLocked) => update({ isLocked })} />
          <Checkbox label="Under review" checked={user.underReview} onChecked={(underReview) => update({ underReview })} />
        </td>
        <td>{date(user.createdAt)}</td>
        <td class="row-actions">
          <button type="button" class="btn btn-ghost btn-sm" aria-expanded={open} onClick={() => setOpen(!open)}>
            Credits<span class="sr-only"> of {user.username}</span>
          </button>
          <DeleteButton
            path={`/api/admin/users/${user.id}`}
            label={`Delete ${user.username}`}
            question={`Delete ${user.username} and all their stories?`}
            done={`${user.username} was deleted.`}
            onDeleted={onDeleted}
          />
        </td>
      </tr>
      {open && (
        <tr class="subrow">
          <td colSpan={7}>
            <CreditForm user={user} onDone={(credits) => onChange({ ...user, credits })} />
          </td>
        </tr>
      )}
    </>
  );
}

function UsersSection() {
  const search = useSearch();
  const { data, error, setData, reload } = useGet<{ users: AdminUser[] } & Paged>(`/api/admin/users${qs({ q: search.q, page: search.page })}`);
  // Without the roles, the Role column shows each user's role as text instead of a select.
  const roles = useGet<{ roles: Role[] }>("/api/admin/roles", () => {}).data?.roles ?? [];
  if (error) return <Unavailable what="User administration" error={error} />;
  return (
    <div>
      <SearchForm label="Search users" search={search} placeholder="Username or e-mail" />
      {!data ? (
        <Loading />
      ) : (
        <>
          <Table caption="Users" columns={["User", "Role", { label: "Text", num: true }, { label: "Images", num: true }, "Status", "Joined", ACTIONS]}>
            {data.users.map((u) => (
              <UserRow
                key={u.id}
                user={u}
                roles={roles}
                onChange={(nu) => setData({ ...data, users: data.users.map((x) => (x.id === nu.id ? nu : x)) })}
                onDeleted={reload}
              />
            ))}
          </Table>
          <PagesOf {...data} onPage={search.setPage} />
        </>
      )}
    </div>
  );
}

// ------------------------------------------------------------------ generation logs

type AdminLog = GenerationLog & { username?: string; providerCostUsd?: number | null; reasoningTokens?: number | null };

function GenerationsSection() {
  const [filters, setFilters] = useState({ user: "", status: "", stage: "" });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const { data, error } = useGet<{ generations: AdminLog[] } & Paged>(`/api/admin/generations${qs({ ...applied, page })}`);
  if (error) return <Unavailable what="Generation logs" error={error} />;
  return (
    <div>
      <Form
        class="inline-form"
        onSubmit={() => {
          setPage(1);
          setApplied({ ...filters, user: filters.user.trim() });
        }}
      >
        <TextField label="User (name or id)" value={filters.user} onValue={(user) => setFilters({ ...filters, user })} />
        <Select
          label="Status"
          value={filters.status}
          onValue={(status) => setFilters({ ...filters, status })}
          options={[{ value: "", label: "Any" }, ...["pending", "succeeded", "failed", "cancelled"].map((s) => ({ value: s, label: s }))]}
        />
        <Select
          label="Stage"
          value={filters.stage}
          onValue={(stage) => setFilters({ ...filters, stage })}
          options={[{ value: "", label: "Any" }, ...UNIT_STAGES.map((s) => ({ value: s, label: s }))]}
        />
        <button type="submit" class="btn">
          Filter
        </button>
      </Form>
      {!data ? (
        <Loading />
      ) : logsOf(data).length === 0 ? (
        <p class="muted">No generations match.</p>
      ) : (
        <>
          <Table
            caption="Generation logs"
            columns={["When", "User", "Unit", "Model", "Status", { label: "Predicted", num: true }, { label: "Real", num: true }, { label: "In / cached / out", num: true }, { label: "Provider", num: true }]}
          >
            {logsOf(data).map((l) => (
              <tr key={l.id}>
                <td>{dateTime(l.createdAt)}</td>
                <td>{l.username ?? "—"}</td>
                <td>
                  {l.unit}
                  {l.storyTitle && <div class="muted small">{l.storyTitle}</div>}
                </td>
                <td>{l.model}</td>
                <StatusAndCost log={l} />
                <td class="num">{l.inputTokens === null || l.inputTokens === undefined ? "—" : `${num(l.inputTokens)} / ${num(l.cachedInputTokens ?? 0)} / ${num(l.outputTokens ?? 0)}`}</td>
                <td class="num">{l.providerCostUsd === null || l.providerCostUsd === undefined ? "—" : usd(l.providerCostUsd)}</td>
              </tr>
            ))}
          </Table>
          <PagesOf {...data} onPage={setPage} />
        </>
      )}
    </div>
  );
}

// ------------------------------------------------------------------ analytics

type Analytics = {
  from: string;
  to: string;
  revenueUsd: number;
  purchases: number;
  providerCostUsd: number;
  marginUsd: number;
  creditsCharged: { text: number; image: number };
  usage?: { calls: number; inputTokens: number; cachedInputTokens: number; outputTokens: number; reasoningTokens: number };
  predictionError: { stage: string; units: number; predicted: number; actual: number; bias: number | null; meanAbsError: number }[];
};

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function AnalyticsSection() {
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * 86400_000)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [applied, setApplied] = useState({ from, to });
  const { data, error } = useGet<Analytics>(`/api/admin/analytics${qs(applied)}`);
  if (error) return <Unavailable what="Analytics" error={error} />;
  const pct = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${Math.round(x * 1000) / 10}%`);
  return (
    <div>
      {/* The browser's own check stays on: it refuses a half-typed date. */}
      <Form class="inline-form" noValidate={false} onSubmit={() => setApplied({ from, to })}>
        <TextField label="From" type="date" value={from} onValue={setFrom} />
        <TextField label="To" type="date" value={to} onValue={setTo} />
        <button type="submit" class="btn">
          Show
        </button>
      </Form>
      {!data ? (
        <Loading />
      ) : (
        <>
          <div class="stat-row">
            <Stat value={usd(data.revenueUsd)} label={`revenue (${data.purchases} purchases)`} />
            <Stat value={usd(data.providerCostUsd)} label="provider cost" />
            <Stat value={usd(data.marginUsd)} label="margin" neg={data.marginUsd < 0} />
            <Stat value={num(data.creditsCharged.text)} label="text credits charged" />
            <Stat value={num(data.creditsCharged.image)} label="image credits charged" />
          </div>
          {data.usage && (
            <p class="muted">
              {num(data.usage.calls)} calls · {num(data.usage.inputTokens)} input tokens ({num(data.usage.cachedInputTokens)} cached) · {num(data.usage.outputTokens)} output
              tokens ({num(data.usage.reasoningTokens)} reasoning)
            </p>
          )}
          <h3>Prediction error by stage</h3>
          {data.predictionError.length === 0 ? (
            <p class="muted">No generations in this period.</p>
          ) : (
            <Table columns={["Stage", ...["Calls", "Predicted", "Charged", "Bias", "Mean abs. error"].map((label) => ({ label, num: true }))]}>
              {data.predictionError.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{s.stage}</th>
                  <td class="num">{num(s.units)}</td>
                  <td class="num">{num(s.predicted)}</td>
                  <td class="num">{num(s.actual)}</td>
                  <td class="num">{pct(s.bias)}</td>
                  <td class="num">{pct(s.meanAbsError)}</td>
                </tr>
              ))}
            </Table>
          )}
        </>
      )}
    </div>
  );
}

// ------------------------------------------------------------------ site settings

type Site = { registrationDisabled: boolean; maintenanceMode: boolean; signupTextCredits: number; signupImageCredits: number };

function SiteSection() {
  const [site, setSite] = useState<Site | null>(null);
  const [form, setForm] = useState<{ registrationDisabled: boolean; maintenanceMode: boolean; signupTextCredits: string; signupImageCredits: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { fields, error: formError, run } = useSubmit();
  const fill = (s: Site) => {
    setSite(s);
    setForm({ ...s, signupTextCredits: String(s.signupTextCredits), signupImageCredits: String(s.signupImageCredits) });
  };
  useEffect(() => {
    get<{ site: Site } | Site>("/api/admin/site").then((r) => fill("site" in r ? r.site : r), setError);
  }, []);
  if (error) return <Unavailable what="Site settings" error={error} />;
  if (!site || !form) return <Loading />;
  return (
    <Form
      class="card narrow-card"
      onSubmit={() => {
        const f: FieldErrors = {};
        const t = Number(form.signupTextCredits);
        const i = Number(form.signupImageCredits);
        if (!Number.isInteger(t) || t < 0) f.signupTextCredits = "A whole number, 0 or more";
        if (!Number.isInteger(i) || i < 0) f.signupImageCredits = "A whole number, 0 or more";
        run(f, async () => {
          const r = await patch<{ site: Site } | Site>("/api/admin/site", {
            registrationDisabled: form.registrationDisabled,
            maintenanceMode: form.maintenanceMode,
            signupTextCredits: t,
            signupImageCredits: i,
          });
          fill("site" in r ? r.site : r);
          toast("Site settings saved.", "success");
        });
      }}
    >
      <FormError error={formError} />
      <Checkbox label="Registration closed" hint="New sign-ups are refused." checked={form.registrationDisabled} onChecked={(registrationDisabled) => setForm({ ...form, registrationDisabled })} />
      <Checkbox
        label="Maintenance mode"
        hint="Everyone but admins gets a maintenance message."
        checked={form.maintenanceMode}
        onChecked={(maintenanceMode) => setForm({ ...form, maintenanceMode })}
      />
      <div class="grid-2">
        <TextField label="Text credits for new accounts" inputMode="numeric" value={form.signupTextCredits} onValue={(signupTextCredits) => setForm({ ...form, signupTextCredits })} error={fields.signupTextCredits} />
        <TextField label="Image credits for new accounts" inputMode="numeric" value={form.signupImageCredits} onValue={(signupImageCredits) => setForm({ ...form, signupImageCredits })} error={fields.signupImageCredits} />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary">
          Save settings
        </button>
      </div>
    </Form>
  );
}

// ------------------------------------------------------------------ roles and packages

/** One input of a role or a package, the same in its New form and its inline editor. */
type FieldSpec = { key: string; label: string; kind?: "text" | "integer" | "decimal" | "select"; options?: { value: string; label: string }[]; disabled?: boolean };
type Values = Record<string, string>;

/** Number fields, and the keyboard each asks phones for. */
const NUMERIC = { integer: "numeric", decimal: "decimal" } as const;
const isNumber = (f: FieldSpec): f is FieldSpec & { kind: keyof typeof NUMERIC } => f.kind === "integer" || f.kind === "decimal";

function SpecFields({ fields, value, onValue, errors }: { fields: FieldSpec[]; value: Values; onValue: (v: Values) => void; errors: FieldErrors }) {
  return (
    <>
      {fields.map((f) => {
        const common = { label: f.label, value: value[f.key] ?? "", onValue: (v: string) => onValue({ ...value, [f.key]: v }), disabled: f.disabled, error: errors[f.key] };
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
function RowEditor({ colSpan, fields, initial, path, onSaved, onCancel }: { colSpan: number; fields: FieldSpec[]; initial: Record<string, unknown>; path: string; onSaved: () => void; onCancel: () => void }) {
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
function CreateForm({ title, submitLabel, fields, blank, path, created, onCreated }: { title: string; submitLabel: string; fields: FieldSpec[]; blank: Values; path: string; created: string; onCreated: () => void }) {
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

type Entry = { id: number; name: string };

/**
 * Roles, credit packages and tags are catalogs: a table of entries, each edited inline (only
 * what changed is sent) or deleted, and a form for a new one. A long catalog (tags) is searched
 * and paged by the API.
 */
function CatalogSection<T extends Entry>(p: {
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
  const { data, error, reload } = useGet<Record<string, T[]> & Partial<Paged>>(p.search ? `${p.path}${qs({ q: search.q, page: search.page })}` : p.path);
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

type Pkg = { id: number; name: string; creditType: "text" | "image"; credits: number; priceUsd: number; active?: boolean; stripePriceId?: string | null };

const RolesSection = () => (
  <CatalogSection<Role>
    what="Role administration"
    noun="role"
    path="/api/admin/roles"
    listKey="roles"
    caption="Roles"
    columns={[{ label: "Monthly text", num: true }, { label: "Monthly images", num: true }, { label: "Price", num: true }, "Flags"]}
    cells={(r) => (
      <>
        <td class="num">{num(r.monthlyTextCredits)}</td>
        <td class="num">{num(r.monthlyImageCredits)}</td>
        <td class="num">{r.priceUsd > 0 ? `${usd(r.priceUsd)}/mo` : "Free"}</td>
        <td>
          {r.isAdmin && <span class="badge">admin</span>} {r.protected && <span class="badge">built-in</span>} {r.active === false && <span class="badge">retired</span>}
        </td>
      </>
    )}
    fields={(r) => [
      { key: "name", label: "Name", disabled: r?.protected },
      { key: "monthlyTextCredits", label: "Monthly text credits", kind: "integer" },
      { key: "monthlyImageCredits", label: "Monthly image credits", kind: "integer" },
      { key: "priceUsd", label: "Price per month (USD)", kind: "decimal", disabled: r?.isAdmin },
    ]}
    canDelete={(r) => !r.protected}
    create={{ title: "New plan", submitLabel: "Create plan", blank: { name: "", monthlyTextCredits: "0", monthlyImageCredits: "0", priceUsd: "0" }, created: "Role created." }}
  />
);

const PackagesSection = () => (
  <CatalogSection<Pkg>
    what="Package administration"
    noun="package"
    path="/api/admin/packages"
    listKey="packages"
    caption="Credit packages"
    columns={["Type", { label: "Credits", num: true }, { label: "Price", num: true }, "Status"]}
    cells={(p) => (
      <>
        <td>{p.creditType}</td>
        <td class="num">{num(p.credits)}</td>
        <td class="num">{usd(p.priceUsd)}</td>
        <td>{p.active === false ? <span class="badge">retired</span> : <span class="badge badge-success">on sale</span>}</td>
      </>
    )}
    fields={() => [
      { key: "name", label: "Name" },
      { key: "creditType", label: "Credit type", kind: "select", options: CREDIT_TYPES },
      { key: "credits", label: "Credits", kind: "integer" },
      { key: "priceUsd", label: "Price (USD)", kind: "decimal" },
    ]}
    empty="No packages yet."
    create={{ title: "New package", submitLabel: "Create package", blank: { name: "", creditType: "text", credits: "", priceUsd: "" }, created: "Package created." }}
  />
);

const TagsSection = () => (
  <CatalogSection<AdminTag>
    what="Tag administration"
    noun="tag"
    path="/api/admin/tags"
    listKey="tags"
    caption="Tags, with the number of stories using each"
    columns={[{ label: "Stories", num: true }]}
    cells={(t) => <td class="num">{num(t.stories)}</td>}
    fields={() => [{ key: "name", label: "Name" }]}
    editLabel="Rename"
    question={(t) => (t.stories ? `Delete ${t.name}? It comes off ${plural(t.stories, "story", "stories")}.` : `Delete ${t.name}?`)}
    empty="No tags yet. Tags authors give their stories appear here."
    search="Search tags"
    create={{ title: "New tag", submitLabel: "Add tag", blank: { name: "" }, created: "Tag added." }}
  />
);

export default function Admin({ params }: { params: Record<string, string> }) {
  const section: Section = Object.hasOwn(SECTIONS, params.section ?? "") ? (params.section as Section) : "pricing";
  const label = SECTIONS[section];
  useTitle(`Admin · ${label}`);
  const nav = useRef<HTMLElement>(null);
  // On a phone the menu is a row that scrolls sideways: keep the current section in view.
  useEffect(() => nav.current?.querySelector("[aria-current=page]")?.scrollIntoView({ block: "nearest", inline: "nearest" }), [section]);
  return (
    <div class="page admin">
      <h1>Admin console</h1>
      <div class="admin-layout">
        <nav class="admin-nav" aria-label="Admin sections" ref={nav}>
          {GROUPS.map(([group, ids]) => (
            <div key={group} class="admin-nav-group">
              <p class="admin-nav-title" id={`admin-nav-${group}`}>
                {group}
              </p>
              <ul aria-labelledby={`admin-nav-${group}`}>
                {ids.map((s) => (
                  <li key={s}>
                    <Link href={`/admin/${s}`} class="admin-nav-link" aria-current={s === section ? "page" : undefined}>
                      {SECTIONS[s]}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <section aria-labelledby={SECTION_TITLE_ID} class="admin-section">
          <h2 id={SECTION_TITLE_ID} tabIndex={-1}>
            {label}
          </h2>
          {section === "pricing" && <PricingSection />}
          {section === "users" && <UsersSection />}
          {section === "generations" && <GenerationsSection />}
          {section === "analytics" && <AnalyticsSection />}
          {section === "site" && <SiteSection />}
          {section === "roles" && <RolesSection />}
          {section === "packages" && <PackagesSection />}
          {section === "stories" && <StoriesSection />}
          {section === "tags" && <TagsSection />}
          {section === "news" && <NewsSection />}
          {section === "feedback" && <FeedbackSection />}
        </section>
      </div>
    </div>
  );
}
