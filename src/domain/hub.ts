// Typed access to the UserHub Durable Objects.
import type { ServerEvent } from "../shared/events";

/** The hub of one user: their lock and their open tabs. */
export const userHub = (env: Env, userId: number) => env.USER_HUB.getByName(`user:${userId}`);

/** Rate counters for callers that are not signed in yet, keyed by client IP. */
export const ipHub = (env: Env, ip: string) => env.USER_HUB.getByName(`ip:${ip}`);

/** Best effort: a hub that cannot be reached must never fail the work that produced the event. */
export async function publish(env: Env, userId: number, ...events: ServerEvent[]) {
  if (!events.length) return;
  try {
    await userHub(env, userId).publishMany(events);
  } catch (e) {
    console.warn("publish failed", e);
  }
}
