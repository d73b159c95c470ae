// Payments (SPEC §8): the catalog, Checkout and the billing portal, the Stripe webhook, and the
// admin side of credit packages and paid roles. Stripe holds the money; D1 holds credits and
// roles, which payments change only through verified webhook events, each applied exactly once:
//   - the event id goes into stripe_events by a plain INSERT in the same D1 batch (one
//     transaction) as the event's effects, so a replayed id fails the batch and writes nothing,
//     and a crash can never mark an event done without its effects;
//   - a grant's ledger row (reason, ref = checkout session or invoice id) and its revenue row
//     (ref) are unique as well, so two different events about the same payment also apply once.
import { and, asc, count, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { BillingCatalog, CheckoutSession, CreditPackage, Plan } from "../shared/api";
import { event, type ServerEvent } from "../shared/events";
import type { CheckoutInput, PackageInput, PackagePatchInput, RoleInput, RolePatchInput } from "../shared/schemas";
import { readConfig, type Config } from "./config";
import { runBatch } from "./db/batch";
import { getDb, type Db } from "./db/client";
import { creditLedger, creditPackages, notifications, revenue, roles, stripeEvents, users } from "./db/schema";
import { isConstraintError } from "./db/constraints";
import { AppError, fieldError, notFound } from "./errors";
import { audit } from "./admin";
import type { SessionUser } from "./accounts";
import { publish } from "./hub";
import { callStripe, createStripe, isInvalidRequest, PAYMENTS_OFF_MESSAGE, paymentsEnabled, toCents, type Stripe } from "./stripe";

type RoleRow = typeof roles.$inferSelect;
type PackageRow = typeof creditPackages.$inferSelect;
type CreditType = "text" | "image";

/** What billing needs: D1, the bindings (live events), the Stripe settings and a client if keyed. */
export type Billing = { db: Db; env: Env; config: Config["stripe"]; stripe: Stripe | null };

export function billingFor(env: Env): Billing {
  const config = readConfig(env).stripe;
  return { db: getDb(env), env, config, stripe: createStripe(config) };
}

function requirePayments(b: Billing): Stripe {
  if (!b.stripe || !paymentsEnabled(b.config)) throw new AppError("payments_disabled", PAYMENTS_OFF_MESSAGE);
  return b.stripe;
}

// ---------------------------------------------------------------- JSON shapes

const packageJson = (p: PackageRow): CreditPackage => ({
  id: p.id,
  name: p.name,
  creditType: p.creditType,
  credits: p.credits,
  priceUsd: p.priceUsd,
});
const planJson = (r: RoleRow): Plan => ({
  id: r.id,
  name: r.name,
  monthlyTextCredits: r.monthlyTextCredits,
  monthlyImageCredits: r.monthlyImageCredits,
  priceUsd: r.priceUsd,
});
const adminPackageJson = (p: PackageRow) => ({
  ...packageJson(p),
  active: p.active,
  stripePriceId: p.stripePriceId,
  createdAt: p.createdAt,
});
const adminRoleJson = (r: RoleRow) => ({
  ...planJson(r),
  isAdmin: r.isAdmin,
  protected: r.protected,
  active: r.active,
  stripePriceId: r.stripePriceId,
  createdAt: r.createdAt,
});

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

type ForSale = { kind: "package"; row: PackageRow } | { kind: "role"; row: RoleRow };

export async function startCheckout(b: Billing, user: SessionUser, input: CheckoutInput, origin: string): Promise<CheckoutSession> {
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
  const [row] = await db.select().from(creditPackages).where(and(eq(creditPackages.id, id), eq(creditPackages.active, true)));
  if (!row) throw notFound("Package");
  return row;
}

async function planForSale(db: Db, id: number, user: SessionUser) {
  const [role] = await db.select().from(roles).where(and(eq(roles.id, id), eq(roles.active, true)));
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
  const subscriptions = await callStripe("check the current plan", () => stripe.subscriptions.list({ customer, status: "all", limit: 20 }));
  if (subscriptions.data.some((s) => LIVE_STATUSES.has(s.status))) throw new AppError("already_subscribed", ALREADY_SUBSCRIBED);
  const open = await callStripe("check open checkouts", () => stripe.checkout.sessions.list({ customer, status: "open", limit: 20 }));
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

// ---------------------------------------------------------------- Stripe prices

type Priced = { kind: "package" | "role"; name: string; priceUsd: number };

async function createPrice(stripe: Stripe, item: Priced): Promise<string> {
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
async function archivePrice(stripe: Stripe | null, priceId: string | null) {
  if (!priceId) return;
  if (!stripe) return console.warn(`Stripe is not configured: price ${priceId} stays active in Stripe`);
  await callStripe("archive the old price", () => stripe.prices.update(priceId, { active: false }));
}

/** For clean-ups after the change itself succeeded: a leftover active price is harmless. */
const archiveQuietly = (stripe: Stripe | null, priceId: string | null) =>
  archivePrice(stripe, priceId).catch((e) => console.warn(`could not archive price ${priceId}`, e));

/** Items made while Stripe was off (or whose price was dropped) get their price at first sale. */
async function ensurePrice(db: Db, stripe: Stripe, item: ForSale): Promise<string> {
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
async function replacementPrice(b: Billing, item: Priced & { active: boolean }, current: string | null, changed: boolean) {
  if (!changed) return current;
  // Without Stripe, or for free and retired items, there is nothing to sell: priced at first sale.
  if (!b.stripe || !item.active || item.priceUsd <= 0) return null;
  return createPrice(b.stripe, item);
}

const samePrice = (column: typeof roles.stripePriceId | typeof creditPackages.stripePriceId, priceId: string | null) =>
  priceId === null ? isNull(column) : eq(column, priceId);

const changedMeanwhile = (what: string) => new AppError("conflict", `This ${what} was changed meanwhile: reload and try again`);

// ---------------------------------------------------------------- admin: credit packages

export async function listPackages(db: Db) {
  const rows = await db.select().from(creditPackages).orderBy(asc(creditPackages.id));
  return rows.map(adminPackageJson);
}

async function findPackage(db: Db, id: number) {
  const [row] = await db.select().from(creditPackages).where(eq(creditPackages.id, id));
  if (!row) throw notFound("Package");
  return row;
}

export async function createPackage(b: Billing, actor: SessionUser, input: PackageInput) {
  const priceId = b.stripe ? await createPrice(b.stripe, { kind: "package", ...input }) : null;
  const [row] = await b.db
    .insert(creditPackages)
    .values({ ...input, stripePriceId: priceId })
    .returning()
    .catch(async (e) => {
      await archiveQuietly(b.stripe, priceId);
      throw e;
    });
  await audit(b.db, actor, "package.create", `package:${row!.id}`, null, adminPackageJson(row!));
  return adminPackageJson(row!);
}

export async function updatePackage(b: Billing, actor: SessionUser, id: number, patch: PackagePatchInput) {
  const current = await findPackage(b.db, id);
  const next = { ...current, ...patch };
  const changed = next.priceUsd !== current.priceUsd || next.name !== current.name;
  const priceId = await replacementPrice(b, { kind: "package", ...next }, current.stripePriceId, changed);
  const [row] = await b.db
    .update(creditPackages)
    .set({ ...patch, stripePriceId: priceId })
    .where(and(eq(creditPackages.id, id), samePrice(creditPackages.stripePriceId, current.stripePriceId)))
    .returning();
  if (!row) {
    if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, priceId);
    throw changedMeanwhile("package");
  }
  if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, current.stripePriceId);
  await audit(b.db, actor, "package.update", `package:${id}`, adminPackageJson(current), patch);
  return adminPackageJson(row);
}

/** Deleted when nothing refers to it; retired (inactive, kept) once it was sold. */
export async function deletePackage(b: Billing, actor: SessionUser, id: number) {
  const current = await findPackage(b.db, id);
  await archivePrice(b.stripe, current.stripePriceId); // a Stripe failure leaves everything as it was
  const [sold] = await b.db.select({ n: count() }).from(revenue).where(eq(revenue.packageId, id));
  const keep = (sold?.n ?? 0) > 0;
  await b.db.batch([
    keep
      ? b.db.update(creditPackages).set({ active: false }).where(eq(creditPackages.id, id))
      : b.db.delete(creditPackages).where(eq(creditPackages.id, id)),
    audit(b.db, actor, keep ? "package.retire" : "package.delete", `package:${id}`, adminPackageJson(current), null),
  ]);
  return { ok: true, deleted: !keep };
}

// ---------------------------------------------------------------- admin: roles

export async function listRoles(db: Db) {
  const rows = await db.select().from(roles).orderBy(asc(roles.id));
  return rows.map(adminRoleJson);
}

async function findRole(db: Db, id: number) {
  const [row] = await db.select().from(roles).where(eq(roles.id, id));
  if (!row) throw notFound("Role");
  return row;
}

async function assertRoleNameFree(db: Db, name: string, except?: number) {
  const [taken] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(sql`lower(${roles.name}) = lower(${name})`);
  if (taken && taken.id !== except)
    throw new AppError("conflict", `A role named "${name}" already exists`, { fields: { name: "Already taken" } });
}

export async function createRole(b: Billing, actor: SessionUser, input: RoleInput) {
  await assertRoleNameFree(b.db, input.name);
  const priceId = b.stripe && input.priceUsd > 0 ? await createPrice(b.stripe, { kind: "role", ...input }) : null;
  const [row] = await b.db
    .insert(roles)
    .values({ ...input, stripePriceId: priceId })
    .returning()
    .catch(async (e) => {
      await archiveQuietly(b.stripe, priceId);
      if (isConstraintError(e, "UNIQUE")) throw new AppError("conflict", `A role named "${input.name}" already exists`);
      throw e;
    });
  await audit(b.db, actor, "role.create", `role:${row!.id}`, null, adminRoleJson(row!));
  return adminRoleJson(row!);
}

/** Built-in roles keep their name, stay free and keep their admin flag (SPEC §9). */
function assertRoleChangeAllowed(role: RoleRow, patch: RolePatchInput, actor: SessionUser) {
  if (role.protected) {
    if (patch.name !== undefined && patch.name !== role.name)
      throw new AppError("role_protected", `The built-in ${role.name} role cannot be renamed`);
    if (patch.priceUsd !== undefined && patch.priceUsd > 0)
      throw new AppError("role_protected", `The built-in ${role.name} role cannot become a paid plan`);
    if (patch.isAdmin !== undefined && patch.isAdmin !== role.isAdmin)
      throw new AppError("role_protected", `The built-in ${role.name} role's admin rights cannot change`);
  }
  if (patch.isAdmin === false && role.isAdmin && actor.roleId === role.id)
    throw new AppError("forbidden", "You cannot remove your own admin rights");
}

export async function updateRole(b: Billing, actor: SessionUser, id: number, patch: RolePatchInput) {
  const current = await findRole(b.db, id);
  assertRoleChangeAllowed(current, patch, actor);
  const next = { ...current, ...patch };
  if (next.isAdmin && next.priceUsd > 0) throw fieldError("isAdmin", "A paid role cannot grant admin rights");
  if (patch.name !== undefined && patch.name !== current.name) await assertRoleNameFree(b.db, patch.name, id);
  const changed = next.priceUsd !== current.priceUsd || (next.name !== current.name && next.priceUsd > 0);
  const priceId = await replacementPrice(b, { kind: "role", ...next }, current.stripePriceId, changed);
  const [row] = await b.db
    .update(roles)
    .set({ ...patch, stripePriceId: priceId })
    .where(and(eq(roles.id, id), samePrice(roles.stripePriceId, current.stripePriceId)))
    .returning()
    .catch(async (e) => {
      if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, priceId);
      if (isConstraintError(e, "UNIQUE")) throw new AppError("conflict", `A role named "${patch.name}" already exists`);
      throw e;
    });
  if (!row) {
    if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, priceId);
    throw changedMeanwhile("role");
  }
  // Subscribers stay on the old price until they change plan; their invoices still find the
  // role through the subscription's metadata.
  if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, current.stripePriceId);
  await audit(b.db, actor, "role.update", `role:${id}`, adminRoleJson(current), patch);
  return adminRoleJson(row);
}

