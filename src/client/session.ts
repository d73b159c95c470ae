// Who is signed in, and their credit balances (kept fresh by `credits_updated`).
import type { Credits, User } from "../shared/api";
import { get, onApiError, post } from "./api";
import { store } from "./store";
import { connect, disconnect, on, whenFailing } from "./ws";

export type Session = { ready: boolean; user: User | null };
export const session = store<Session>({ ready: false, user: null });
/** Set when the API answers 503 maintenance to a non-admin. */
export const maintenance = store<string | null>(null);

export function setUser(user: User | null) {
  session.set({ ready: true, user });
  if (user) connect();
  else disconnect();
}

// The session cookie is HttpOnly, so the page cannot see it: it asks GET /api/auth/session,
// which answers {user: null} to visitors rather than a 401.
export async function loadSession() {
  try {
    const { user } = await get<{ user: User | null }>("/api/auth/session");
    setUser(user);
  } catch {
    session.set({ ready: true, user: null });
  }
}

export async function refreshMe() {
  try {
    const { user } = await get<{ user: User | null }>("/api/auth/session");
    if (user) session.set((s) => ({ ...s, user }));
    else if (session.get().user) setUser(null);
  } catch {
    /* offline: keep what we have */
  }
}

export function setCredits(credits: Credits) {
  session.set((s) => (s.user ? { ...s, user: { ...s.user, credits } } : s));
}

export async function logout() {
  try {
    await post("/api/auth/logout");
  } finally {
    setUser(null);
  }
}

// A socket that keeps failing may mean the session ended: asking /api/me signs out on a 401.
whenFailing(() => void refreshMe());

on("credits_updated", (c) => setCredits({ text: c.text, image: c.image }));

onApiError((e, path) => {
  if (e.status === 401 && session.get().user && !path.startsWith("/api/auth/")) setUser(null);
  if (e.status === 503 && e.code === "maintenance") maintenance.set(e.message);
});
