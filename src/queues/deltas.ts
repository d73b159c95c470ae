// Streamed prose reaches the browser as `chapter_delta` events, batched: every user's pending
// deltas (all chapters being written for them) go out in at most one UserHub call per 250 ms.
// Each call is a subrequest of the consumer invocation, so this keeps a long fan-out of streaming
// chapters well inside the Workers subrequest budget (docs/ARCHITECTURE.md, "Platform facts").
//
// One buffer per queue batch, never one per isolate: workerd ties a timer or a hub call to the
// invocation that made it, and never settles it for another once that one is over. A batch that
// chained its sends onto an earlier batch's unanswered call waited forever, and locally, where one
// batch runs at a time, so did every book after it.
import { event } from "../shared/events";
import { publish } from "../domain/hub";

const INTERVAL_MS = 250;

type Pending = {
  deltas: Map<number, { storyId: number; chapterId: number; text: string }>;
  timer: ReturnType<typeof setTimeout> | null;
  /** Calls to the hub go one after another, so deltas arrive in order. */
  sending: Promise<void>;
};

export type DeltaBuffer = {
  push(userId: number, storyId: number, chapterId: number, text: string): void;
  /** Sends what is pending for the user now; resolves once it (and everything before it) was sent. */
  flush(userId: number): Promise<void>;
};

export function deltaBuffer(env: Env): DeltaBuffer {
  const byUser = new Map<number, Pending>();
  const flush = (userId: number): Promise<void> => {
    const p = byUser.get(userId);
    if (!p) return Promise.resolve();
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    const events = [...p.deltas.values()].map((d) => event("chapter_delta", d));
    p.deltas.clear();
    if (events.length) p.sending = p.sending.then(() => publish(env, userId, ...events));
    return p.sending;
  };
  return {
    push(userId, storyId, chapterId, text) {
      let p = byUser.get(userId);
      if (!p) byUser.set(userId, (p = { deltas: new Map(), timer: null, sending: Promise.resolve() }));
      const cur = p.deltas.get(chapterId);
      p.deltas.set(chapterId, { storyId, chapterId, text: (cur?.text ?? "") + text });
      p.timer ??= setTimeout(() => void flush(userId), INTERVAL_MS);
    },
    flush,
  };
}
