// Admin, people: users (role, lock and review, credits with a reason, delete with their stories).
import type { AdminRole, AdminUser, AdminUserPage } from "../../../shared/api";
import { session } from "../../session";
import { useState } from "preact/hooks";
import { patch, post, qs } from "../../api";
import { Checkbox, Form, Select, TextField } from "../../components/Field";
import { Loading } from "../../components/misc";
import { ACTIONS, PagesOf, Table, type Paged } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { useSubmit, type FieldErrors } from "../../components/useSubmit";
import { date, num } from "../../format";
import { orToast, toast } from "../../toast";
import { SearchForm, useSearch } from "./SearchForm";
import { DeleteButton } from "./section";

export type Role = AdminRole;
export const CREDIT_TYPES = [
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
          const r = await post<{ credits: { text: number; image: number } }>(`/api/admin/users/${user.id}/credits`, {
            type,
            delta: n,
            reason: reason.trim(),
          });
          onDone(r.credits);
          setDelta("");
          setReason("");
          toast(
            `${n > 0 ? "Added" : "Removed"} ${Math.abs(n)} ${type} credits ${n > 0 ? "to" : "from"} ${user.username}.`,
            "success",
          );
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

function UserRow({
  user,
  roles,
  onChange,
  onDeleted,
}: {
  user: AdminUser;
  roles: Role[];
  onChange: (u: AdminUser) => void;
  onDeleted: () => void;
}) {
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
          {/* Nobody locks or unlocks themselves; the API refuses it too. */}
          <Checkbox label="Locked" checked={user.isLocked} disabled={user.id === session.get().user?.id} onChecked={(isLocked) => update({ isLocked })} />
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

export function UsersSection() {
  const search = useSearch();
  const { data, error, setData, reload } = useGet<AdminUserPage>(
    `/api/admin/users${qs({ q: search.q, page: search.page })}`,
  );
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
          <Table
            caption="Users"
            columns={["User", "Role", { label: "Text", num: true }, { label: "Images", num: true }, "Status", "Joined", ACTIONS]}
          >
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
