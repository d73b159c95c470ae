// UserHub: one Durable Object per user. It serialises what must be serial for that
// user: the generation lock (one run at a time, with a TTL enforced by an alarm), the live-event
// WebSockets of every open tab (Hibernation API), and rate-limit counters.
import { DurableObject } from "cloudflare:workers";
import type { ServerEvent } from "../shared/events";
import { depsFor } from "../domain/deps";
import { expireJob, watchJob } from "../queues/advance";
import type { LockPolicy } from "../domain/lockout";

type Lock = { jobId: number; until: number };
/** Failed sign-ins counted in this hub: of one account (user hub) or from one address (ip hub). */
type SignIns = { fails: number; firstFailAt: number; lockedUntil: number; locks: number; lastLockAt: number };
export type SignInState = { lockedUntil: number; justLocked: boolean };
const DAY_MS = 24 * 3600 * 1000;
/** While a job holds the lock, the alarm also looks in on it this often (see watchJob). */
const WATCH_MS = 60_000;
type SocketInfo = { userId: number; connectedAt: number };
export type LockResult = { ok: true } | { ok: false; jobId: number; expired?: true };

export class UserHub extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Keep-alive pings from the client are answered without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ---------------------------------------------------------------- generation lock

  /**
   * Takes the lock for `jobId` when it is free or already theirs. A lock held by another job is
   * refused, saying whether its lease ran out; the caller fails that job first and then takes the
   * lock over by naming it in `replacing` (compare-and-set: only if that job still holds it).
   */
  async acquireLock(jobId: number, ttlMs: number, replacing?: number): Promise<LockResult> {
    const lock = await this.ctx.storage.get<Lock>("lock");
    if (lock && lock.jobId !== jobId && lock.jobId !== replacing)
      return lock.until <= Date.now() ? { ok: false, jobId: lock.jobId, expired: true } : { ok: false, jobId: lock.jobId };
    await this.setLock({ jobId, until: Date.now() + ttlMs });
    return { ok: true };
  }

  /** Heartbeat from the consumer: a job that is making progress keeps its lock. */
  async extendLock(jobId: number, ttlMs: number): Promise<boolean> {
    const lock = await this.ctx.storage.get<Lock>("lock");
    if (lock?.jobId !== jobId) return false;
    await this.setLock({ jobId, until: Math.max(lock.until, Date.now() + ttlMs) });
    return true;
  }

  /** Only the job holding the lock can release it. */
  async releaseLock(jobId: number): Promise<boolean> {
    const lock = await this.ctx.storage.get<Lock>("lock");
    if (lock?.jobId !== jobId) return false;
    await this.ctx.storage.delete("lock");
    await this.ctx.storage.deleteAlarm();
    return true;
  }

  async getLock(): Promise<Lock | null> {
    return (await this.ctx.storage.get<Lock>("lock")) ?? null;
  }

  private async setLock(lock: Lock) {
    await this.ctx.storage.put("lock", lock);
    await this.ctx.storage.setAlarm(Math.min(lock.until, Date.now() + WATCH_MS));
  }

  override async alarm() {
    const lock = await this.ctx.storage.get<Lock>("lock");
    if (!lock) return;
    if (lock.until <= Date.now()) {
      await this.ctx.storage.delete("lock");
      // The job ran out of time: fail it and tell the browser.
      this.publishMany(await expireJob(depsFor(this.env), lock.jobId));
      return;
    }
    // Still within its lease: heal what a lost message or a crash may have left behind.
    const state = await watchJob(depsFor(this.env), lock.jobId);
    const now = await this.ctx.storage.get<Lock>("lock");
    if (now?.jobId !== lock.jobId) return; // released or replaced meanwhile
    if (state === "finished") {
      await this.ctx.storage.delete("lock"); // its release was lost
      return;
    }
    await this.ctx.storage.setAlarm(Math.min(now.until, Date.now() + WATCH_MS));
  }

  // ---------------------------------------------------------------- live events

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    // The Worker authenticated the caller and picked this object by user id; it passes the id
    // in a search param it sets itself.
    const userId = Number(new URL(request.url).searchParams.get("userId"));
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, ["progress"]);
    server.serializeAttachment({ userId, connectedAt: Date.now() } satisfies SocketInfo);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends one event to every open tab of this user. */
  publish(event: ServerEvent): number {
    const frame = JSON.stringify(event);
    let sent = 0;
    for (const ws of this.ctx.getWebSockets("progress")) {
      try {
        ws.send(frame);
        sent++;
      } catch {
        // A socket closing right now: the tab reconnects and reloads state.
      }
    }
    return sent;
  }

  publishMany(events: ServerEvent[]): void {
    for (const e of events) this.publish(e);
  }

  /** Closes every open tab's socket (the account was locked or deleted); their pages sign out. */
  closeSockets(code: number, reason: string): number {
    const sockets = this.ctx.getWebSockets("progress");
    for (const ws of sockets) {
      try {
        ws.close(code, reason);
      } catch {
        // Already closing.
      }
    }
    return sockets.length;
  }

  connections(): number {
    return this.ctx.getWebSockets("progress").length;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    // Clients only ever send keep-alives; answer anything else with a pong too.
    if (message !== "ping") ws.send(JSON.stringify({ event: "pong", data: {} }));
  }

  override async webSocketClose() {
    // With compatibility dates from 2026-04-07 the runtime answers the close frame itself.
  }

  override async webSocketError() {}

  // ---------------------------------------------------------------- sign-in lockout

  private async signIns(now: number): Promise<SignIns> {
    const s = (await this.ctx.storage.get<SignIns>("signins")) ?? { fails: 0, firstFailAt: 0, lockedUntil: 0, locks: 0, lastLockAt: 0 };
    // A lock that has run out starts the count again: one wrong try after it never re-locks.
    if (s.lockedUntil && s.lockedUntil <= now) s.lockedUntil = 0;
    // A day without a lock forgets the doubling.
    if (s.locks && now - s.lastLockAt > DAY_MS) s.locks = 0;
    return s;
  }

  /** Until when sign-in is paused here (0: it is not). */
  async signInLockedUntil(): Promise<number> {
    return (await this.signIns(Date.now())).lockedUntil;
  }

  /**
   * Counts a failed sign-in. `threshold` failures within `windowMs` pause sign-in for `baseMs`,
   * doubling with each pause in a row up to `maxMs`. A failure while paused is not counted.
   */
  async signInFailed(p: LockPolicy): Promise<SignInState> {
    const now = Date.now();
    const s = await this.signIns(now);
    if (s.lockedUntil > now) return { lockedUntil: s.lockedUntil, justLocked: false };
    if (!s.fails || now - s.firstFailAt > p.windowMs) {
      s.fails = 0;
      s.firstFailAt = now;
    }
    s.fails++;
    let justLocked = false;
    if (s.fails >= p.threshold) {
      s.locks++;
      s.lockedUntil = now + Math.min(p.maxMs, p.baseMs * 2 ** (s.locks - 1));
      s.lastLockAt = now;
      s.fails = 0;
      justLocked = true;
    }
    await this.ctx.storage.put("signins", s);
    return { lockedUntil: s.lockedUntil, justLocked };
  }

  /** A correct sign-in or the owner's unlock link: no pause, no count, no doubling. */
  async signInReset(): Promise<void> {
    await this.ctx.storage.delete("signins");
  }

  // ---------------------------------------------------------------- rate limits

  /** Whether `key` has room for another hit, without counting one. */
  async peek(key: string, limit: number): Promise<{ ok: boolean; retryAfterMs: number }> {
    const now = Date.now();
    const cur = await this.ctx.storage.get<{ count: number; resetAt: number }>(`rate:${key}`);
    if (cur && cur.resetAt > now && cur.count >= limit) return { ok: false, retryAfterMs: cur.resetAt - now };
    return { ok: true, retryAfterMs: 0 };
  }

  /** Fixed-window counter: at most `limit` hits per `windowMs` for `key`. */
  async hit(key: string, limit: number, windowMs: number): Promise<{ ok: boolean; retryAfterMs: number }> {
    const now = Date.now();
    const k = `rate:${key}`;
    const cur = await this.ctx.storage.get<{ count: number; resetAt: number }>(k);
    const win = cur && cur.resetAt > now ? cur : { count: 0, resetAt: now + windowMs };
    if (win.count >= limit) return { ok: false, retryAfterMs: win.resetAt - now };
    await this.ctx.storage.put(k, { count: win.count + 1, resetAt: win.resetAt });
    return { ok: true, retryAfterMs: 0 };
  }
}
