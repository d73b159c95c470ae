// What every part of billing shares: D1, the bindings, the Stripe settings and client, and the JSON shapes of packages and plans.
import type { AdminPackage, AdminRole, CreditPackage, Plan } from "../../shared/api";
import type { Config } from "../config";
import type { Deps } from "../deps";
import type { Db } from "../db/client";
import { creditPackages, roles } from "../db/schema";
import { AppError } from "../errors";
import { createStripe, PAYMENTS_OFF_MESSAGE, paymentsEnabled, type Stripe } from "../stripe";

export type RoleRow = typeof roles.$inferSelect;
export type PackageRow = typeof creditPackages.$inferSelect;
export type CreditType = "text" | "image";

/** What billing needs: D1, the bindings (live events), the Stripe settings and a client if keyed. */
export type Billing = { db: Db; env: Env; config: Config["stripe"]; stripe: Stripe | null };

export function billingFor({ env, db, config }: Deps): Billing {
  return { db, env, config: config.stripe, stripe: createStripe(config.stripe) };
}

export function requirePayments(b: Billing): Stripe {
  if (!b.stripe || !paymentsEnabled(b.config)) throw new AppError("payments_disabled", PAYMENTS_OFF_MESSAGE);
  return b.stripe;
}

// ---------------------------------------------------------------- JSON shapes

export const packageJson = (p: PackageRow): CreditPackage => ({
  id: p.id,
  name: p.name,
  creditType: p.creditType,
  credits: p.credits,
  priceUsd: p.priceUsd,
});
export const planJson = (r: RoleRow): Plan => ({
  id: r.id,
  name: r.name,
  monthlyTextCredits: r.monthlyTextCredits,
  monthlyImageCredits: r.monthlyImageCredits,
  priceUsd: r.priceUsd,
});
export const adminPackageJson = (p: PackageRow): AdminPackage => ({
  ...packageJson(p),
  active: p.active,
  stripePriceId: p.stripePriceId,
  createdAt: p.createdAt.toISOString(),
});
export const adminRoleJson = (r: RoleRow): AdminRole => ({
  ...planJson(r),
  isAdmin: r.isAdmin,
  protected: r.protected,
  active: r.active,
  stripePriceId: r.stripePriceId,
  createdAt: r.createdAt.toISOString(),
});

/** Stripe fields hold either an id or the expanded object. */
export const idOf = (v: string | { id: string } | null | undefined): string | null =>
  typeof v === "string" ? v : (v?.id ?? null);

export function positiveInt(raw: string | null | undefined): number | null {
  const n = Number(raw);
  return raw && Number.isSafeInteger(n) && n > 0 ? n : null;
}
