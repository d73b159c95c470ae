// Sign up, log in, forgot and reset password, e-mail verification. Part of the first bundle:
// these are where new authors arrive.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { User } from "../../shared/api";
import { ApiError, get, messageOf, post } from "../api";
import { Form, FormError, TextField } from "../components/Field";
import { Notice, useTitle } from "../components/misc";
import { PASSWORD_HINT, PasswordField, passwordProblem } from "../components/PasswordField";
import { useSubmit, type FieldErrors, type Submit } from "../components/useSubmit";
import { Link, navigate, useLocation } from "../router";
import { setUser } from "../session";

function AuthCard({ title, children, footer }: { title: string; children: ComponentChildren; footer?: ComponentChildren }) {
  useTitle(title);
  return (
    <div class="auth-page">
      <div class="card auth-card">
        <h1>{title}</h1>
        {children}
      </div>
      {footer && <p class="auth-footer">{footer}</p>}
    </div>
  );
}

/** An auth card's form: the API's message on top, the fields, the submit button (which says what it is doing). */
function AuthForm({ submit, onSubmit, label, busyLabel, extra, children }: { submit: Submit; onSubmit: () => void; label: string; busyLabel: string; extra?: ComponentChildren; children: ComponentChildren }) {
  return (
    <Form onSubmit={onSubmit}>
      <FormError error={submit.error} />
      {children}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={submit.busy}>
          {submit.busy ? busyLabel : label}
        </button>
        {extra}
      </div>
    </Form>
  );
}

/**
 * Where to go after login: `next` resolved against our origin, followed only when it stays on it.
 * (A prefix check let `/\evil.example` through: browsers read the backslash as a slash.)
 */
function safeNext(next: string | null): string {
  if (!next) return "/dashboard";
  try {
    const url = new URL(next, location.origin);
    if (url.origin === location.origin && (url.protocol === "http:" || url.protocol === "https:")) return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    // Not a URL at all.
  }
  return "/dashboard";
}

const validEmail = (email: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim());
const NOT_AN_EMAIL = "Not a valid e-mail address";

export function Login() {
  const { search } = useLocation();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const form = useSubmit();
  const { fields } = form;
  const submit = () => {
    const f: FieldErrors = {};
    if (!login.trim()) f.login = "Enter your username or e-mail";
    if (!password) f.password = "Enter your password";
    form.run(f, async () => {
      const { user } = await post<{ user: User }>("/api/auth/login", { login: login.trim(), password });
      setUser(user);
      navigate(safeNext(search.get("next")), { replace: true });
    });
  };
  return (
    <AuthCard
      title="Log in"
      footer={
        <>
          New here? <Link href="/register">Create an account</Link>
        </>
      }
    >
      <AuthForm submit={form} onSubmit={submit} label="Log in" busyLabel="Logging in…" extra={<Link href="/forgot">Forgot your password?</Link>}>
        <TextField label="Username or e-mail" name="login" autocomplete="username" value={login} onValue={setLogin} error={fields.login} required />
        <PasswordField label="Password" name="password" value={password} onValue={setPassword} error={fields.password} required />
      </AuthForm>
    </AuthCard>
  );
}

export function Register() {
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const form = useSubmit();
  const { fields } = form;
  const [verifyEmail, setVerifyEmail] = useState<string | null>(null);
  const submit = () => {
    const f: FieldErrors = {};
    if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username.trim())) f.username = "3 to 32 letters, digits, dots, dashes or underscores";
    if (!validEmail(email)) f.email = NOT_AN_EMAIL;
    const pw = passwordProblem(password);
    if (pw) f.password = pw;
    form.run(f, async () => {
      // With e-mail verification on, the answer is the same whether or not the name is free.
      const res = await post<{ user?: User; email?: string; verificationRequired: boolean }>("/api/auth/register", {
        username: username.trim(),
        email: email.trim(),
        password,
      });
      if (res.verificationRequired || !res.user) setVerifyEmail(res.email ?? res.user?.email ?? email.trim());
      else {
        setUser(res.user);
        navigate("/dashboard?welcome=1", { replace: true });
      }
    });
  };
  if (verifyEmail)
    return (
      <AuthCard title="Check your inbox">
        <p>
          If <strong>{verifyEmail}</strong> can be used, a link to confirm it is on its way. Open it to verify your address, then log in.
          If that address already has an account, the e-mail says so instead.
        </p>
        <ResendVerification email={verifyEmail} />
        <p>
          <Link href="/login">Go to log in</Link>
        </p>
      </AuthCard>
    );
  return (
    <AuthCard
      title="Create your account"
      footer={
        <>
          Already have an account? <Link href="/login">Log in</Link>
        </>
      }
    >
      <p class="lead-sm">Free credits to plan and write your first book come with every new account.</p>
      <AuthForm submit={form} onSubmit={submit} label="Sign up" busyLabel="Creating your account…">
        <TextField label="Username" name="username" autocomplete="username" value={username} onValue={setUsername} error={fields.username} required />
        <TextField label="E-mail" name="email" type="email" autocomplete="email" value={email} onValue={setEmail} error={fields.email} required />
        <PasswordField isNew label="Password" name="password" value={password} onValue={setPassword} error={fields.password} hint={PASSWORD_HINT} required />
      </AuthForm>
    </AuthCard>
  );
}