/** Deleted when unused; retired (inactive, kept) while users hold it or revenue refers to it. */
export async function deleteRole(b: Billing, actor: SessionUser, id: number) {
  const current = await findRole(b.db, id);
  if (current.protected) throw new AppError("role_protected", `The built-in ${current.name} role cannot be deleted`);
  if (current.id === actor.roleId) throw new AppError("forbidden", "You cannot delete your own role");
  await archivePrice(b.stripe, current.stripePriceId); // a Stripe failure leaves everything as it was
  const [[holders], [sold]] = await b.db.batch([
    b.db.select({ n: count() }).from(users).where(eq(users.roleId, id)),
    b.db.select({ n: count() }).from(revenue).where(eq(revenue.roleId, id)),
  ]);
  let keep = (holders?.n ?? 0) + (sold?.n ?? 0) > 0;
  const retire = () => b.db.update(roles).set({ active: false }).where(eq(roles.id, id));
  if (keep) await retire();
  else
    await b.db.delete(roles).where(eq(roles.id, id)).catch(async (e) => {
      // Someone was given the role meanwhile: the foreign key keeps it, so retire it instead.
      if (!isConstraintError(e, "FOREIGN KEY")) throw e;
      keep = true;
      await retire();
    });
  await audit(b.db, actor, keep ? "role.retire" : "role.delete", `role:${id}`, adminRoleJson(current), null);
  return { ok: true, deleted: !keep };
}

