// Stripe Prices of packages and plans: created on first sale or change, archived when replaced.
import { and, eq, isNull } from "drizzle-orm";
import { type Db } from "../db/client";
import { creditPackages, roles } from "../db/schema";
import { AppError } from "../errors";
import { callStripe, toCents, type Stripe } from "../stripe";
import { Billing } from "./common";
import { ForSale } from "./catalog";

// ---------------------------------------------------------------- Stripe prices

type Priced = { kind: "package" | "role"; name: string; priceUsd: number };

export async function createPrice(stripe: Stripe, item: Priced): Promise<string> {
  const price = await callStripe(`create the price of ${item.kind} "${item.name}"`, () =>
    stripe.prices.create({
      currency: "usd",
      unit_amount: toCents(item.priceUsd),
      product_data: { name: item.name },
      ...(item.kind === "role" ? { recurring: { interval: "month" as const } } : {}),
      metadata: { kind: item.kind },
    }),
  );
  return price.id;
}

/** Archived, not deleted: Stripe keeps prices that were paid; existing subscriptions stay on theirs. */
export async function archivePrice(stripe: Stripe | null, priceId: string | null) {
  if (!priceId) return;
  if (!stripe) return console.warn(`Stripe is not configured: price ${priceId} stays active in Stripe`);
  await callStripe("archive the old price", () => stripe.prices.update(priceId, { active: false }));
}

/** For clean-ups after the change itself succeeded: a leftover active price is harmless. */
export const archiveQuietly = (stripe: Stripe | null, priceId: string | null) =>
  archivePrice(stripe, priceId).catch((e) => console.warn(`could not archive price ${priceId}`, e));

/** Items made while Stripe was off (or whose price was dropped) get their price at first sale. */
export async function ensurePrice(db: Db, stripe: Stripe, item: ForSale): Promise<string> {
  if (item.row.stripePriceId) return item.row.stripePriceId;
  const priceId = await createPrice(stripe, { kind: item.kind, name: item.row.name, priceUsd: item.row.priceUsd });
  const won =
    item.kind === "package"
      ? await db
          .update(creditPackages)
          .set({ stripePriceId: priceId })
          .where(and(eq(creditPackages.id, item.row.id), isNull(creditPackages.stripePriceId)))
          .returning({ priceId: creditPackages.stripePriceId })
      : await db
          .update(roles)
          .set({ stripePriceId: priceId })
          .where(and(eq(roles.id, item.row.id), isNull(roles.stripePriceId)))
          .returning({ priceId: roles.stripePriceId });
  if (won.length) return priceId;
  // Another request priced it first: use theirs.
  await archiveQuietly(stripe, priceId);
  const table = item.kind === "package" ? creditPackages : roles;
  const [row] = await db.select({ priceId: table.stripePriceId }).from(table).where(eq(table.id, item.row.id));
  if (!row?.priceId) throw new AppError("conflict", "This item changed meanwhile: please try again");
  return row.priceId;
}

/** The price an edited item should carry: a new one when what the customer pays or sees changed. */
export async function replacementPrice(b: Billing, item: Priced & { active: boolean }, current: string | null, changed: boolean) {
  if (!changed) return current;
  // Without Stripe, or for free and retired items, there is nothing to sell: priced at first sale.
  if (!b.stripe || !item.active || item.priceUsd <= 0) return null;
  return createPrice(b.stripe, item);
}

export const samePrice = (column: typeof roles.stripePriceId | typeof creditPackages.stripePriceId, priceId: string | null) =>
  priceId === null ? isNull(column) : eq(column, priceId);

export const changedMeanwhile = (what: string) =>
  new AppError("conflict", `This ${what} was changed meanwhile: reload and try again`);
