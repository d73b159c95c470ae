// Payments off: without Stripe keys the catalog says so, checkout and portal answer
// 503, the webhook refuses, and admins still manage packages and plans (priced at first sale
// once keys are configured). The same app runs with the Stripe bindings blanked out.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/worker/app";
import { admin, newUser, type Client } from "../support/client";
import { fakeStripe } from "../support/fake-stripe";

const app = createApp();
const NO_KEYS = { STRIPE_SECRET_KEY: "", STRIPE_WEBHOOK_SECRET: "", STRIPE_PUBLISHABLE_KEY: "" };

/** A request as `c` would send it, to the app running with other bindings. */
async function call(c: Client | null, method: string, path: string, body?: unknown, bindings: Record<string, string> = NO_KEYS) {
  const headers: Record<string, string> = {};
  if (c?.cookie) headers.cookie = c.cookie;
  // As a browser sends it: the CSRF check refuses a cookie on a write without Origin.
  if (method !== "GET") headers.origin = "http://localhost";
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(
    `http://localhost${path}`,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
    { ...env, ...bindings },
  );
  return { status: res.status, body: (await res.json()) as any };
}

let a: Client;
let u: Client;
beforeAll(async () => {
  a = await admin();
  u = await newUser();
});

describe("payments off", () => {
  it("the catalog says payments are off, and still lists what would be for sale", async () => {
    const pkg = await call(a, "POST", "/api/admin/packages", { name: "Offline pack", creditType: "text", credits: 100, priceUsd: 2 });
    expect(pkg.status).toBe(201);
    const res = await call(u, "GET", "/api/billing/catalog");
    expect(res.status).toBe(200);
    expect(res.body.enabled).toBe(false);
    expect(res.body.publishableKey).toBeNull();
    expect(res.body.message).toMatch(/Payments are turned off.*STRIPE_SECRET_KEY/);
    expect(res.body.packages.map((p: any) => p.id)).toContain(pkg.body.package.id);
  });

  it("is off without a webhook secret too: credits could never arrive", async () => {
    const res = await call(u, "GET", "/api/billing/catalog", undefined, { STRIPE_WEBHOOK_SECRET: "" });
    expect(res.body.enabled).toBe(false);
  });

  it("checkout and portal answer 503 payments_disabled with a clear message", async () => {
    const checkout = await call(u, "POST", "/api/billing/checkout", { packageId: 1 });
    expect(checkout.status).toBe(503);
    expect(checkout.body.error.code).toBe("payments_disabled");
    expect(checkout.body.error.message).toMatch(/Payments are turned off/);
    const portal = await call(u, "POST", "/api/billing/portal");
    expect(portal.status).toBe(503);
    expect(portal.body.error.code).toBe("payments_disabled");
    // Bad input is still a 400 first, and anonymous callers a 401.
    expect((await call(u, "POST", "/api/billing/checkout", {})).status).toBe(400);
    expect((await call(null, "POST", "/api/billing/checkout", { packageId: 1 })).status).toBe(401);
  });

  it("the webhook refuses events it cannot verify", async () => {
    const res = await call(null, "POST", "/api/stripe/webhook", { id: "evt_1", type: "invoice.paid" });
    expect(res.status).toBe(503);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM stripe_events").first("n")).toBe(0);
  });

  it("admins manage packages and plans without Stripe prices, which are made at the first sale", async () => {
    const calls = (await fakeStripe.requests()).length;
    const plan = await call(a, "POST", "/api/admin/roles", { name: "Offline plan", monthlyTextCredits: 100, priceUsd: 3 });
    expect(plan.status).toBe(201);
    expect(plan.body.role.stripePriceId).toBeNull();
    const pkg = await call(a, "POST", "/api/admin/packages", { name: "Later pack", creditType: "image", credits: 10, priceUsd: 1.5 });
    expect(pkg.body.package.stripePriceId).toBeNull();
    const patched = await call(a, "PATCH", `/api/admin/packages/${pkg.body.package.id}`, { priceUsd: 2.25 });
    expect(patched.body.package).toMatchObject({ priceUsd: 2.25, stripePriceId: null });
    const gone = await call(a, "POST", "/api/admin/packages", { name: "Gone", creditType: "text", credits: 1, priceUsd: 1 });
    expect((await call(a, "DELETE", `/api/admin/packages/${gone.body.package.id}`)).body).toMatchObject({ deleted: true });
    const protectedUser = (await call(a, "GET", "/api/admin/roles")).body.roles.find((r: any) => r.name === "user");
    expect((await call(a, "PATCH", `/api/admin/roles/${protectedUser.id}`, { priceUsd: 5 })).status).toBe(409);
    expect((await fakeStripe.requests()).length).toBe(calls); // Stripe was never called

    // Keys configured (the normal test bindings): the first checkout prices the package, 225 cents.
    const res = await u.post("/api/billing/checkout", { packageId: pkg.body.package.id });
    expect(res.status).toBe(200);
    const priced = (await a.get("/api/admin/packages")).body.packages.find((p: any) => p.id === pkg.body.package.id);
    expect(priced.stripePriceId).toMatch(/^price_/);
    expect(await fakeStripe.object(priced.stripePriceId)).toMatchObject({ unit_amount: 225, active: true });
  });
});
