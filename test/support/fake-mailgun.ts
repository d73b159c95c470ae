// Reads what the app "sent" through the fake Mailgun server (test/fakes/mailgun-server.mjs).
import { inject } from "vitest";

export async function mails(to?: string): Promise<{ to: string; subject: string; text: string; from: string }[]> {
  const res = await fetch(`${inject("fakeMailgunUrl")}/__control/messages`);
  const { messages } = (await res.json()) as { messages: any[] };
  return to ? messages.filter((m) => m.to === to) : messages;
}

/** The token in the newest link of that kind sent to `to` (mail may go out just after the answer). */
export async function tokenFromMail(to: string, path: "/verify" | "/reset", timeoutMs = 5_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const list = await mails(to);
    for (const m of list.reverse()) {
      const match = m.text.match(new RegExp(`${path}\\?token=([\\w-]+)`));
      if (match) return match[1]!;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`no ${path} link mailed to ${to}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Makes the fake Mailgun take `ms` to accept each message (0: at once). */
export async function mailLatency(ms: number) {
  await fetch(`${inject("fakeMailgunUrl")}/__control/latency`, { method: "POST", body: JSON.stringify({ ms }) });
}
