// One WebSocket per tab to /api/ws: dispatches server events to subscribers, keeps the
// connection alive with "ping" every 25 s, and reconnects with capped, jittered backoff.
import type { EventData, EventName, ServerEvent } from "../shared/events";
import { store } from "./store";

type Handler = (e: ServerEvent) => void;
const handlers = new Set<Handler>();
const openHandlers = new Set<() => void>();

export type SocketState = "idle" | "connecting" | "open" | "closed";
export const socketState = store<SocketState>("idle");

let socket: WebSocket | null = null;
let wanted = false;
let attempt = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let pingTimer: ReturnType<typeof setInterval> | undefined;
let everOpened = false;
let failures = 0;
let onFailing: (() => void) | null = null;
/** Called when connections keep failing (an expired session looks like this from here). */
export const whenFailing = (fn: () => void) => {
  onFailing = fn;
};

/** Every event; returns an unsubscribe function. */
export function subscribe(fn: Handler) {
  handlers.add(fn);
  return () => handlers.delete(fn);
}

/** One event name, typed. */
export function on<K extends EventName>(name: K, fn: (data: EventData<K>) => void) {
  return subscribe((e) => {
    if (e.event === name) fn(e.data as unknown as EventData<K>);
  });
}

/** Called after every (re)connection: a chance to refetch what was missed while offline. */
export function onReconnect(fn: () => void) {
  openHandlers.add(fn);
  return () => openHandlers.delete(fn);
}

function open() {
  clearTimeout(retryTimer);
  if (!wanted || socket) return;
  socketState.set("connecting");
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/ws`);
  socket = ws;
  let opened = false;
  ws.onopen = () => {
    opened = true;
    failures = 0;
    attempt = 0;
    socketState.set("open");
    clearInterval(pingTimer);
    pingTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), 25_000);
    if (everOpened) for (const fn of [...openHandlers]) fn();
    everOpened = true;
  };
  ws.onmessage = (m) => {
    if (typeof m.data !== "string" || m.data === "pong") return;
    let frame: ServerEvent;
    try {
      frame = JSON.parse(m.data) as ServerEvent;
    } catch {
      return;
    }
    if (!frame || typeof frame.event !== "string" || (frame.event as string) === "pong") return;
    for (const fn of [...handlers]) {
      try {
        fn(frame);
      } catch (err) {
        console.warn("event handler failed", err);
      }
    }
  };
  ws.onclose = () => {
    clearInterval(pingTimer);
    if (socket === ws) socket = null;
    socketState.set(wanted ? "closed" : "idle");
    if (!wanted) return;
    if (!opened && ++failures % 3 === 0) onFailing?.();
    const delay = Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt = Math.min(attempt + 1, 6);
    retryTimer = setTimeout(open, delay);
  };
}

export function connect() {
  wanted = true;
  open();
}

export function disconnect() {
  wanted = false;
  everOpened = false;
  clearTimeout(retryTimer);
  clearInterval(pingTimer);
  const ws = socket;
  socket = null;
  ws?.close();
  socketState.set("idle");
}

// Come back quickly when the tab is shown or the network returns, instead of waiting out the backoff.
const nudge = () => {
  if (wanted && !socket) {
    attempt = 0;
    open();
  }
};
document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && nudge());
window.addEventListener("online", nudge);