// ---------------------------------------------------------------- webhook

export type WebhookOutcome = "processed" | "duplicate" | "ignored";

/** What an event changes: statements applied with its id in one batch, and what to tell the user. */
type Effect = {
  writes: BatchItem<"sqlite">[];
  userId: number | null;
  message: string | null;
  creditsChanged: boolean;
};

const LIVE_STATUSES = new Set(["active", "trialing", "past_due"]);
const ENDED_STATUSES = new Set(["canceled", "unpaid", "incomplete_expired", "paused"]);

export async function handleStripeEvent(b: Billing, evt: Stripe.Event): Promise<WebhookOutcome> {
  // Cheap early exit for replays; the batch below is what makes it exact under concurrency.
  const [seen] = await b.db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, evt.id));
  if (seen) return "duplicate";
  const effect = await effectOf(b, evt);
  if (!effect) {
    await recordEvent(b.db, evt).onConflictDoNothing();
    return "ignored";
  }
  const outcome = await applyOnce(b.db, evt, effect.writes);
  if (outcome === "processed" && effect.userId) await tellUser(b, effect.userId, effect);
  return outcome;
}

async function effectOf(b: Billing, evt: Stripe.Event): Promise<Effect | null> {
  switch (evt.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      return checkoutCompleted(b, evt.data.object);
    case "invoice.paid":
      return invoicePaid(b.db, evt.data.object);
    case "customer.subscription.updated":
      return subscriptionUpdated(b.db, evt.data.object);
    case "customer.subscription.deleted":
      return subscriptionEnded(b.db, evt.data.object);
    default:
      return null;
  }
}

