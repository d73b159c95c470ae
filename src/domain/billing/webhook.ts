// The Stripe webhook. Stripe holds the money; D1 holds credits and roles, which payments change only through verified events, each applied exactly once: the event id goes into stripe_events in the same D1 batch as the event's effects (a replayed id fails the batch and writes nothing), and a grant's ledger row (reason, ref = checkout session or invoice id) and its revenue row (ref) are unique too, so two events about one payment apply once.
import type { WebhookReceipt } from "../../shared/api";
import { and, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { event, type ServerEvent } from "../../shared/events";
import { runBatch } from "../db/batch";
import { type Db } from "../db/client";
import { creditLedger, creditPackages, notifications, revenue, roles, stripeEvents, users } from "../db/schema";
import { isConstraintError } from "../db/constraints";
import { publish } from "../hub";
import { callStripe, type Stripe } from "../stripe";
import { Billing, CreditType, idOf, positiveInt, requirePayments } from "./common";

// ---------------------------------------------------------------- webhook

type WebhookOutcome = WebhookReceipt["outcome"];

/** What an event changes: statements applied with its id in one batch, and what to tell the user. */
type Effect = {
  writes: BatchItem<"sqlite">[];
  userId: number | null;
  message: string | null;
  creditsChanged: boolean;
};

export const LIVE_STATUSES = new Set(["active", "trialing", "past_due"]);
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

export async function invoicePaid(db: Db, invoice: Stripe.Invoice): Promise<Effect | null> {
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
  const [user] = await db
    .select({ id: users.id, roleId: users.roleId })
    .from(users)
    .where(eq(users.stripeSubscriptionId, sub.id));
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

/** Back to the free `user` role; credits already granted stay. */
async function subscriptionEnded(db: Db, sub: Stripe.Subscription): Promise<Effect | null> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.stripeSubscriptionId, sub.id));
  if (!user) return null;
  const message = "Your plan has ended. You keep the credits you already have.";
  return {
    writes: [
      setRole(db, user.id, sql`(SELECT id FROM roles WHERE name = 'user')`, sub.id),
      db
        .update(users)
        .set({ stripeSubscriptionId: null })
        .where(and(eq(users.id, user.id), eq(users.stripeSubscriptionId, sub.id))),
      notify(db, user.id, message),
    ],
    userId: user.id,
    message,
    creditsChanged: false,
  };
}

// -------- shared pieces of effects

/** A balance change and its ledger row, always together: the ledger sums to the balance. */
export function grant(
  db: Db,
  userId: number,
  type: CreditType,
  amount: number,
  reason: "purchase" | "subscription",
  ref: string,
) {
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
  return [
    db
      .update(users)
      .set({ stripeCustomerId: customer })
      .where(and(eq(users.id, userId), isNull(users.stripeCustomerId))),
  ];
}

export const notify = (db: Db, userId: number, message: string) =>
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
