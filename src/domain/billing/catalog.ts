// What authors buy: the catalog, Stripe Checkout for a package or a plan (one plan per customer), and the billing portal.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { BillingCatalog, CheckoutSession } from "../../shared/api";
import type { CheckoutInput } from "../../shared/schemas";
import { type Db } from "../db/client";
import { creditPackages, roles, users } from "../db/schema";
import { AppError, fieldError, notFound } from "../errors";
import type { SessionUser } from "../accounts";
import { callStripe, isInvalidRequest, PAYMENTS_OFF_MESSAGE, paymentsEnabled, type Stripe } from "../stripe";
import { Billing, PackageRow, RoleRow, packageJson, planJson, requirePayments } from "./common";
import { ensurePrice } from "./prices";
import { LIVE_STATUSES } from "./webhook";

// ---------------------------------------------------------------- catalog, checkout, portal

export async function getCatalog(b: Pick<Billing, "db" | "config">, user: SessionUser | null): Promise<BillingCatalog> {
  const { db, config } = b;
  const [packages, plans] = await db.batch([
    db
      .select()
      .from(creditPackages)
      .where(eq(creditPackages.active, true))
      .orderBy(asc(creditPackages.priceUsd), asc(creditPackages.id)),
    db
      .select()
      .from(roles)
      .where(and(eq(roles.active, true), eq(roles.protected, false), eq(roles.isAdmin, false), sql`${roles.priceUsd} > 0`))
      .orderBy(asc(roles.priceUsd), asc(roles.id)),
  ]);
  const enabled = paymentsEnabled(config);
  return {
    enabled,
    message: enabled ? null : PAYMENTS_OFF_MESSAGE,
    publishableKey: enabled ? (config.publishableKey ?? null) : null,
    packages: packages.map(packageJson),
    roles: plans.map(planJson),
    account: user ? await accountOf(db, user) : null,
  };
}

async function accountOf(db: Db, user: SessionUser) {
  const [row] = await db
    .select({ customer: users.stripeCustomerId, subscription: users.stripeSubscriptionId })
    .from(users)
    .where(eq(users.id, user.id));
  return { roleId: user.roleId, role: user.role, subscribed: !!row?.subscription, hasBillingAccount: !!row?.customer };
}

export type ForSale = { kind: "package"; row: PackageRow } | { kind: "role"; row: RoleRow };

export async function startCheckout(
  b: Billing,
  user: SessionUser,
  input: CheckoutInput,
  origin: string,
): Promise<CheckoutSession> {
  const stripe = requirePayments(b);
  const item: ForSale =
    input.packageId !== undefined
      ? { kind: "package", row: await packageForSale(b.db, input.packageId) }
      : { kind: "role", row: await planForSale(b.db, input.roleId!, user) };
  const price = await ensurePrice(b.db, stripe, item);
  const customer = await ensureCustomer(b.db, stripe, user);
  if (item.kind === "role") await closeOtherPlanCheckouts(stripe, customer);
  const session = await callStripe("start the checkout", () =>
    stripe.checkout.sessions.create(checkoutParams(user, item, price, customer, origin)),
  );
  if (!session.url) throw new AppError("upstream_error", "Stripe answered a checkout session without a URL");
  return { id: session.id, url: session.url };
}

async function packageForSale(db: Db, id: number) {
  const [row] = await db
    .select()
    .from(creditPackages)
    .where(and(eq(creditPackages.id, id), eq(creditPackages.active, true)));
  if (!row) throw notFound("Package");
  return row;
}

async function planForSale(db: Db, id: number, user: SessionUser) {
  const [role] = await db
    .select()
    .from(roles)
    .where(and(eq(roles.id, id), eq(roles.active, true)));
  if (!role || role.protected || role.isAdmin) throw notFound("Plan");
  if (role.priceUsd <= 0) throw fieldError("roleId", "This role is free: there is nothing to buy");
  if (user.isAdmin) throw new AppError("conflict", "Administrators cannot subscribe: a plan would replace the admin role");
  const [row] = await db.select({ subscription: users.stripeSubscriptionId }).from(users).where(eq(users.id, user.id));
  if (row?.subscription) throw new AppError("already_subscribed", ALREADY_SUBSCRIBED);
  return role;
}