function ResendVerification({ email }: { email: string }) {
  const [state, setState] = useState<"idle" | "busy" | "sent" | string>("idle");
  return (
    <p>
      <button
        type="button"
        class="btn btn-ghost"
        disabled={state === "busy" || state === "sent"}
        onClick={async () => {
          setState("busy");
          try {
            await post("/api/auth/verify/resend", { email });
            setState("sent");
          } catch (e) {
            setState(messageOf(e));
          }
        }}
      >
        {state === "sent" ? "Sent again" : "Resend the link"}
      </button>{" "}
      {state !== "idle" && state !== "busy" && state !== "sent" && <span class="field-error">{state}</span>}
    </p>
  );
}

export function Forgot() {
  const [email, setEmail] = useState("");
  const form = useSubmit();
  const { fields } = form;
  const [done, setDone] = useState<string | null>(null);
  const submit = () => {
    form.run(validEmail(email) ? {} : { email: NOT_AN_EMAIL }, async () => {
      const res = await post<{ message?: string }>("/api/auth/forgot", { email: email.trim() });
      setDone(res.message ?? "If that address has an account, a reset link is on its way.");
    });
  };
  return (
    <AuthCard title="Reset your password" footer={<Link href="/login">Back to log in</Link>}>
      {done ? (
        <Notice tone="success" role="status">
          <p>{done}</p>
        </Notice>
      ) : (
        <>
          <p>Enter the e-mail address of your account and we will send you a link to choose a new password.</p>
          <AuthForm submit={form} onSubmit={submit} label="Send the link" busyLabel="Sending…">
            <TextField label="E-mail" name="email" type="email" autocomplete="email" value={email} onValue={setEmail} error={fields.email} required />
          </AuthForm>
        </>
      )}
    </AuthCard>
  );
}

export function Reset() {
  const { search } = useLocation();
  const token = search.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const form = useSubmit();
  const { fields } = form;
  const [done, setDone] = useState(false);
  const submit = () => {
    const f: FieldErrors = {};
    const pw = passwordProblem(password);
    if (pw) f.password = pw;
    if (confirm !== password) f.confirm = "The passwords do not match";
    form.run(f, async () => {
      await post("/api/auth/reset", { token, password });
      setDone(true);
    });
  };
  if (!token)
    return (
      <AuthCard title="Choose a new password">
        <Notice tone="warning">
          <p>This page needs the link from your e-mail. <Link href="/forgot">Ask for a new one</Link>.</p>
        </Notice>
      </AuthCard>
    );
  return (
    <AuthCard title="Choose a new password">
      {done ? (
        <Notice tone="success" role="status">
          <p>
            Your password was changed. <Link href="/login">Log in</Link>
          </p>
        </Notice>
      ) : (
        <AuthForm submit={form} onSubmit={submit} label="Set the password" busyLabel="Saving…">
          <PasswordField isNew label="New password" name="password" value={password} onValue={setPassword} error={fields.password} hint={PASSWORD_HINT} />
          <PasswordField isNew label="Repeat the new password" name="confirm" value={confirm} onValue={setConfirm} error={fields.confirm} />
        </AuthForm>
      )}
    </AuthCard>
  );
}

export function Verify() {
  const { search } = useLocation();
  const token = search.get("token") ?? "";
  const [state, setState] = useState<"busy" | "ok" | string>("busy");
  useEffect(() => {
    if (!token) {
      setState("This page needs the link from your e-mail.");
      return;
    }
    get(`/api/auth/verify?token=${encodeURIComponent(token)}`).then(
      () => setState("ok"),
      (e) => setState(e instanceof ApiError ? e.message : "The link could not be checked."),
    );
  }, [token]);
  return (
    <AuthCard title="Verify your e-mail">
      {state === "busy" ? (
        <p role="status">Checking your link…</p>
      ) : state === "ok" ? (
        <Notice tone="success" role="status">
          <p>
            Your address is verified. <Link href="/login">Log in</Link>
          </p>
        </Notice>
      ) : (
        <Notice tone="error">
          <p>{state}</p>
        </Notice>
      )}
    </AuthCard>
  );
}

/** The link in the "sign-in is paused" e-mail: one click lifts the pause, then log in. */
export function Unlock() {
  const { search } = useLocation();
  const token = search.get("token") ?? "";
  const [state, setState] = useState<"idle" | "busy" | "ok" | string>("idle");
  const unlock = async () => {
    setState("busy");
    try {
      await post("/api/auth/unlock", { token });
      setState("ok");
    } catch (e) {
      setState(messageOf(e));
    }
  };
  return (
    <AuthCard title="Unlock sign-in">
      {!token ? (
        <Notice tone="warning">
          <p>This page needs the link from your e-mail.</p>
        </Notice>
      ) : state === "ok" ? (
        <Notice tone="success" role="status">
          <p>
            Sign-in is open again. <Link href="/login">Log in</Link>
          </p>
        </Notice>
      ) : (
        <>
          <p>Sign-in to your account was paused after several wrong passwords. If those tries were yours, lift the pause now.</p>
          {state !== "idle" && state !== "busy" && (
            <Notice tone="error">
              <p>{state}</p>
            </Notice>
          )}
          <div class="form-actions">
            <button type="button" class="btn btn-primary" disabled={state === "busy"} onClick={unlock}>
              {state === "busy" ? "Unlocking…" : "Unlock sign-in"}
            </button>
          </div>
        </>
      )}
    </AuthCard>
  );
}
