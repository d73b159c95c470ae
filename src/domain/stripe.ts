// The Stripe client, made for Workers (docs/ARCHITECTURE.md, "Platform facts"): fetch for HTTP, SubtleCrypto for webhook
// signatures, a pinned API version (the shapes the code reads never move under it), explicit
// retries, and STRIPE_API_BASE so tests and local runs can point it at a fake.
import Stripe from "stripe";
import type { Config } from "./config";
import { AppError } from "./errors";

type StripeConfig = Config["stripe"];

/** The API version stripe@23.1.0 is typed for. Webhook endpoints should use the same one (README). */
export const STRIPE_API_VERSION = "2026-10-28.endive" satisfies Stripe.LatestApiVersion;

export const PAYMENTS_OFF_MESSAGE =
  "Payments are turned off on this server: STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are not configured.";

/** Checkouts are only offered when their webhook can be verified, or credits would never arrive. */
export const paymentsEnabled = (c: StripeConfig) => !!(c.secretKey && c.webhookSecret);

/** US dollars to Stripe's integer cents: 19.99 → 1999 (19.99 × 100 is 1998.9999…). */
export const toCents = (usd: number) => Math.round(usd * 100);

/** A client for the secret key, or null when payments are not configured. */
export function createStripe(c: StripeConfig): Stripe | null {
  if (!c.secretKey) return null;
  return new Stripe(c.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    httpClient: Stripe.createFetchHttpClient(),
    // One retry (with Stripe's idempotency key) rides out a blip without holding a request long.
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
    ...apiOrigin(c.apiBase),
  });
}

/** STRIPE_API_BASE (e.g. http://127.0.0.1:12111) as the SDK's host, port and protocol. */
function apiOrigin(base: string | undefined): { host?: string; port?: number; protocol?: "http" | "https" } {
  if (!base) return {};
  const url = new URL(base);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: Number(url.port || (protocol === "http" ? 80 : 443)), protocol };
}

/** Verifies a webhook's signature over the raw body; a bad one is a 400 and nothing else happens. */
export async function verifyWebhook(c: StripeConfig, rawBody: string, signature: string | undefined) {
  if (!c.webhookSecret) throw new AppError("payments_disabled", PAYMENTS_OFF_MESSAGE);
  if (!signature) throw new AppError("invalid_signature", "Missing Stripe-Signature header");
  try {
    // The sync constructEvent cannot use SubtleCrypto; workerd needs the async variant.
    return await Stripe.webhooks.constructEventAsync(
      rawBody,
      signature,
      c.webhookSecret,
      undefined,
      Stripe.createSubtleCryptoProvider(),
    );
  } catch (e) {
    if (e instanceof Stripe.errors.StripeSignatureVerificationError)
      throw new AppError("invalid_signature", "Webhook signature verification failed");
    if (e instanceof SyntaxError) throw new AppError("bad_request", "The webhook payload is not valid JSON");
    throw e;
  }
}

/** Runs a Stripe call; Stripe's own failures become a 502 that says what could not be done. */
export async function callStripe<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof Stripe.errors.StripeError) {
      console.error(`Stripe: could not ${action}`, e.type, e.statusCode, e.message);
      throw new AppError("upstream_error", `Stripe could not ${action}: ${e.message}`);
    }
    throw e;
  }
}

/** Stripe turned the request down (400/404), as opposed to failing to answer it. */
export const isInvalidRequest = (e: unknown) => e instanceof Stripe.errors.StripeInvalidRequestError;

export type { Stripe };
