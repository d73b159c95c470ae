// Profile: balances, account settings, generation history (predicted vs real cost), API tokens
// and notifications.
import { useEffect, useState } from "preact/hooks";
import type { ApiToken, GenerationPage, NotificationList, User } from "../../shared/api";
import { del, patch, post, qs } from "../api";
import { Checkbox, Form, FormError, TextField } from "../components/Field";
import { logsOf, StatusAndCost } from "../components/GenerationLog";
import { ConfirmButton } from "../components/ConfirmButton";
import { Loading, Notice, useTitle } from "../components/misc";
import { PasswordField, passwordProblem } from "../components/PasswordField";
import { Stat } from "../components/Stat";
import { Pager, Table } from "../components/Table";
import { Unavailable } from "../components/Unavailable";
import { useGet } from "../components/useGet";
import { useSubmit, type FieldErrors } from "../components/useSubmit";
import { date, dateTime, num } from "../format";
import { Link } from "../router";
import { refreshMe, session } from "../session";
import { useStore } from "../store";
import { orToast, toast, toastError } from "../toast";


function Balances({ user }: { user: User }) {
  return (
    <section class="card" aria-labelledby="bal-title">
      <h2 id="bal-title">Credits</h2>
      <div class="stat-row">
        <Stat value={num(user.credits.text)} label="text credits" neg={user.credits.text <= 0} testId="profile-text-credits" />
        <Stat value={num(user.credits.image)} label="image credits" neg={user.credits.image <= 0} />
      </div>
      {(user.credits.text < 0 || user.credits.image < 0) && (
        <p class="muted small">A balance below zero means the last generation cost more than predicted; new generations of that kind wait for a top-up.</p>
      )}
      <Link href="/billing" class="btn btn-sm">
        Buy credits or a plan
      </Link>
    </section>
  );
}

function Account({ user }: { user: User }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  // Revoking is the default: a password is changed most often because someone else may know it.
  const [revokeTokens, setRevokeTokens] = useState(true);
  const { fields, error, busy, run } = useSubmit();
  const changePassword = () => {
    const f: FieldErrors = {};
    if (!current) f.currentPassword = "Enter your current password";
    const p = passwordProblem(next);
    if (p) f.newPassword = p;
    run(f, async () => {
      await patch("/api/me", { currentPassword: current, newPassword: next, revokeTokens });
      setCurrent("");
      setNext("");
      toast(revokeTokens ? "Password changed. Your API tokens were revoked." : "Password changed.", "success");
      if (revokeTokens) window.dispatchEvent(new Event("novel:tokens-changed"));
    });
  };
  return (
    <section class="card" aria-labelledby="acct-title">
      <h2 id="acct-title">Account</h2>
      <dl class="facts">
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>E-mail</dt>
        <dd>
          {user.email} {user.verified ? <span class="badge badge-success">verified</span> : <span class="badge badge-warning">not verified</span>}
        </dd>
        <dt>Plan</dt>
        <dd>{user.role}</dd>
        <dt>Member since</dt>
        <dd>{date(user.createdAt)}</dd>
      </dl>
      <Checkbox
        label="Show mature stories"
        checked={user.showMature}
        onChecked={orToast(async (showMature: boolean) => {
          const r = await patch<{ user: User }>("/api/me", { showMature });
          session.set((s) => ({ ...s, user: r.user }));
        })}
      />
      <Form onSubmit={changePassword} class="subform">
        <h3>Change password</h3>
        <FormError error={error} />
        <PasswordField label="Current password" value={current} onValue={setCurrent} error={fields.currentPassword} />
        <PasswordField isNew label="New password" value={next} onValue={setNext} error={fields.newPassword} />
        <Checkbox
          label="Also revoke my API tokens"
          hint="On by default: scripts using a token stop working until you create a new one. Other browsers are always signed out."
          checked={revokeTokens}
          onChecked={setRevokeTokens}
          error={fields.revokeTokens}
        />
        <button type="submit" class="btn" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </Form>
    </section>
  );
}

function History() {
  const [page, setPage] = useState(1);
  const { data, error } = useGet<GenerationPage>(`/api/me/generations${qs({ page })}`);
  const logs = data ? logsOf(data) : [];
  const more = data ? (data.total !== undefined && data.pageSize ? page * data.pageSize < data.total : logs.length >= 50) : false;
  return (
    <section class="card wide" aria-labelledby="hist-title">
      <h2 id="hist-title">Generation history</h2>
      {error ? (
        <Unavailable what="Generation history" error={error} />
      ) : !data ? (
        <Loading />
      ) : logs.length === 0 ? (
        <p class="muted">Nothing generated yet.</p>
      ) : (
        <>
          <Table
            caption="Your generations, newest first, with predicted and real cost"
            columns={["When", "What", "Model", "Status", { label: "Predicted", num: true }, { label: "Real", num: true }, { label: "Tokens in / out", num: true }]}
          >
            {logs.map((l) => (
              <tr key={l.id}>
                <td>{dateTime(l.createdAt)}</td>
                <td>
                  {l.generationType ?? l.stage ?? "—"}
                  {l.unit && l.unit.includes(":") ? ` (${l.unit})` : ""}
                  {l.storyTitle && <span class="muted small"> · {l.storyTitle}</span>}
                </td>
                <td>{l.model ?? "—"}</td>
                <StatusAndCost log={l} />
                <td class="num">{l.inputTokens !== undefined && l.inputTokens !== null ? `${num(l.inputTokens)} / ${num(l.outputTokens ?? 0)}` : "—"}</td>
              </tr>
            ))}
          </Table>
          <Pager page={page} more={more} onPage={setPage} prev="Newer" next="Older">
            Page {page}
          </Pager>
        </>
      )}
    </section>
  );
}