const recordEvent = (db: Db, evt: Stripe.Event) =>
  db.insert(stripeEvents).values({ id: evt.id, type: evt.type, processedAt: new Date() });

async function applyOnce(db: Db, evt: Stripe.Event, writes: BatchItem<"sqlite">[]): Promise<"processed" | "duplicate"> {
  try {
    await runBatch(db, [recordEvent(db, evt), ...writes]);
    return "processed";
  } catch (e) {
    if (!isConstraintError(e, "UNIQUE")) throw e; // Stripe retries a 500 later; nothing was written
    // This event id was applied meanwhile, or another event already paid out this session or
    // invoice: the batch wrote nothing. Remember the id so its replays stop early.
    await recordEvent(db, evt).onConflictDoNothing();
    return "duplicate";
  }
}

async function tellUser(b: Billing, userId: number, effect: Effect) {
  const events: ServerEvent[] = [];
  if (effect.message) events.push(event("notification", { message: effect.message, level: "success" }));
  if (effect.creditsChanged) {
    const [credits] = await b.db
      .select({ text: users.textCredits, image: users.imageCredits })
      .from(users)
      .where(eq(users.id, userId));
    if (credits) events.push(event("credits_updated", credits));
  }
  await publish(b.env, userId, ...events);
}

// -------- checkout.session.completed

