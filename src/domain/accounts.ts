// Accounts: registration, login with lockout, sessions, API tokens, e-mail tokens.
import type { NewApiToken, User } from "../shared/api";
import { and, eq, gt, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { Config } from "./config";
import type { Db } from "./db/client";
import { apiTokens, creditLedger, emailTokens, roles, sessions, users } from "./db/schema";
import { isConstraintError } from "./db/constraints";
import { compiled, param } from "./db/compiled";
import { AppError, fieldError } from "./errors";
import { DUMMY_PASSWORD_HASH, hashPassword, randomToken, sha256, verifyPassword } from "./crypto";
import { getSiteConfig } from "./site";
import { NO_GUARD, type SignInGuard } from "./lockout";
import { addressTakenMail, sendMail, unlockMail, usernameTakenMail } from "./mail";

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
const EMAIL_TOKEN_TTL_MS = 3600 * 1000;

/** The columns of a SessionUser, joined with its role. */
export const userColumns = {
  id: users.id,
  username: users.username,
  email: users.email,
  roleId: users.roleId,
  role: roles.name,
  isAdmin: roles.isAdmin,
  verified: users.verified,
  showMature: users.showMature,
  textCredits: users.textCredits,
  imageCredits: users.imageCredits,
  isLocked: users.isLocked,
  underReview: users.underReview,
  createdAt: users.createdAt,
};

export type SessionUser = {
  id: number;
  username: string;
  email: string;
  roleId: number;
  role: string;
  isAdmin: boolean;
  verified: boolean;
  showMature: boolean;
  textCredits: number;
  imageCredits: number;
  isLocked: boolean;
  underReview: boolean;
  createdAt: Date;
};

/** The public shape of a user (GET /api/me). */
export const toUserJson = (u: SessionUser): User => ({
  id: u.id,
  username: u.username,
  email: u.email,
  role: u.role,
  isAdmin: u.isAdmin,
  verified: u.verified,
  showMature: u.showMature,
  underReview: u.underReview,
  credits: { text: u.textCredits, image: u.imageCredits },
  createdAt: u.createdAt.toISOString(),
});

export async function getUserById(db: Db, id: number): Promise<SessionUser | null> {
  const [row] = await db
    .select(userColumns)
    .from(users)
    .innerJoin(roles, eq(users.roleId, roles.id))
    .where(eq(users.id, id));
  return row ?? null;
}

// ---------------------------------------------------------------- sessions and API tokens

export async function createSession(db: Db, userId: number): Promise<string> {
  const token = randomToken(32);
  await db.insert(sessions).values({
    userId,
    tokenHash: await sha256(token),
    expiresAt: new Date(Date.now() + SESSION_TTL_MS),
  });
  return token;
}

export async function deleteSession(db: Db, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, await sha256(token)));
}

/** The signed-in user of a session token's hash, as a query a read route can put in its own batch (one round trip). */
export const sessionUserQuery = (db: Db, tokenHash: string) => sessionUser(db, { tokenHash, now: Date.now() });

// Every signed-in request runs it: built once (db/compiled.ts).
const sessionUser = compiled((db) =>
  db
    .select(userColumns)
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .innerJoin(roles, eq(users.roleId, roles.id))
    .where(and(eq(sessions.tokenHash, param("tokenHash")), gt(sessions.expiresAt, param("now")))),
);

/** The user id of a session token's hash as a subquery: a query in the same batch can be about "the caller's" rows. */
export const sessionUserIdSql = (db: Db, tokenHash: string): SQL =>
  sql`(${db
    .select({ id: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())))})`;

export async function userForSession(db: Db, token: string): Promise<SessionUser | null> {
  const [row] = await sessionUserQuery(db, await sha256(token));
  return row ?? null;
}

export const API_TOKEN_PREFIX = "nvl_";

