// The admin console (SPEC §13): pricing, users, generation logs, analytics, site settings,
// roles and packages.
import { useEffect, useState } from "preact/hooks";
import { UNIT_STAGES } from "../../../shared/stages";
import { del, fieldsOf, get, messageOf, patch, post, qs } from "../../api";
import { Checkbox, FormError, Select, TextField } from "../../components/Field";
import { ConfirmButton, Loading, useTitle } from "../../components/misc";
import { date, dateTime, num, usd } from "../../format";
import { Link } from "../../router";
import { toast } from "../../toast";
import { logsOf, Unavailable, type GenerationLog } from "../Profile";
import { PricingSection } from "./Pricing";

const SECTIONS = [
  ["pricing", "Pricing"],
  ["users", "Users"],
  ["generations", "Generation logs"],
  ["analytics", "Analytics"],
  ["site", "Site settings"],
  ["roles", "Roles"],
  ["packages", "Packages"],
] as const;
type Section = (typeof SECTIONS)[number][0];

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
type Paged = { page: number; pageSize: number; total: number };

function Pager({ page, pageSize, total, onPage }: Paged & { onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  return (
    <div class="pager">
      <button type="button" class="btn btn-ghost btn-sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span class="muted small">
        Page {page} of {pages} · {num(total)} in all
      </span>
      <button type="button" class="btn btn-ghost btn-sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </div>
  );
}

// ------------------------------------------------------------------ users

function CreditForm({ user, onDone }: { user: AdminUser; onDone: (c: { text: number; image: number }) => void }) {
  const [type, setType] = useState("text");
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  return (
    <form
      class="inline-form credit-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const f: Record<string, string> = {};
        const n = Number(delta);
        if (!Number.isInteger(n) || n === 0) f.delta = "A whole number, not 0 (negative to take away)";
        if (!reason.trim()) f.reason = "Say why";
        setFields(f);
        if (Object.keys(f).length) return;
        try {
          const r = await post<{ credits: { text: number; image: number } }>(`/api/admin/users/${user.id}/credits`, { type, delta: n, reason: reason.trim() });
          onDone(r.credits);
          setDelta("");
          setReason("");
          toast(`${n > 0 ? "Added" : "Removed"} ${Math.abs(n)} ${type} credits ${n > 0 ? "to" : "from"} ${user.username}.`, "success");
        } catch (err) {
          setFields(fieldsOf(err));
          toast(messageOf(err), "error");
        }
      }}
    >
      <Select label="Credit type" value={type} onValue={setType} options={[{ value: "text", label: "Text" }, { value: "image", label: "Image" }]} />
      <TextField label="Change (±)" inputMode="numeric" value={delta} onValue={setDelta} error={fields.delta} />
      <TextField label="Reason" value={reason} onValue={setReason} error={fields.reason} maxLength={500} />
      <button type="submit" class="btn btn-sm">
        Apply
      </button>
    </form>
  );
}

