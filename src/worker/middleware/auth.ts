// Who is calling: a session cookie (browsers) or `Authorization: Bearer nvl_…` (scripts).
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { isLocalRequest } from "../origin";
import { AppError } from "../../domain/errors";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { sql, type SQL } from "drizzle-orm";
import { API_TOKEN_PREFIX, SESSION_TTL_MS, sessionUserIdSql, sessionUserQuery, userForApiToken, type SessionUser } from "../../domain/accounts";
import { sha256 } from "../../domain/crypto";
import type { Db } from "../../domain/db/client";
import { ownedRow, ownedStoryQuery, type StoryRow } from "../../domain/stories/access";

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
 * Who is calling, found out at most once and only when a route asks: `requireUser` asks on its
 * own (one round trip), a read route asks in the same D1 batch as its data (`withCaller`), so a
 * signed-in read costs one round trip in all (docs/SCALE.md).
 */
export class Caller {
  private found: Promise<SessionUser | null> | null = null;

  constructor(
    private readonly db: Db,
    private readonly bearer: string | null,
    private readonly sessionHash: string | null,
  ) {}

  get method() {
    return this.bearer ? ("token" as const) : this.sessionHash ? ("cookie" as const) : null;
  }

  user(): Promise<SessionUser | null> {
    this.found ??= this.bearer
      ? userForApiToken(this.db, this.bearer)
      : this.sessionHash
        ? sessionUserQuery(this.db, this.sessionHash).then((rows) => rows[0] ?? null)
        : Promise.resolve(null);
    return this.found;
  }

  /** The caller's id for a query in the same batch as their lookup (NULL, so no rows, for a visitor). */
  async userIdSql(): Promise<number | SQL> {
    if (this.found || !this.sessionHash) return (await this.user())?.id ?? sql`NULL`;
    return sessionUserIdSql(this.db, this.sessionHash);
  }

  /** The caller and the results of `queries`, in one batch when the caller is not known yet. */
  async with<T extends BatchItem<"sqlite">[]>(queries: [...T]): Promise<{ user: SessionUser | null; results: BatchResponse<T> }> {
    if (this.found || !this.sessionHash) return { user: await this.user(), results: (await this.db.batch(queries as never)) as BatchResponse<T> };
    const [rows, ...results] = (await this.db.batch([sessionUserQuery(this.db, this.sessionHash), ...queries] as never)) as [SessionUser[], ...unknown[]];
    this.found = Promise.resolve(rows[0] ?? null);
    return { user: rows[0] ?? null, results: results as BatchResponse<T> };
  }
}

/**
 * Reads the credentials. A session cookie is only verified (its signature) here and looked up
 * when a route needs the caller; an API token is looked up at once, so a wrong one is a 401 on
 * every route.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  c.set("user", null);
  c.set("authMethod", null);
  const bearer = bearerToken(c);
  if (bearer && !bearer.startsWith(API_TOKEN_PREFIX)) throw new AppError("unauthorized", "Invalid API token");
  const token = bearer ? null : await sessionToken(c);
  c.set("caller", new Caller(c.var.db, bearer, token ? await sha256(token) : null));
  if (bearer) await resolveUser(c);
  await next();
});

/**
 * Settles who the caller is onto the context. A locked account is refused here, so no route that
 * knows its caller (admin ones included) can forget to check it; an invalid API token is a 401.
 */
function settle(c: Context<AppEnv>, user: SessionUser | null): SessionUser | null {
  const caller = c.var.caller;
  if (caller.method === "token" && !user) throw new AppError("unauthorized", "Invalid API token");
  if (user?.isLocked) {
    if (!OPEN_TO_LOCKED.has(c.req.path)) throw new AppError("account_locked", "This account has been locked by an administrator");
    user = null;
  }
  c.set("user", user);
  c.set("authMethod", user ? caller.method : null);
  return user;
}

/** The caller, if signed in (one round trip the first time a request asks). */
export const resolveUser = async (c: Context<AppEnv>) => settle(c, await c.var.caller.user());

/** A signed-in read in one round trip: the caller and the route's queries in one batch; 401 for a visitor. */
export async function withCaller<T extends BatchItem<"sqlite">[]>(c: Context<AppEnv>, queries: [...T]): Promise<{ user: SessionUser; results: BatchResponse<T> }> {
  if (!c.var.caller.method) throw new AppError("unauthorized", "Please sign in");
  const { user, results } = await c.var.caller.with(queries);
  const signedIn = settle(c, user);
  if (!signedIn) throw new AppError("unauthorized", "Please sign in");
  return { user: signedIn, results };
}

/**
 * A read of the caller's own story in one round trip: the caller, the story and the route's
 * queries in one batch. The queries may read before ownership is known; their results are used
 * only once it is, and another author's story is a 404 as everywhere.
 */
export async function withOwnedStory<T extends BatchItem<"sqlite">[]>(
  c: Context<AppEnv>,
  storyId: number,
  queries: [...T],
): Promise<{ user: SessionUser; story: StoryRow; results: BatchResponse<T> }> {
  const owned = ownedStoryQuery(c.var.db, storyId, await c.var.caller.userIdSql());
  const { user, results } = await withCaller(c, [owned, ...queries]);
  const [rows, ...rest] = results as unknown as [StoryRow[], ...BatchResponse<T>];
  return { user, story: ownedRow(rows), results: rest as BatchResponse<T> };
}

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!(await resolveUser(c))) throw new AppError("unauthorized", "Please sign in");
  await next();
});

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const user = await resolveUser(c);
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