export async function userForApiToken(db: Db, token: string): Promise<SessionUser | null> {
  const hash = await sha256(token);
  const [row] = await db
    .select({ ...userColumns, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(apiTokens.userId, users.id))
    .innerJoin(roles, eq(users.roleId, roles.id))
    .where(eq(apiTokens.tokenHash, hash));
  if (!row) return null;
  const { tokenId, lastUsedAt, ...user } = row;
  // Touch at most once a minute: keeps reads cheap for scripts that poll.
  if (!lastUsedAt || Date.now() - lastUsedAt.getTime() > 60_000)
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, tokenId));
  return user;
}

export async function createApiToken(db: Db, userId: number, name: string): Promise<NewApiToken> {
  const token = randomToken(24, API_TOKEN_PREFIX);
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: await sha256(token) })
    .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt });
  return { ...row!, createdAt: row!.createdAt.toISOString(), lastUsedAt: null, token };
}

// ---------------------------------------------------------------- registration and login

export async function register(
  db: Db,
  config: Config,
  input: { username: string; email: string; password: string },
): Promise<SessionUser> {
  const site = await getSiteConfig(db);
  if (site.registrationDisabled)
    throw new AppError("registration_disabled", "Registration is closed at the moment");

  const taken = await db
    .select({ username: users.username, email: users.email })
    .from(users)
    .where(or(sql`${users.username} = ${input.username} COLLATE NOCASE`, eq(users.email, input.email)));
  for (const t of taken) {
    if (t.username.toLowerCase() === input.username.toLowerCase())
      throw new AppError("conflict", "That username is taken", { fields: { username: "Already taken" } });
    throw new AppError("conflict", "An account with that e-mail exists", {
      fields: { email: "Already registered" },
    });
  }

  const [userRole] = await db.select({ id: roles.id }).from(roles).where(eq(roles.name, "user"));
  if (!userRole) throw new AppError("internal_error", "Default role missing");
  let row: { id: number } | undefined;
  try {
    [row] = await db
      .insert(users)
      .values({
        username: input.username,
        email: input.email,
        passwordHash: await hashPassword(input.password),
        roleId: userRole.id,
        // Without a mailer nobody could ever verify, so accounts start verified.
        verified: !config.mailgun,
        textCredits: site.signupTextCredits,
        imageCredits: site.signupImageCredits,
      })
      .returning({ id: users.id });
  } catch (e) {
    // Two registrations racing for the same name: the unique index decides.
    if (isConstraintError(e, "UNIQUE")) throw new AppError("conflict", "That username or e-mail is taken");
    throw e;
  }
  const userId = row!.id;
  const grants = (
    [
      ["text", site.signupTextCredits],
      ["image", site.signupImageCredits],
    ] as const
  ).filter(([, n]) => n !== 0);
  if (grants.length)
    await db.insert(creditLedger).values(
      grants.map(([creditType, delta]) => ({
        userId,
        creditType,
        delta,
        reason: "signup" as const,
        ref: `user:${userId}`,
      })),
    );
  return (await getUserById(db, userId))!;
}

/** Every failed sign-in answers this, whatever the reason: no account, wrong password, or paused. */
export const INVALID_CREDENTIALS =
  "Wrong username, e-mail or password. After several failed tries sign-in pauses for a few minutes, and the account's owner gets an e-mail to unlock it.";

export async function login(
  db: Db,
  config: Config,
  input: { login: string; password: string },
  ip: string | null,
  guard: SignInGuard = NO_GUARD,
): Promise<SessionUser> {
  await guard.checkAddress();
  const login = input.login.trim();
  const [row] = await db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      isLocked: users.isLocked,
      verified: users.verified,
    })
    .from(users)
    .where(
      login.includes("@")
        ? eq(users.email, login.toLowerCase())
        : sql`${users.username} = ${login} COLLATE NOCASE`,
    );
  const invalid = new AppError("invalid_credentials", INVALID_CREDENTIALS);
  // The same work on every path (one PBKDF2, one count), so neither the answer nor its timing
  // tells an unknown login from a paused account or a wrong password.
  const paused = row ? await guard.accountPaused(row.id) : false;
  const ok = await verifyPassword(input.password, row?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!row || paused || !ok) {
    if (!paused) await guard.failed(row?.id ?? null);
    throw invalid;
  }
  // Only someone who knows the password learns of an administrator's lock.
  if (row.isLocked) throw new AppError("account_locked", "This account has been locked by an administrator");
  if (config.requireEmailVerification && !row.verified)
    throw new AppError("email_not_verified", "Please verify your e-mail address first");
  await guard.succeeded(row.id);
  await db.update(users).set({ lastLoginIp: ip, lastLoginAt: new Date() }).where(eq(users.id, row.id));
  return (await getUserById(db, row.id))!;
}

