// Outgoing e-mail through Mailgun's HTTP API. Without Mailgun, local development reads the
// message (links included) in the console; in production (APP_URL on a public host) nothing with
// a link is ever written to a log: the mail is not sent, the log says only that, and the admins
// get a notification that e-mail is not configured.
import { and, eq, sql } from "drizzle-orm";
import type { Config } from "./config";
import type { Db } from "./db/client";
import { notifications, roles, users } from "./db/schema";
import { NOW, value } from "./db/sql";

export type Mail = { to: string; subject: string; text: string };

export const MAIL_NOT_CONFIGURED =
  "E-mail is not configured (MAILGUN_API_KEY is unset): password-reset and unlock links cannot be sent. Set up Mailgun (README, Configuration).";

/** Tells every admin once (until they read it) that a mail could not be sent. */
const tellAdmins = (db: Db) =>
  db.insert(notifications).select(
    db
      .select({
        id: value(null, "id"),
        userId: users.id,
        message: value(MAIL_NOT_CONFIGURED, "message"),
        level: value("error", "level"),
        link: value(null, "link"),
        readAt: value(null, "read_at"),
        createdAt: value(NOW, "created_at"),
      })
      .from(users)
      .innerJoin(roles, eq(users.roleId, roles.id))
      .where(
        and(
          eq(roles.isAdmin, true),
          sql`NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = ${users.id} AND n.message = ${MAIL_NOT_CONFIGURED} AND n.read_at IS NULL)`,
        ),
      ),
  );

/** Sends `mail`; false when it could not be sent (no Mailgun in production, or Mailgun refused). */
export async function sendMail(config: Config, mail: Mail, db?: Db): Promise<boolean> {
  const mg = config.mailgun;
  if (!mg) {
    if (!config.production) {
      console.log(`[mail] to ${mail.to}: ${mail.subject}\n${mail.text}`);
      return true;
    }
    console.error(`[mail] not sent ("${mail.subject}"): MAILGUN_API_KEY is not set, and e-mailed links are never written to logs in production.`);
    if (db) await tellAdmins(db);
    return false;
  }
  const body = new URLSearchParams({ from: mg.from, to: mail.to, subject: mail.subject, text: mail.text });
  const res = await fetch(`${mg.apiBase}/v3/${mg.domain}/messages`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`api:${mg.apiKey}`)}` },
    body,
  });
  if (!res.ok) console.error(`[mail] Mailgun answered ${res.status}: ${await res.text()}`);
  return res.ok;
}

export const verificationMail = (to: string, link: string): Mail => ({
  to,
  subject: "Confirm your NovelApp e-mail address",
  text: `Welcome to NovelApp!\n\nConfirm your address by opening this link (valid for one hour):\n${link}\n\nIf you did not sign up, ignore this message.`,
});

export const resetMail = (to: string, link: string): Mail => ({
  to,
  subject: "Reset your NovelApp password",
  text: `Someone asked to reset the password of your NovelApp account.\n\nChoose a new password here (valid for one hour, once):\n${link}\n\nIf it was not you, ignore this message: your password stays as it is.`,
});

export const unlockMail = (to: string, link: string, until: Date): Mail => ({
  to,
  subject: "Sign-in to your NovelApp account is paused",
  text: `Someone tried to sign in to your NovelApp account several times with a wrong password, so sign-in is paused until ${until.toISOString().slice(11, 16)} UTC.\n\nIf it was you, lift the pause now (valid for one hour, once):\n${link}\n\nIf it was not you, nobody got in; you may want to choose a stronger password from your profile.`,
});

export const addressTakenMail = (to: string, origin: string): Mail => ({
  to,
  subject: "Someone tried to sign up to NovelApp with your address",
  text: `Someone tried to create a NovelApp account with this e-mail address, which already has one.\n\nIf it was you, log in at ${origin}/login, or choose a new password at ${origin}/forgot.\n\nIf it was not you, ignore this message: nothing was changed.`,
});

export const usernameTakenMail = (to: string, username: string, origin: string): Mail => ({
  to,
  subject: "Your NovelApp account was not created",
  text: `Someone (you, we hope) tried to create a NovelApp account for this address with the username "${username}", which is taken.\n\nChoose another username at ${origin}/register.\n\nIf it was not you, ignore this message.`,
});