async function checkoutCompleted(b: Billing, session: Stripe.Checkout.Session): Promise<Effect | null> {
  const userId = await existingUser(b.db, session.metadata?.userId ?? session.client_reference_id);
  if (session.mode === "payment") return packagePurchased(b.db, session, userId);
  if (session.mode === "subscription") return subscriptionStarted(b, session, userId);
  return null;
}

async function packagePurchased(db: Db, session: Stripe.Checkout.Session, userId: number | null): Promise<Effect | null> {
  // Delayed payment methods complete the session unpaid; async_payment_succeeded follows.
  if (session.payment_status !== "paid" && session.payment_status !== "no_payment_required") return null;
  const bought = await purchasedPackage(db, session.metadata ?? {});
  if (!bought) {
    console.warn(`checkout ${session.id}: no package in its metadata`);
    return null;
  }
  const writes: BatchItem<"sqlite">[] = [
    db.insert(revenue).values({
      userId,
      kind: "package",
      ref: session.id,
      amountCents: session.amount_total ?? 0,
      currency: session.currency ?? "usd",
      packageId: bought.packageId,
    }),
  ];
  if (!userId) return { writes, userId, message: null, creditsChanged: false };
  const message = `Thank you! ${bought.credits.toLocaleString("en-US")} ${bought.creditType} credits were added to your account.`;
  writes.push(
    ...grant(db, userId, bought.creditType, bought.credits, "purchase", session.id),
    ...linkCustomer(db, userId, idOf(session.customer)),
    notify(db, userId, message),
  );
  return { writes, userId, message, creditsChanged: true };
}

/** The package as it was sold (checkout metadata), else as it is now. */
async function purchasedPackage(
  db: Db,
  metadata: Stripe.Metadata,
): Promise<{ packageId: number; credits: number; creditType: CreditType } | null> {
  const packageId = positiveInt(metadata.packageId);
  const credits = positiveInt(metadata.credits);
  const creditType = metadata.creditType;
  if (packageId && credits && (creditType === "text" || creditType === "image")) return { packageId, credits, creditType };
  if (!packageId) return null;
  const [row] = await db.select().from(creditPackages).where(eq(creditPackages.id, packageId));
  return row ? { packageId, credits: row.credits, creditType: row.creditType } : null;
}

async function subscriptionStarted(b: Billing, session: Stripe.Checkout.Session, userId: number | null): Promise<Effect | null> {
  const subscriptionId = idOf(session.subscription);
  if (!userId || !subscriptionId) return null;
  // Read the subscription as it is now: a plan change or a cancellation may have overtaken this event.
  const stripe = requirePayments(b);
  const sub = await callStripe("read the subscription", () => stripe.subscriptions.retrieve(subscriptionId));
  if (!LIVE_STATUSES.has(sub.status)) return null;
  const role = (await roleForPrices(b.db, subscriptionPrices(sub))) ?? (await anyRole(b.db, session.metadata?.roleId));
  const customer = idOf(session.customer);
  const message = role ? `Welcome to the ${role.name} plan!` : null;
  const writes: BatchItem<"sqlite">[] = [
    b.db
      .update(users)
      .set({ stripeSubscriptionId: sub.id, ...(customer ? { stripeCustomerId: customer } : {}) })
      .where(eq(users.id, userId)),
  ];
  if (role) writes.push(setRole(b.db, userId, role.id), notify(b.db, userId, message!));
  return { writes, userId, message, creditsChanged: false };
}

