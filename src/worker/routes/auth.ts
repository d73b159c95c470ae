import { Hono } from "hono";
import type { AppEnv } from "../env";
import { endSession, sessionToken, startSession, resolveUser } from "../middleware/auth";
import { clientIp, limitByIp, refuseIfSpentByIp } from "../middleware/rate-limit";
import type { Config } from "../../domain/config";
import { hashPassword } from "../../domain/crypto";
import type { Db } from "../../domain/db/client";
import { AppError } from "../../domain/errors";
import {
  consumeEmailToken,
  createEmailToken,
  createSession,
  deleteSession,
  login,
  register,
  resetPassword,
  sendUnlockLink,
  tellOfTakenRegistration,
  toUserJson,
  type SessionUser,
} from "../../domain/accounts";
import { liftAccountPause, signInGuard } from "../../domain/lockout";
import { resetMail, sendMail, verificationMail } from "../../domain/mail";
import { ForgotBody, LoginBody, RegisterBody, ResetBody, UnlockBody, VerifyQuery } from "../../shared/schemas";
import { validate } from "../validate";
import { appOrigin } from "../origin";
import { eq } from "drizzle-orm";
import { users } from "../../domain/db/schema";

const MINUTE = 60_000;


const HOUR = 60 * MINUTE;
/** "Already taken" answers an address gets per hour when e-mail verification is off. */
const TAKEN_PER_HOUR = 5;

async function sendVerification(db: Db, config: Config, user: { id: number; email: string }, origin: string) {
  const token = await createEmailToken(db, user.id, "verify");
  await sendMail(config, verificationMail(user.email, `${origin}/verify?token=${token}`), db);
}

export const auth = new Hono<AppEnv>()
  // Who is signed in, if anyone: 200 either way, so a visitor's first page load is not an error.
  .get("/session", async (c) => {
    const user = await resolveUser(c);
    return c.json({ user: user ? toUserJson(user) : null });
  })
  .post("/register", validate("json", RegisterBody), async (c) => {
    await limitByIp(c, "register", 20, 10 * MINUTE);
    const { db, config } = c.var.deps;
    const input = c.req.valid("json");
    // With e-mail verification on, the answer never says whether a name or address is taken: the
    // address's owner hears of it by e-mail. Without it the message stays, but an address gets
    // only a few of them an hour (every registration from it is refused once they are spent).
    const neutral = config.requireEmailVerification && !!config.mailgun;
    if (!neutral) await refuseIfSpentByIp(c, "register-taken", TAKEN_PER_HOUR);
    const origin = appOrigin(c);
    const answer = { verificationRequired: true, email: input.email, message: `If ${input.email} can be used, a link to confirm it is on its way.` };
    let user: SessionUser;
    try {
      user = await register(db, config, input);
    } catch (e) {
      if (!(e instanceof AppError && e.code === "conflict")) throw e;
      if (!neutral) {
        await limitByIp(c, "register-taken", TAKEN_PER_HOUR, HOUR);
        throw e;
      }
      await hashPassword(input.password); // as long as a registration takes
      c.executionCtx.waitUntil(tellOfTakenRegistration(db, config, input, origin).catch((err) => console.error("register mail", err)));
      return c.json(answer, 202);
    }
    if (neutral && !user.verified) {
      c.executionCtx.waitUntil(sendVerification(db, config, user, origin).catch((err) => console.error("verify mail", err)));
      return c.json(answer, 202);
    }
    if (!user.verified) await sendVerification(db, config, user, origin);
    const needsVerification = config.requireEmailVerification && !user.verified;
    if (!needsVerification) await startSession(c, await createSession(db, user.id));
    return c.json({ user: toUserJson(user), verificationRequired: needsVerification }, 201);
  })
  .post("/login", validate("json", LoginBody), async (c) => {
    await limitByIp(c, "login", 30, MINUTE);
    const { db, config } = c.var.deps;
    const origin = appOrigin(c);
    // The owner hears of a pause by e-mail, after the answer, which is the same as for any failure.
    const guard = signInGuard(c.var.deps, clientIp(c), (userId, until) =>
      c.executionCtx.waitUntil(sendUnlockLink(db, config, userId, until, origin).catch((e) => console.error("unlock mail", e))),
    );
    const user = await login(db, config, c.req.valid("json"), clientIp(c), guard);
    await startSession(c, await createSession(db, user.id));
    return c.json({ user: toUserJson(user) });
  })
  .post("/logout", async (c) => {
    const token = await sessionToken(c);
    if (token) await deleteSession(c.var.db, token);
    endSession(c);
    return c.json({ ok: true });
  })
  .post("/forgot", validate("json", ForgotBody), async (c) => {
    await limitByIp(c, "forgot", 10, 10 * MINUTE);
    const { db, config } = c.var.deps;
    const { email } = c.req.valid("json");
    const origin = appOrigin(c);
    // The link is made and mailed after the answer, so a known address answers as fast as an
    // unknown one (the one lookup both make is all the answer waits for).
    const [user] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, email));
    if (user)
      c.executionCtx.waitUntil(
        (async () => {
          const token = await createEmailToken(db, user.id, "reset");
          await sendMail(config, resetMail(user.email, `${origin}/reset?token=${token}`), db);
        })().catch((e) => console.error("reset mail", e)),
      );
    // Same answer either way: the endpoint does not reveal who has an account.
    return c.json({ ok: true, message: "If that address has an account, a reset link is on its way." }, 202);
  })
  .post("/reset", validate("json", ResetBody), async (c) => {
    await limitByIp(c, "reset", 20, 10 * MINUTE);
    const { token, password } = c.req.valid("json");
    const userId = await resetPassword(c.var.db, token, password);
    await liftAccountPause(c.var.deps, userId);
    return c.json({ ok: true });
  })
  // The link in the "sign-in is paused" e-mail: single use, one hour, like reset links.
  .post("/unlock", validate("json", UnlockBody), async (c) => {
    await limitByIp(c, "unlock", 20, 10 * MINUTE);
    const userId = await consumeEmailToken(c.var.db, c.req.valid("json").token, "unlock");
    await liftAccountPause(c.var.deps, userId);
    return c.json({ ok: true, message: "Sign-in is open again. You can log in now." });
  })
  .get("/verify", validate("query", VerifyQuery), async (c) => {
    const db = c.var.db;
    const userId = await consumeEmailToken(db, c.req.valid("query").token, "verify");
    await db.update(users).set({ verified: true }).where(eq(users.id, userId));
    return c.json({ ok: true });
  })
  .post("/verify/resend", validate("json", ForgotBody), async (c) => {
    await limitByIp(c, "verify-resend", 5, 10 * MINUTE);
    const db = c.var.db;
    const [user] = await db
      .select({ id: users.id, email: users.email, verified: users.verified })
      .from(users)
      .where(eq(users.email, c.req.valid("json").email));
    if (user && !user.verified) await sendVerification(db, c.var.config, user, appOrigin(c));
    return c.json({ ok: true }, 202);
  });
