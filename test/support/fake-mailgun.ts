// Reads what the app "sent" through the fake Mailgun server (test/fakes/mailgun-server.mjs).
import { inject } from "vitest";

export async function mails(to?: string): Promise<{ to: string; subject: string; text: string; from: string }[]> {
  const res = await fetch(`${inject("fakeMailgunUrl")}/__control/messages`);
  const { messages } = (await res.json()) as { messages: any[] };
  return to ? messages.filter((m) => m.to === to) : messages;
}

/** The token in the newest link of that kind sent to `to`. */
export async function tokenFromMail(to: string, path: "/verify" | "/reset"): Promise<string> {
  const list = await mails(to);
  for (const m of list.reverse()) {
    const match = m.text.match(new RegExp(`${path}\\?token=([\\w-]+)`));
    if (match) return match[1]!;
  }
  throw new Error(`no ${path} link mailed to ${to}`);
}