// -------- invoice.paid

const PERIOD_OPENING: ReadonlySet<string> = new Set(["subscription_create", "subscription_cycle"]);

async function invoicePaid(db: Db, invoice: Stripe.Invoice): Promise<Effect | null> {
  const subscriptionId = invoiceSubscription(invoice);
  if (!invoice.id || !subscriptionId) return null; // one-off invoices are not ours
  const meta = invoice.parent?.subscription_details?.metadata ?? {};
  const userId = await subscriber(db, idOf(invoice.customer), subscriptionId, meta.userId);
  if (!userId) {
    console.warn(`invoice ${invoice.id}: no user for customer ${idOf(invoice.customer)}`);
    return null;
  }
  const role = (await roleForPrices(db, invoicePrices(invoice))) ?? (await anyRole(db, meta.roleId));
  const writes: BatchItem<"sqlite">[] = [
    db.insert(revenue).values({
      userId,
      kind: "subscription",
      ref: invoice.id,
      amountCents: invoice.amount_paid,
      currency: invoice.currency,
      roleId: role?.id ?? null,
    }),
  ];
  // A month's credits come with the invoice that opens a billing period. Others on the same
  // subscription (prorations on a plan change, $0 adjustments) are revenue only.
  if (!role || !PERIOD_OPENING.has(invoice.billing_reason ?? "")) return { writes, userId, message: null, creditsChanged: false };
  const message = `Your ${role.name} plan renewed: ${role.monthlyTextCredits.toLocaleString("en-US")} text and ${role.monthlyImageCredits.toLocaleString("en-US")} image credits were added.`;
  writes.push(
    ...grant(db, userId, "text", role.monthlyTextCredits, "subscription", invoice.id),
    ...grant(db, userId, "image", role.monthlyImageCredits, "subscription", invoice.id),
    notify(db, userId, message),
  );
  return { writes, userId, message, creditsChanged: true };
}

/** The invoice's owner: by Stripe customer, else by subscription, else by the subscription's metadata. */
async function subscriber(db: Db, customer: string | null, subscriptionId: string, metaUserId: string | undefined) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(or(customer ? eq(users.stripeCustomerId, customer) : undefined, eq(users.stripeSubscriptionId, subscriptionId)))
    .limit(1);
  return row?.id ?? existingUser(db, metaUserId);
}

// -------- customer.subscription.updated / deleted

async function subscriptionUpdated(db: Db, sub: Stripe.Subscription): Promise<Effect | null> {
  if (ENDED_STATUSES.has(sub.status)) return subscriptionEnded(db, sub);
  if (!LIVE_STATUSES.has(sub.status)) return null;
  // Not linked yet: checkout.session.completed will read the subscription as it is then.
  const [user] = await db.select({ id: users.id, roleId: users.roleId }).from(users).where(eq(users.stripeSubscriptionId, sub.id));
  const role = user ? await roleForPrices(db, subscriptionPrices(sub)) : null;
  if (!user || !role || role.id === user.roleId) return null;
  const message = `Your plan is now ${role.name}.`;
  return {
    writes: [setRole(db, user.id, role.id, sub.id), notify(db, user.id, message)],
    userId: user.id,
    message,
    creditsChanged: false,
  };
}