/**
 * A new password signs out every other browser and, unless `revokeTokens` is false, deletes every
 * API token: a password is changed most often because someone else may know it.
 */
export async function changePassword(
  db: Db,
  userId: number,
  current: string,
  next: string,
  keepSession: string | null,
  revokeTokens = true,
) {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!row || !(await verifyPassword(current, row.hash)))
    throw fieldError("currentPassword", "Wrong password");
  const keep = keepSession ? await sha256(keepSession) : "";
  await db.batch([
    db.update(users).set({ passwordHash: await hashPassword(next) }).where(eq(users.id, userId)),
    // Other browsers signed in with the old password are signed out; this one stays.
    db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.tokenHash, keep))),
    ...(revokeTokens ? [db.delete(apiTokens).where(eq(apiTokens.userId, userId))] : []),
  ]);
}

// ---------------------------------------------------------------- e-mail tokens (verify, reset)

export type EmailPurpose = "verify" | "reset" | "unlock";

export async function createEmailToken(db: Db, userId: number, purpose: EmailPurpose) {
  const token = randomToken(32);
  await db.batch([
    // Only the newest link of a kind works.
    db
      .update(emailTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt))),
    db.insert(emailTokens).values({
      userId,
      purpose,
      tokenHash: await sha256(token),
      expiresAt: new Date(Date.now() + EMAIL_TOKEN_TTL_MS),
    }),
  ]);
  return token;
}

/** Marks the token used and returns its user, or throws: single use, one hour. */
export async function consumeEmailToken(db: Db, token: string, purpose: EmailPurpose) {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(emailTokens.tokenHash, await sha256(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, new Date()),
      ),
    )
    .returning({ userId: emailTokens.userId });
  if (!row) throw fieldError("token", "This link is invalid, used or expired");
  return row.userId;
}

/** Sets the new password from a reset link; returns whose it was. */
export async function resetPassword(db: Db, token: string, password: string): Promise<number> {
  const userId = await consumeEmailToken(db, token, "reset");
  await db.batch([
    db
      .update(users)
      // The link arrived by e-mail, so the address is proven too.
      .set({ passwordHash: await hashPassword(password), verified: true })
      .where(eq(users.id, userId)),
    // Whoever asked for the link may not be the one who made those: every session and API token ends.
    db.delete(sessions).where(eq(sessions.userId, userId)),
    db.delete(apiTokens).where(eq(apiTokens.userId, userId)),
  ]);
  return userId;
}

/**
 * A registration that could not be made because its name or address is taken, told by e-mail
 * instead of in the answer: the address's owner learns that someone used it, or the person who
 * registered learns that the name is taken.
 */
export async function tellOfTakenRegistration(db: Db, config: Config, input: { username: string; email: string }, origin: string) {
  const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  await sendMail(config, owner ? addressTakenMail(input.email, origin) : usernameTakenMail(input.email, input.username, origin), db);
}

/** Tells the owner that sign-in to their account is paused, with a single-use link to lift it. */
export async function sendUnlockLink(db: Db, config: Config, userId: number, until: number, origin: string) {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) return;
  const token = await createEmailToken(db, userId, "unlock");
  await sendMail(config, unlockMail(user.email, `${origin}/unlock?token=${token}`, new Date(until)), db);
}
