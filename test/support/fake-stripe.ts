// Control of the fake Stripe server (test/fakes/stripe-server.mjs) from inside workerd tests, and
// webhook deliveries signed the way Stripe signs them (the real SDK's async test-header helper).
import { exports } from "cloudflare:workers";
import Stripe from "stripe";
import { inject } from "vitest";
import { STRIPE_API_VERSION } from "../../src/domain/stripe";

/** STRIPE_WEBHOOK_SECRET in vitest.config.ts. */
export const WEBHOOK_SECRET = "whsec_test_novelapp";

async function control<T = any>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${inject("fakeStripeUrl")}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`fake Stripe ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

export type FakeRequest = { method: string; path: string; body: any; idempotencyKey: string | null; stripeVersion: string | null };

export const fakeStripe = {
  reset: () => control("POST", "/__control/reset"),
  requests: async (path?: string): Promise<FakeRequest[]> => {
    const all = (await control<{ requests: FakeRequest[] }>("GET", "/__control/requests")).requests;
    return path ? all.filter((r) => r.path === path) : all;
  },
  /** The next `times` API calls matching `match` ("POST /v1/prices") answer `status`. */
  fault: (f: { status?: number; match?: string; times?: number; message?: string }) => control("POST", "/__control/faults", f),
  object: (id: string) => control("GET", `/__control/objects/${id}`),
  /** The customer pays: the session completes (a subscription and its first invoice for plans). */
  completeCheckout: (sessionId: string, body: { paymentStatus?: string } = {}) =>
    control<{ session: any; subscription?: any; invoice?: any }>("POST", `/__control/checkout/${sessionId}/complete`, body),
  renew: (subscriptionId: string) => control<{ invoice: any }>("POST", `/__control/subscriptions/${subscriptionId}/renew`),
  changePrice: (subscriptionId: string, price: string) =>
    control<{ subscription: any }>("POST", `/__control/subscriptions/${subscriptionId}/price`, { price }),
  cancel: (subscriptionId: string) => control<{ subscription: any }>("POST", `/__control/subscriptions/${subscriptionId}/cancel`),
};

let seq = 0;

/** A Stripe event (snapshot payload) around an object, as Stripe sends it to a webhook endpoint. */
export function stripeEvent(type: string, object: unknown, id = `evt_test_${++seq}_${Math.random().toString(36).slice(2, 10)}`) {
  return {
    id,
    object: "event",
    api_version: STRIPE_API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** POSTs an event to /api/stripe/webhook with a valid signature (or the one given). */
export async function deliver(evt: object | string, opts: { secret?: string; signature?: string | null } = {}) {
  const payload = typeof evt === "string" ? evt : JSON.stringify(evt);
  const signature =
    opts.signature === undefined
      ? await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: opts.secret ?? WEBHOOK_SECRET })
      : opts.signature;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["stripe-signature"] = signature;
  const res = await exports.default.fetch("http://localhost/api/stripe/webhook", { method: "POST", headers, body: payload });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body };
}
