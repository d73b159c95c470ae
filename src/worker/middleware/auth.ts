// Who is calling: a session cookie (browsers) or `Authorization: Bearer nvl_…` (scripts).
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { isLocalRequest } from "../origin";
import { AppError } from "../../domain/errors";
import { API_TOKEN_PREFIX, SESSION_TTL_MS, userForApiToken, userForSession, type SessionUser } from "../../domain/accounts";

/**
 * The session cookie. Outside a local host it is `__Host-novel_session`: Secure, Path=/ and no
 * Domain, so neither plain HTTP nor a sibling subdomain can set or overwrite it. On localhost
 * (plain http in development and tests) it is `novel_session`.
 */
export const SESSION_COOKIE = "novel_session";
const cookiePrefix = (c: Context<AppEnv>) => (isLocalRequest(c) ? undefined : ("host" as const));
const cookieName = (c: Context<AppEnv>) => (cookiePrefix(c) ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);

/** SESSION_SECRET is required in production; local dev falls back to a fixed key. */
function sessionSecret(c: Context<AppEnv>): string {
  const secret = c.var.config.sessionSecret;
  if (secret) return secret;
  if (isLocalRequest(c)) return "novelapp-local-development-only";
  throw new AppError("internal_error", "SESSION_SECRET is not configured");
}

export async function startSession(c: Context<AppEnv>, token: string) {
  await setSignedCookie(c, SESSION_COOKIE, token, sessionSecret(c), {
    httpOnly: true,
    sameSite: "Lax",
    secure: !isLocalRequest(c),
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
    prefix: cookiePrefix(c),
  });
}

export function endSession(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocalRequest(c), prefix: cookiePrefix(c) });
}

/** The request carries our session cookie (whether or not it is still valid). */
export const hasSessionCookie = (c: Context<AppEnv>) => !!c.req.header("cookie")?.includes(`${cookieName(c)}=`);

export async function sessionToken(c: Context<AppEnv>): Promise<string | null> {
  if (!hasSessionCookie(c)) return null;
  const value = await getSignedCookie(c, sessionSecret(c), SESSION_COOKIE, cookiePrefix(c));
  return value || null;
}

/** The caller authenticates with `Authorization: Bearer …` (a script), not the cookie. */
export const hasBearer = (c: Context<AppEnv>) => /^Bearer\s+\S+$/i.test(c.req.header("authorization") ?? "");

function bearerToken(c: Context<AppEnv>): string | null {
  const header = c.req.header("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (match) return match[1]!;
  // Browsers cannot set headers on `new WebSocket()`: /api/ws also takes ?token=.
  if (c.req.path === "/api/ws") return c.req.query("token") ?? null;
  return null;
}

// A locked account is signed out of these two (they answer as for a visitor) and refused everywhere else.
export const OPEN_TO_LOCKED = new Set(["/api/auth/session", "/api/auth/logout"]);

/**
 * Resolves the caller, if any, into `c.var.user`. A locked account is refused here, before any
 * route runs, so no route (admin ones included) can forget to check it.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  c.set("user", null);
  c.set("authMethod", null);
  const db = c.var.db;
  const bearer = bearerToken(c);
  let user: SessionUser | null = null;
  if (bearer) {
    user = bearer.startsWith(API_TOKEN_PREFIX) ? await userForApiToken(db, bearer) : null;
    if (!user) throw new AppError("unauthorized", "Invalid API token");
  } else {
    const token = await sessionToken(c);
    user = token ? await userForSession(db, token) : null;
  }
  if (user?.isLocked) {
    if (!OPEN_TO_LOCKED.has(c.req.path)) throw new AppError("account_locked", "This account has been locked by an administrator");
    user = null;
  }
  if (user) {
    c.set("user", user);
    c.set("authMethod", bearer ? "token" : "cookie");
  }
  await next();
});

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user")) throw new AppError("unauthorized", "Please sign in");
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.get("user");
  if (!user) throw new AppError("unauthorized", "Please sign in");
  if (!user.isAdmin) throw new AppError("forbidden", "Administrators only");
  await next();
});

/** The signed-in user inside a handler behind `requireUser`. */
export const currentUser = (c: Context<AppEnv>) => {
  const user = c.get("user");
  if (!user) throw new AppError("unauthorized", "Please sign in");
  return user;
};