const ALREADY_SUBSCRIBED = "You already have a plan: change or cancel it in the billing portal";

/**
 * One plan per customer, also where the database cannot see it yet: a subscription Stripe already
 * has (paid a moment ago, its webhook still on the way) refuses a new plan checkout, and a plan
 * checkout left open in another tab is expired, so nobody can pay for two plans at once.
 */
async function closeOtherPlanCheckouts(stripe: Stripe, customer: string) {
  const subscriptions = await callStripe("check the current plan", () =>
    stripe.subscriptions.list({ customer, status: "all", limit: 20 }),
  );
  if (subscriptions.data.some((s) => LIVE_STATUSES.has(s.status))) throw new AppError("already_subscribed", ALREADY_SUBSCRIBED);
  const open = await callStripe("check open checkouts", () =>
    stripe.checkout.sessions.list({ customer, status: "open", limit: 20 }),
  );
  for (const session of open.data.filter((s) => s.mode === "subscription")) {
    await callStripe("close the earlier checkout", () =>
      stripe.checkout.sessions.expire(session.id).catch((e: unknown) => {
        // Stripe refuses to expire a session paid in the meantime: then a plan is on its way.
        if (isInvalidRequest(e)) throw new AppError("already_subscribed", ALREADY_SUBSCRIBED);
        throw e;
      }),
    );
  }
}

function checkoutParams(
  user: SessionUser,
  item: ForSale,
  price: string,
  customer: string,
  origin: string,
): Stripe.Checkout.SessionCreateParams {
  const common = {
    customer,
    client_reference_id: String(user.id),
    line_items: [{ price, quantity: 1 }],
    success_url: `${origin}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${origin}/billing?checkout=cancelled`,
  };
  if (item.kind === "package") {
    const p = item.row;
    // What was bought travels with the payment, so a later edit of the package changes nothing.
    const metadata = { userId: String(user.id), packageId: String(p.id), creditType: p.creditType, credits: String(p.credits) };
    return { ...common, mode: "payment", metadata };
  }
  const metadata = { userId: String(user.id), roleId: String(item.row.id) };
  // The subscription carries them too: its invoices then say whose they are and for which plan.
  return { ...common, mode: "subscription", metadata, subscription_data: { metadata } };
}

/** One Stripe customer per user, created at the first checkout and reused ever after. */
async function ensureCustomer(db: Db, stripe: Stripe, user: SessionUser): Promise<string> {
  const stored = await customerOf(db, user.id);
  if (stored) return stored;
  // Two first checkouts at once get the same customer back from Stripe for the same key.
  const customer = await callStripe("create the customer", () =>
    stripe.customers.create(
      { email: user.email, name: user.username, metadata: { userId: String(user.id) } },
      { idempotencyKey: `novelapp-customer-${user.id}-${user.createdAt.getTime()}` },
    ),
  );
  await db
    .update(users)
    .set({ stripeCustomerId: customer.id })
    .where(and(eq(users.id, user.id), isNull(users.stripeCustomerId)));
  return (await customerOf(db, user.id)) ?? customer.id;
}

async function customerOf(db: Db, userId: number) {
  const [row] = await db.select({ customer: users.stripeCustomerId }).from(users).where(eq(users.id, userId));
  return row?.customer ?? null;
}

export async function openPortal(b: Billing, user: SessionUser, origin: string): Promise<{ url: string }> {
  const stripe = requirePayments(b);
  const customer = await customerOf(b.db, user.id);
  if (!customer) throw new AppError("no_billing_account", "Nothing to manage yet: buy a package or a plan first");
  const session = await callStripe("open the billing portal", () =>
    stripe.billingPortal.sessions.create({ customer, return_url: `${origin}/billing` }),
  );
  return { url: session.url };
}
