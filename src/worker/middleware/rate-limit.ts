// Abuse throttles kept in Durable Objects (SECURITY.md): per client IP before sign-in, per user after.
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { AppError } from "../../domain/errors";
import { ipHub, userHub } from "../../domain/hub";

export const clientIp = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "local";

export async function limitByIp(c: Context<AppEnv>, scope: string, limit: number, windowMs: number) {
  const r = await ipHub(c.env, clientIp(c)).hit(scope, limit, windowMs);
  if (!r.ok) throw tooMany(r.retryAfterMs);
}

/** Refuses (429) once `scope` has had `limit` hits from this address, without counting this one. */
export async function refuseIfSpentByIp(c: Context<AppEnv>, scope: string, limit: number) {
  const r = await ipHub(c.env, clientIp(c)).peek(scope, limit);
  if (!r.ok) throw tooMany(r.retryAfterMs);
}

const MINUTE = 60_000;
/**
 * Per-user budgets of what lands in other people's inboxes or in D1 (SECURITY.md): a burst past
 * one answers 429 with retryAfter, and the window's end lets the user go on.
 */
export const USER_LIMITS = {
  comment: { limit: 10, windowMs: 10 * MINUTE },
  "story-create": { limit: 30, windowMs: 60 * MINUTE },
  report: { limit: 10, windowMs: 60 * MINUTE },
  "token-create": { limit: 10, windowMs: 60 * MINUTE },
} as const;

export const limitUser = (c: Context<AppEnv>, userId: number, scope: keyof typeof USER_LIMITS) =>
  limitByUser(c, userId, scope, USER_LIMITS[scope].limit, USER_LIMITS[scope].windowMs);

export async function limitByUser(c: Context<AppEnv>, userId: number, scope: string, limit: number, windowMs: number) {
  const r = await userHub(c.env, userId).hit(scope, limit, windowMs);
  if (!r.ok) throw tooMany(r.retryAfterMs);
}

function tooMany(retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError("rate_limited", `Too many requests. Try again in ${seconds} s.`, { retryAfter: seconds });
}
