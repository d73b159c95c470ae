// Outgoing e-mail through Mailgun's HTTP API; without Mailgun the message is logged, so local
// development can follow reset and verification links from the console.
import type { Config } from "./config";

export type Mail = { to: string; subject: string; text: string };

export async function sendMail(config: Config, mail: Mail): Promise<void> {
  const mg = config.mailgun;
  if (!mg) {
    console.log(`[mail] to ${mail.to}: ${mail.subject}\n${mail.text}`);
    return;
  }
  const body = new URLSearchParams({ from: mg.from, to: mail.to, subject: mail.subject, text: mail.text });
  const res = await fetch(`${mg.apiBase}/v3/${mg.domain}/messages`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`api:${mg.apiKey}`)}` },
    body,
  });
  if (!res.ok) console.error(`[mail] Mailgun answered ${res.status}: ${await res.text()}`);
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