function Tokens() {
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<string | null>(null);
  const { fields, run } = useSubmit({ report: "toast" });
  const { data, reload } = useGet<{ tokens: ApiToken[] }>("/api/me/tokens", toastError);
  const tokens = data?.tokens;
  // A password change revokes them (Account): show the empty list at once.
  useEffect(() => {
    const again = () => reload();
    window.addEventListener("novel:tokens-changed", again);
    return () => window.removeEventListener("novel:tokens-changed", again);
  }, [reload]);
  return (
    <section class="card" aria-labelledby="tok-title">
      <h2 id="tok-title">API tokens</h2>
      <p class="muted small">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token is shown once, when it is created.
        Resetting your password revokes every token; changing it does too, unless you untick the box.
      </p>
      {fresh && (
        <Notice tone="success" role="status" title="Your new token — copy it now, it will not be shown again.">
          <p class="token-value">
            <code data-testid="new-token">{fresh}</code>{" "}
            <button
              type="button"
              class="btn btn-sm"
              onClick={() => navigator.clipboard?.writeText(fresh).then(() => toast("Copied.", "success"), () => toast("Copy it by hand.", "warning"))}
            >
              Copy
            </button>
          </p>
        </Notice>
      )}
      <Form
        class="inline-form"
        onSubmit={() =>
          run(name.trim() ? {} : { name: "Give the token a name" }, async () => {
            const r = await post<{ token: string | { token: string } }>("/api/me/tokens", { name: name.trim() });
            setFresh(typeof r.token === "string" ? r.token : r.token.token);
            setName("");
            reload();
          })
        }
      >
        <TextField label="Token name" value={name} onValue={setName} error={fields.name} maxLength={60} placeholder="e.g. backup script" />
        <button type="submit" class="btn">
          Create token
        </button>
      </Form>
      {!tokens ? (
        <Loading />
      ) : tokens.length === 0 ? (
        <p class="muted">No tokens.</p>
      ) : (
        <ul class="plain-list">
          {tokens.map((t) => (
            <li key={t.id} class="list-row">
              <span>
                <strong>{t.name}</strong>
                <span class="muted small">
                  {" "}
                  · created {date(t.createdAt)} · {t.lastUsedAt ? `last used ${dateTime(t.lastUsedAt)}` : "never used"}
                </span>
              </span>
              <ConfirmButton
                class="btn btn-ghost btn-sm btn-danger"
                label={`Revoke ${t.name}`}
                question="Revoke this token?"
                confirm="Revoke"
                onConfirm={orToast(async () => {
                  await del(`/api/me/tokens/${t.id}`);
                  reload();
                })}
              >
                Revoke
              </ConfirmButton>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}


function Notifications() {
  const { data, reload } = useGet<NotificationList>("/api/me/notifications", toastError);
  return (
    <section class="card" aria-labelledby="notif-title">
      <div class="card-head">
        <h2 id="notif-title">
          Notifications {data && data.unread > 0 && <span class="badge badge-info">{data.unread} new</span>}
        </h2>
        {data && data.unread > 0 && (
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={orToast(async () => {
              await post("/api/me/notifications/read");
              reload();
            })}
          >
            Mark all as read
          </button>
        )}
      </div>
      {!data ? (
        <Loading />
      ) : data.notifications.length === 0 ? (
        <p class="muted">Nothing yet.</p>
      ) : (
        <ul class="plain-list notifications">
          {data.notifications.map((n) => (
            <li key={n.id} class={`list-row${n.readAt ? "" : " is-unread"}`}>
              <span class={`level-dot level-${n.level}`} aria-hidden="true" />
              <span class="grow">{n.link && n.link.startsWith("/") ? <Link href={n.link}>{n.message}</Link> : n.message}</span>
              <span class="muted small">{dateTime(n.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function Profile() {
  useTitle("Profile");
  const { user } = useStore(session);
  useEffect(() => {
    refreshMe();
  }, []);
  if (!user) return <Loading />;
  return (
    <div class="page">
      <h1>Profile</h1>
      <div class="profile-grid">
        <Balances user={user} />
        <Account user={user} />
        <Notifications />
        <Tokens />
        <History />
      </div>
    </div>
  );
}

