// Opens /api/ws as a browser tab would and records the events it receives.
import { exports } from "cloudflare:workers";
import type { ServerEvent } from "../../src/shared/events";
import type { Client } from "./client";

export type Tab = {
  events: ServerEvent[];
  socket: WebSocket;
  waitFor(pred: (e: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
  close(): void;
};

export async function openTab(c: Client, headers: Record<string, string> = { origin: "http://localhost" }): Promise<Tab> {
  const h: Record<string, string> = { upgrade: "websocket", ...headers };
  if (c.cookie) h.cookie = c.cookie;
  const res = await exports.default.fetch("http://localhost/api/ws", { headers: h });
  if (res.status !== 101 || !res.webSocket) throw new Error(`no upgrade: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  ws.accept();
  const events: ServerEvent[] = [];
  ws.addEventListener("message", (e) => events.push(JSON.parse(e.data as string)));
  return {
    events,
    socket: ws,
    async waitFor(pred, timeoutMs = 20_000) {
      const start = Date.now();
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() - start > timeoutMs) throw new Error(`event not seen; got ${events.map((e) => e.event).join(", ")}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => ws.close(1000, "done"),
  };
}
