// POST /api/stripe/webhook: Stripe's events, verified by signature over the raw body (no session,
// no origin check, open during maintenance: see middleware/guards.ts). A 2xx tells Stripe to stop
// retrying; an error (500 or 502) makes it deliver again later, which is safe: events apply once.
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { billingFor } from "../../domain/billing/common";
import { handleStripeEvent } from "../../domain/billing/webhook";
import { verifyWebhook } from "../../domain/stripe";

export const stripeWebhookRoutes = new Hono<AppEnv>().post("/webhook", async (c) => {
  // The signature covers the exact bytes: read them before anything parses the body.
  const raw = await c.req.text();
  const billing = billingFor(c.var.deps);
  const evt = await verifyWebhook(billing.config, raw, c.req.header("stripe-signature"));
  const outcome = await handleStripeEvent(billing, evt);
  return c.json({ received: true, outcome });
});
