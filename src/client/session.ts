// Who is signed in, and their credit balances (kept fresh by `credits_updated`).
import type { Credits, User } from "../shared/api";
import { ApiError, get, onApiError, post } from "./api";
import { store } from "./store";
import { connect, disconnect, on, whenFailing } from "./ws";

export type Session = { ready: boolean; user: User | null };
export const session = store<Session>({ ready: false, user: null });
/** Set when the API answers 503 maintenance to a non-admin. */
export const maintenance = store<string | null>(null);

// The session cookie is HttpOnly, so the page cannot see it. This flag remembers that this
// browser signed in, so a visitor who never did is not greeted by a 401 from GET /api/me.
const HINT = "novelapp:signed-in";
const hint = {
  get: () => {
    try {
      return localStorage.getItem(HINT) === "1";
    } catch {
      return true;
    }
  },
  set: (on: boolean) => {
    try {
      if (on) localStorage.setItem(HINT, "1");
      else localStorage.removeItem(HINT);
    } catch {
      /* private mode */
    }
  },
};

export function setUser(user: User | null) {
  hint.set(!!user);
  session.set({ ready: true, user });
  if (user) connect();
  else disconnect();
}

export async function loadSession() {
  if (!hint.get()) {
    setUser(null);
    return;
  }
  try {
    const { user } = await get<{ user: User }>("/api/me");
    setUser(user);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) setUser(null);
    else session.set({ ready: true, user: null });
  }
}

export async function refreshMe() {
  try {
    const { user } = await get<{ user: User }>("/api/me");
    session.set((s) => ({ ...s, user }));
  } catch {
    /* the listeners below handle 401 */
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
