// Sign-in lockout (SECURITY.md): failed sign-ins are counted in UserHub Durable Objects, per
// account and per client address. A pause ends by itself and its count starts again at zero;
// pauses in a row double up to a cap instead of shutting the owner out for good; the owner is
// told by e-mail and may lift their account's pause with a single-use link. A paused account
// answers exactly what a wrong password or an unknown login answers, so lockout is no oracle.
import type { Deps } from "./deps";
import { ipHub, userHub } from "./hub";
import { AppError } from "./errors";

export type LockPolicy = { threshold: number; windowMs: number; baseMs: number; maxMs: number };

const MINUTE = 60_000;
/** One account, from anywhere: 5 wrong passwords in 15 minutes pause it for 1, 2, 4, 8, then 15 minutes. */
export const ACCOUNT_LOCK: LockPolicy = { threshold: 5, windowMs: 15 * MINUTE, baseMs: MINUTE, maxMs: 15 * MINUTE };
/** One address, any accounts: 20 failures in 15 minutes pause it for 5, 10, 20, 40, then 60 minutes. */
export const ADDRESS_LOCK: LockPolicy = { threshold: 20, windowMs: 15 * MINUTE, baseMs: 5 * MINUTE, maxMs: 60 * MINUTE };

export type SignInGuard = {
  /** A paused address is told so (429): that says nothing about any account. */
  checkAddress(): Promise<void>;
  accountPaused(userId: number): Promise<boolean>;
  failed(userId: number | null): Promise<void>;
  succeeded(userId: number): Promise<void>;
};

export const NO_GUARD: SignInGuard = {
  checkAddress: async () => {},
  accountPaused: async () => false,
  failed: async () => {},
  succeeded: async () => {},
};

const pausedAddress = (until: number) => {
  const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
  return new AppError("rate_limited", `Too many failed sign-ins from your network. Try again in ${Math.ceil(seconds / 60)} min.`, {
    retryAfter: seconds,
  });
};

/** `onAccountPaused` runs when an account's pause begins (it sends the owner the unlock link). */
export function signInGuard(deps: Deps, ip: string, onAccountPaused: (userId: number, until: number) => void): SignInGuard {
  const address = ipHub(deps.env, ip);
  return {
    async checkAddress() {
      const until = await address.signInLockedUntil();
      if (until > Date.now()) throw pausedAddress(until);
    },
    async accountPaused(userId) {
      return (await userHub(deps.env, userId).signInLockedUntil()) > Date.now();
    },
    async failed(userId) {
      const [, account] = await Promise.all([
        address.signInFailed(ADDRESS_LOCK),
        userId === null ? null : userHub(deps.env, userId).signInFailed(ACCOUNT_LOCK),
      ]);
      if (account?.justLocked && userId !== null) onAccountPaused(userId, account.lockedUntil);
    },
    async succeeded(userId) {
      await userHub(deps.env, userId).signInReset();
    },
  };
}

/** The owner's unlock link was used: their account's pause and count are gone. */
export async function liftAccountPause(deps: Deps, userId: number) {
  await userHub(deps.env, userId).signInReset();
}
