// Streamed prose reaches the browser as `chapter_delta` events, batched: every user's pending
// deltas (all chapters being written for them) go out in at most one UserHub call per 250 ms.
// Each call is a subrequest of the consumer invocation, so this keeps a long fan-out of streaming
// chapters well inside the Workers subrequest budget (docs/ARCHITECTURE.md, "Platform facts").
import { event } from "../shared/events";
import { publish } from "../domain/hub";

const INTERVAL_MS = 250;

type Pending = {
  env: Env;
  deltas: Map<number, { storyId: number; chapterId: number; text: string }>;
  timer: ReturnType<typeof setTimeout> | null;
  /** Calls to the hub go one after another, so deltas arrive in order. */
  sending: Promise<void>;
};

const byUser = new Map<number, Pending>();

export function pushDelta(env: Env, userId: number, storyId: number, chapterId: number, text: string) {
  let p = byUser.get(userId);
  if (!p) byUser.set(userId, (p = { env, deltas: new Map(), timer: null, sending: Promise.resolve() }));
  const cur = p.deltas.get(chapterId);
  p.deltas.set(chapterId, { storyId, chapterId, text: (cur?.text ?? "") + text });
  p.timer ??= setTimeout(() => void flushDeltas(userId), INTERVAL_MS);
}

/** Sends what is pending for the user now; resolves once it (and everything before it) was sent. */
export function flushDeltas(userId: number): Promise<void> {
  const p = byUser.get(userId);
  if (!p) return Promise.resolve();
  if (p.timer) clearTimeout(p.timer);
  p.timer = null;
  const events = [...p.deltas.values()].map((d) => event("chapter_delta", d));
  p.deltas.clear();
  if (events.length) p.sending = p.sending.then(() => publish(p.env, userId, ...events));
  return p.sending;
}