/** Back to the free `user` role; credits already granted stay (SPEC §8, §17). */
async function subscriptionEnded(db: Db, sub: Stripe.Subscription): Promise<Effect | null> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.stripeSubscriptionId, sub.id));
  if (!user) return null;
  const message = "Your plan has ended. You keep the credits you already have.";
  return {
    writes: [
      setRole(db, user.id, sql`(SELECT id FROM roles WHERE name = 'user')`, sub.id),
      db.update(users).set({ stripeSubscriptionId: null }).where(and(eq(users.id, user.id), eq(users.stripeSubscriptionId, sub.id))),
      notify(db, user.id, message),
    ],
    userId: user.id,
    message,
    creditsChanged: false,
  };
}

// -------- shared pieces of effects

/** A balance change and its ledger row, always together: the ledger sums to the balance. */
function grant(db: Db, userId: number, type: CreditType, amount: number, reason: "purchase" | "subscription", ref: string) {
  if (amount <= 0) return [];
  const column = type === "text" ? users.textCredits : users.imageCredits;
  return [
    db
      .update(users)
      .set({ [type === "text" ? "textCredits" : "imageCredits"]: sql`${column} + ${amount}` })
      .where(eq(users.id, userId)),
    // Unique on (reason, ref, credit_type): a second grant for this session or invoice fails the batch.
    db.insert(creditLedger).values({ userId, creditType: type, delta: amount, reason, ref }),
  ];
}

/** Webhooks never change an admin's role: a plan must not take admin rights away. */
function setRole(db: Db, userId: number, roleId: number | SQL, onlyForSubscription?: string) {
  return db
    .update(users)
    .set({ roleId })
    .where(
      and(
        eq(users.id, userId),
        sql`${users.roleId} NOT IN (SELECT id FROM roles WHERE is_admin = 1)`,
        onlyForSubscription ? eq(users.stripeSubscriptionId, onlyForSubscription) : undefined,
      ),
    );
}

function linkCustomer(db: Db, userId: number, customer: string | null) {
  if (!customer) return [];
  return [db.update(users).set({ stripeCustomerId: customer }).where(and(eq(users.id, userId), isNull(users.stripeCustomerId)))];
}

const notify = (db: Db, userId: number, message: string) =>
  db.insert(notifications).values({ userId, message, level: "success", link: "/billing" });

async function existingUser(db: Db, raw: string | null | undefined) {
  const id = positiveInt(raw);
  if (!id) return null;
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
  return row?.id ?? null;
}

async function roleForPrices(db: Db, priceIds: string[]) {
  if (!priceIds.length) return null;
  const [row] = await db.select().from(roles).where(inArray(roles.stripePriceId, priceIds)).limit(1);
  return row ?? null;
}

/** A role named in metadata; retired roles still count for what was already paid. */
async function anyRole(db: Db, raw: string | undefined) {
  const id = positiveInt(raw);
  if (!id) return null;
  const [row] = await db.select().from(roles).where(eq(roles.id, id));
  return row && !row.isAdmin ? row : null;
}

const subscriptionPrices = (sub: Stripe.Subscription) => sub.items.data.map((item) => item.price.id);

/** Price ids of the invoice's lines (current API: pricing.price_details; older: price). */
function invoicePrices(invoice: Stripe.Invoice): string[] {
  return (invoice.lines?.data ?? []).flatMap((line) => {
    const legacy = (line as unknown as { price?: { id?: string } }).price?.id;
    const id = idOf(line.pricing?.price_details?.price ?? null) ?? legacy;
    return id ? [id] : [];
  });
}

/** The invoice's subscription (current API: parent.subscription_details; older: subscription). */
function invoiceSubscription(invoice: Stripe.Invoice): string | null {
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription ?? null;
  return idOf(invoice.parent?.subscription_details?.subscription ?? legacy);
}

/** Stripe fields hold either an id or the expanded object. */
const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === "string" ? v : (v?.id ?? null));

function positiveInt(raw: string | null | undefined): number | null {
  const n = Number(raw);
  return raw && Number.isSafeInteger(n) && n > 0 ? n : null;
}