function UserRow({ user, roles, onChange, onDeleted }: { user: AdminUser; roles: Role[]; onChange: (u: AdminUser) => void; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const update = async (body: Record<string, unknown>) => {
    try {
      const { user: u } = await patch<{ user: AdminUser }>(`/api/admin/users/${user.id}`, body);
      onChange(u);
    } catch (e) {
      toast(messageOf(e), "error");
    }
  };
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
          <ConfirmButton
            class="btn btn-ghost btn-sm btn-danger"
            label={`Delete ${user.username}`}
            question={`Delete ${user.username} and all their stories?`}
            onConfirm={async () => {
              try {
                await del(`/api/admin/users/${user.id}`);
                toast(`${user.username} was deleted.`, "success");
                onDeleted();
              } catch (e) {
                toast(messageOf(e), "error");
              }
            }}
          >
            Delete
          </ConfirmButton>
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
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(1);
  const [data, setData] = useState<({ users: AdminUser[] } & Paged) | null>(null);
  const [roles, setRoles] = useState<Role[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = () => get<{ users: AdminUser[] } & Paged>(`/api/admin/users${qs({ q: query, page })}`).then(setData, setError);
  useEffect(() => {
    load();
  }, [query, page]);
  useEffect(() => {
    get<{ roles: Role[] }>("/api/admin/roles").then((r) => setRoles(r.roles), () => {});
  }, []);
  if (error) return <Unavailable what="User administration" error={error} />;
  return (
    <div>
      <form
        class="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setQuery(q.trim());
        }}
      >
        <TextField label="Search users" type="search" value={q} onValue={setQ} placeholder="Username or e-mail" />
        <button type="submit" class="btn">
          Search
        </button>
      </form>
      {!data ? (
        <Loading />
      ) : (
        <>
          <div class="table-wrap">
            <table class="table">
              <caption class="sr-only">Users</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col" class="num">
                    Text
                  </th>
                  <th scope="col" class="num">
                    Images
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.users.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    roles={roles}
                    onChange={(nu) => setData({ ...data, users: data.users.map((x) => (x.id === nu.id ? nu : x)) })}
                    onDeleted={load}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <Pager {...data} onPage={setPage} />
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
  const [data, setData] = useState<({ generations: AdminLog[] } & Paged) | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ generations: AdminLog[] } & Paged>(`/api/admin/generations${qs({ ...applied, page })}`).then(setData, setError);
  }, [applied, page]);
  if (error) return <Unavailable what="Generation logs" error={error} />;
  return (
    <div>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
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
      </form>
      {!data ? (
        <Loading />
      ) : logsOf(data).length === 0 ? (
        <p class="muted">No generations match.</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table">
              <caption class="sr-only">Generation logs</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">User</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Predicted
                  </th>
                  <th scope="col" class="num">
                    Real
                  </th>
                  <th scope="col" class="num">
                    In / cached / out
                  </th>
                  <th scope="col" class="num">
                    Provider
                  </th>
                </tr>
              </thead>
              <tbody>
                {logsOf(data).map((l) => (
                  <tr key={l.id}>
                    <td>{dateTime(l.createdAt)}</td>
                    <td>{l.username ?? "—"}</td>
                    <td>
                      {l.unit}
                      {l.storyTitle && <div class="muted small">{l.storyTitle}</div>}
                    </td>
                    <td>{l.model}</td>
                    <td>
                      <span class={`badge${l.status === "succeeded" ? " badge-success" : l.status === "failed" ? " badge-error" : ""}`} title={l.errorMessage ?? undefined}>
                        {l.status}
                      </span>
                    </td>
                    <td class="num">{num(l.predictedCost)}</td>
                    <td class="num">{l.realCost === null ? "—" : num(l.realCost)}</td>
                    <td class="num">{l.inputTokens === null || l.inputTokens === undefined ? "—" : `${num(l.inputTokens)} / ${num(l.cachedInputTokens ?? 0)} / ${num(l.outputTokens ?? 0)}`}</td>
                    <td class="num">{l.providerCostUsd === null || l.providerCostUsd === undefined ? "—" : usd(l.providerCostUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager {...data} onPage={setPage} />
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
  const [data, setData] = useState<Analytics | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<Analytics>(`/api/admin/analytics${qs(applied)}`).then(setData, setError);
  }, [applied]);
  if (error) return <Unavailable what="Analytics" error={error} />;
  const pct = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${Math.round(x * 1000) / 10}%`);
  return (
    <div>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ from, to });
        }}
      >
        <TextField label="From" type="date" value={from} onValue={setFrom} />
        <TextField label="To" type="date" value={to} onValue={setTo} />
        <button type="submit" class="btn">
          Show
        </button>
      </form>
      {!data ? (
        <Loading />
      ) : (
        <>
          <div class="stat-row">
            <div class="stat">
              <span class="stat-value">{usd(data.revenueUsd)}</span>
              <span class="stat-label">revenue ({data.purchases} purchases)</span>
            </div>
            <div class="stat">
              <span class="stat-value">{usd(data.providerCostUsd)}</span>
              <span class="stat-label">provider cost</span>
            </div>
            <div class={`stat${data.marginUsd < 0 ? " neg" : ""}`}>
              <span class="stat-value">{usd(data.marginUsd)}</span>
              <span class="stat-label">margin</span>
            </div>
            <div class="stat">
              <span class="stat-value">{num(data.creditsCharged.text)}</span>
              <span class="stat-label">text credits charged</span>
            </div>
            <div class="stat">
              <span class="stat-value">{num(data.creditsCharged.image)}</span>
              <span class="stat-label">image credits charged</span>
            </div>
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
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    <th scope="col" class="num">
                      Calls
                    </th>
                    <th scope="col" class="num">
                      Predicted
                    </th>
                    <th scope="col" class="num">
                      Charged
                    </th>
                    <th scope="col" class="num">
                      Bias
                    </th>
                    <th scope="col" class="num">
                      Mean abs. error
                    </th>
                  </tr>
                </thead>
                <tbody>
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
                </tbody>
              </table>
            </div>
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
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
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
    <form
      class="card narrow-card"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const f: Record<string, string> = {};
        const t = Number(form.signupTextCredits);
        const i = Number(form.signupImageCredits);
        if (!Number.isInteger(t) || t < 0) f.signupTextCredits = "A whole number, 0 or more";
        if (!Number.isInteger(i) || i < 0) f.signupImageCredits = "A whole number, 0 or more";
        setFields(f);
        setFormError(null);
        if (Object.keys(f).length) return;
        try {
          const r = await patch<{ site: Site } | Site>("/api/admin/site", {
            registrationDisabled: form.registrationDisabled,
            maintenanceMode: form.maintenanceMode,
            signupTextCredits: t,
            signupImageCredits: i,
          });
          fill("site" in r ? r.site : r);
          toast("Site settings saved.", "success");
        } catch (err) {
          setFields(fieldsOf(err));
          setFormError(messageOf(err));
        }
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
    </form>
  );
}

// ------------------------------------------------------------------ roles and packages

type EditField = { key: string; label: string; kind?: "text" | "number" | "select"; options?: { value: string; label: string }[]; disabled?: boolean };

/** An edit form in a row under a table row; sends only the fields that changed. */
function RowEditor({ colSpan, fields, initial, onSave, onCancel }: { colSpan: number; fields: EditField[]; initial: Record<string, string | number>; onSave: (patch: Record<string, string | number>) => Promise<Record<string, string> | void>; onCancel: () => void }) {
  const [value, setValue] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.key, String(initial[f.key] ?? "")])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  return (
    <tr class="subrow">
      <td colSpan={colSpan}>
        <form
          class="inline-form"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const patch: Record<string, string | number> = {};
            for (const f of fields) {
              if (f.disabled || value[f.key] === String(initial[f.key] ?? "")) continue;
              patch[f.key] = f.kind === "number" ? Number(value[f.key]) : value[f.key]!.trim();
            }
            if (!Object.keys(patch).length) return onCancel();
            setBusy(true);
            const errs = await onSave(patch);
            setBusy(false);
            if (errs) setErrors(errs);
          }}
        >
          {fields.map((f) =>
            f.kind === "select" ? (
              <Select key={f.key} label={f.label} value={value[f.key] ?? ""} onValue={(v) => setValue({ ...value, [f.key]: v })} options={f.options ?? []} disabled={f.disabled} error={errors[f.key]} />
            ) : (
              <TextField
                key={f.key}
                label={f.label}
                inputMode={f.kind === "number" ? "decimal" : undefined}
                value={value[f.key] ?? ""}
                onValue={(v) => setValue({ ...value, [f.key]: v })}
                disabled={f.disabled}
                error={errors[f.key]}
              />
            ),
          )}
          <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={onCancel}>
            Cancel
          </button>
        </form>
      </td>
    </tr>
  );
}

const savePatch = (path: string, done: () => void) => async (patchBody: Record<string, string | number>) => {
  try {
    await patch(path, patchBody);
    toast("Saved.", "success");
    done();
  } catch (e) {
    toast(messageOf(e), "error");
    return fieldsOf(e);
  }
};

type Pkg = { id: number; name: string; creditType: "text" | "image"; credits: number; priceUsd: number; active?: boolean; stripePriceId?: string | null };

function RolesSection() {
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const empty = { name: "", monthlyTextCredits: "0", monthlyImageCredits: "0", priceUsd: "0" };
  const [form, setForm] = useState(empty);
  const [fields, setFields] = useState<Record<string, string>>({});
  const load = () => get<{ roles: Role[] }>("/api/admin/roles").then((r) => setRoles(r.roles), setError);
  useEffect(() => {
    load();
  }, []);
  if (error) return <Unavailable what="Role administration" error={error} />;
  return (
    <div>
      {!roles ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">Roles</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" class="num">
                  Monthly text
                </th>
                <th scope="col" class="num">
                  Monthly images
                </th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col">Flags</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {roles.map((r) => [
                <tr key={r.id}>
                  <th scope="row">{r.name}</th>
                  <td class="num">{num(r.monthlyTextCredits)}</td>
                  <td class="num">{num(r.monthlyImageCredits)}</td>
                  <td class="num">{r.priceUsd > 0 ? `${usd(r.priceUsd)}/mo` : "Free"}</td>
                  <td>
                    {r.isAdmin && <span class="badge">admin</span>} {r.protected && <span class="badge">built-in</span>} {r.active === false && <span class="badge">retired</span>}
                  </td>
                  <td class="row-actions">
                    <button type="button" class="btn btn-ghost btn-sm" aria-expanded={editing === r.id} onClick={() => setEditing(editing === r.id ? null : r.id)}>
                      Edit<span class="sr-only"> role {r.name}</span>
                    </button>
                    {!r.protected && (
                      <ConfirmButton
                        class="btn btn-ghost btn-sm btn-danger"
                        label={`Delete role ${r.name}`}
                        question={`Delete ${r.name}?`}
                        onConfirm={async () => {
                          try {
                            await del(`/api/admin/roles/${r.id}`);
                            load();
                          } catch (e) {
                            toast(messageOf(e), "error");
                          }
                        }}
                      >
                        Delete
                      </ConfirmButton>
                    )}
                  </td>
                </tr>,
                editing === r.id && (
                  <RowEditor
                    key={`edit-${r.id}`}
                    colSpan={6}
                    initial={r as unknown as Record<string, number | string>}
                    fields={[
                      { key: "name", label: "Name", disabled: r.protected },
                      { key: "monthlyTextCredits", label: "Monthly text credits", kind: "number" },
                      { key: "monthlyImageCredits", label: "Monthly image credits", kind: "number" },
                      { key: "priceUsd", label: "Price per month (USD)", kind: "number", disabled: r.isAdmin },
                    ]}
                    onSave={savePatch(`/api/admin/roles/${r.id}`, () => (setEditing(null), load()))}
                    onCancel={() => setEditing(null)}
                  />
                ),
              ])}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="card"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await post("/api/admin/roles", {
              name: form.name.trim(),
              monthlyTextCredits: Number(form.monthlyTextCredits),
              monthlyImageCredits: Number(form.monthlyImageCredits),
              priceUsd: Number(form.priceUsd),
            });
            setForm(empty);
            setFields({});
            toast("Role created.", "success");
            load();
          } catch (err) {
            setFields(fieldsOf(err));
            toast(messageOf(err), "error");
          }
        }}
      >
        <h3>New plan</h3>
        <div class="grid-4">
          <TextField label="Name" value={form.name} onValue={(name) => setForm({ ...form, name })} error={fields.name} />
          <TextField label="Monthly text credits" inputMode="numeric" value={form.monthlyTextCredits} onValue={(v) => setForm({ ...form, monthlyTextCredits: v })} error={fields.monthlyTextCredits} />
          <TextField label="Monthly image credits" inputMode="numeric" value={form.monthlyImageCredits} onValue={(v) => setForm({ ...form, monthlyImageCredits: v })} error={fields.monthlyImageCredits} />
          <TextField label="Price per month (USD)" inputMode="decimal" value={form.priceUsd} onValue={(v) => setForm({ ...form, priceUsd: v })} error={fields.priceUsd} />
        </div>
        <button type="submit" class="btn">
          Create plan
        </button>
      </form>
    </div>
  );
}

function PackagesSection() {
  const [packages, setPackages] = useState<Pkg[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const empty = { name: "", creditType: "text", credits: "", priceUsd: "" };
  const [form, setForm] = useState(empty);
  const [fields, setFields] = useState<Record<string, string>>({});
  const load = () => get<{ packages: Pkg[] }>("/api/admin/packages").then((r) => setPackages(r.packages), setError);
  useEffect(() => {
    load();
  }, []);
  if (error) return <Unavailable what="Package administration" error={error} />;
  return (
    <div>
      {!packages ? (
        <Loading />
      ) : packages.length === 0 ? (
        <p class="muted">No packages yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">Credit packages</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col" class="num">
                  Credits
                </th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {packages.map((p) => [
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{p.creditType}</td>
                  <td class="num">{num(p.credits)}</td>
                  <td class="num">{usd(p.priceUsd)}</td>
                  <td>{p.active === false ? <span class="badge">retired</span> : <span class="badge badge-success">on sale</span>}</td>
                  <td class="row-actions">
                    <button type="button" class="btn btn-ghost btn-sm" aria-expanded={editing === p.id} onClick={() => setEditing(editing === p.id ? null : p.id)}>
                      Edit<span class="sr-only"> package {p.name}</span>
                    </button>
                    <ConfirmButton
                      class="btn btn-ghost btn-sm btn-danger"
                      label={`Delete package ${p.name}`}
                      question={`Delete ${p.name}?`}
                      onConfirm={async () => {
                        try {
                          await del(`/api/admin/packages/${p.id}`);
                          load();
                        } catch (e) {
                          toast(messageOf(e), "error");
                        }
                      }}
                    >
                      Delete
                    </ConfirmButton>
                  </td>
                </tr>,
                editing === p.id && (
                  <RowEditor
                    key={`edit-${p.id}`}
                    colSpan={6}
                    initial={p as unknown as Record<string, number | string>}
                    fields={[
                      { key: "name", label: "Name" },
                      { key: "creditType", label: "Credit type", kind: "select", options: [{ value: "text", label: "Text" }, { value: "image", label: "Image" }] },
                      { key: "credits", label: "Credits", kind: "number" },
                      { key: "priceUsd", label: "Price (USD)", kind: "number" },
                    ]}
                    onSave={savePatch(`/api/admin/packages/${p.id}`, () => (setEditing(null), load()))}
                    onCancel={() => setEditing(null)}
                  />
                ),
              ])}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="card"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await post("/api/admin/packages", { name: form.name.trim(), creditType: form.creditType, credits: Number(form.credits), priceUsd: Number(form.priceUsd) });
            setForm(empty);
            setFields({});
            toast("Package created.", "success");
            load();
          } catch (err) {
            setFields(fieldsOf(err));
            toast(messageOf(err), "error");
          }
        }}
      >
        <h3>New package</h3>
        <div class="grid-4">
          <TextField label="Name" value={form.name} onValue={(name) => setForm({ ...form, name })} error={fields.name} />
          <Select label="Credit type" value={form.creditType} onValue={(creditType) => setForm({ ...form, creditType })} options={[{ value: "text", label: "Text" }, { value: "image", label: "Image" }]} />
          <TextField label="Credits" inputMode="numeric" value={form.credits} onValue={(credits) => setForm({ ...form, credits })} error={fields.credits} />
          <TextField label="Price (USD)" inputMode="decimal" value={form.priceUsd} onValue={(priceUsd) => setForm({ ...form, priceUsd })} error={fields.priceUsd} />
        </div>
        <button type="submit" class="btn">
          Create package
        </button>
      </form>
    </div>
  );
}

export default function Admin({ params }: { params: Record<string, string> }) {
  const section = (SECTIONS.find(([s]) => s === params.section)?.[0] ?? "pricing") as Section;
  const label = SECTIONS.find(([s]) => s === section)![1];
  useTitle(`Admin · ${label}`);
  return (
    <div class="page admin">
      <h1>Admin console</h1>
      <nav class="tabs" aria-label="Admin sections">
        {SECTIONS.map(([s, l]) => (
          <Link key={s} href={`/admin/${s}`} class="tab" aria-current={s === section ? "page" : undefined}>
            {l}
          </Link>
        ))}
      </nav>
      <section aria-labelledby="admin-section-title" class="admin-section">
        <h2 id="admin-section-title">{label}</h2>
        {section === "pricing" && <PricingSection />}
        {section === "users" && <UsersSection />}
        {section === "generations" && <GenerationsSection />}
        {section === "analytics" && <AnalyticsSection />}
        {section === "site" && <SiteSection />}
        {section === "roles" && <RolesSection />}
        {section === "packages" && <PackagesSection />}
      </section>
    </div>
  );
}
