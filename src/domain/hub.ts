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

/** `env` with every call to a UserHub counted into `count` (a queue batch logs how many it made). */
export function countingHubs(env: Env, count: { hubCalls: number }): Env {
  const hubs = env.USER_HUB;
  const getByName = (name: string) => {
    const stub = hubs.getByName(name);
    return new Proxy(stub, {
      get(target, prop) {
        const member = Reflect.get(target, prop);
        if (typeof member !== "function" || typeof prop === "symbol") return member;
        return (...args: unknown[]) => {
          count.hubCalls++;
          return (target as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!(...args);
        };
      },
    });
  };
  const namespace = new Proxy(hubs, { get: (target, prop) => (prop === "getByName" ? getByName : Reflect.get(target, prop)) });
  return { ...env, USER_HUB: namespace };
}
