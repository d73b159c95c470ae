// Payments end to end: admin packages and plans with their Stripe prices, checkout and
// portal through the real SDK against the fake Stripe, and webhook events signed like Stripe's.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ServerEvent } from "../../src/shared/events";
import { toCents, STRIPE_API_VERSION } from "../../src/domain/stripe";
import { admin, anonymous, newUser, type Client } from "../support/client";
import { deliver, fakeStripe, stripeEvent } from "../support/fake-stripe";

let a: Client;
beforeAll(async () => {
  a = await admin();
});

const uniq = () => Math.random().toString(36).slice(2, 8);

async function createPackage(over: Record<string, unknown> = {}) {
  const res = await a.post("/api/admin/packages", { name: `Pack ${uniq()}`, creditType: "text", credits: 1000, priceUsd: 4.99, ...over });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.package;
}

async function createPlan(over: Record<string, unknown> = {}) {
  const res = await a.post("/api/admin/roles", {
    name: `Pro ${uniq()}`,
    monthlyTextCredits: 5000,
    monthlyImageCredits: 40,
    priceUsd: 9.99,
    ...over,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.role;
}

async function checkout(u: Client, body: Record<string, unknown>): Promise<{ id: string; url: string }> {
  const res = await u.post("/api/billing/checkout", body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const me = async (u: Client) => (await u.get("/api/me")).body.user;

const userRow = (id: number) =>
  env.DB.prepare("SELECT role_id, stripe_customer_id, stripe_subscription_id, text_credits, image_credits FROM users WHERE id = ?")
    .bind(id)
    .first<{ role_id: number; stripe_customer_id: string | null; stripe_subscription_id: string | null; text_credits: number; image_credits: number }>();

const rows = async <T = any>(sql: string, ...args: unknown[]) => (await env.DB.prepare(sql).bind(...args).all<T>()).results;

/** The ledger invariant: every user's ledger sums to their balance. */
async function expectLedgerMatchesBalances() {
  const off = await rows(`
    SELECT u.id, u.text_credits, u.image_credits,
      (SELECT coalesce(sum(delta), 0) FROM credit_ledger l WHERE l.user_id = u.id AND credit_type = 'text') AS lt,
      (SELECT coalesce(sum(delta), 0) FROM credit_ledger l WHERE l.user_id = u.id AND credit_type = 'image') AS li
    FROM users u WHERE u.text_credits <> lt OR u.image_credits <> li`);
  expect(off).toEqual([]);
}

/** Buys a package: checkout, the customer pays, and Stripe's event comes back. */
async function buyPackage(u: Client, packageId: number) {
  const session = await checkout(u, { packageId });
  const { session: paid } = await fakeStripe.completeCheckout(session.id);
  return { session: paid, event: stripeEvent("checkout.session.completed", paid) };
}

/** Starts a plan: checkout and payment; returns the objects Stripe's events would carry. */
async function subscribe(u: Client, roleId: number) {
  const session = await checkout(u, { roleId });
  const paid = await fakeStripe.completeCheckout(session.id);
  return {
    ...paid,
    completed: stripeEvent("checkout.session.completed", paid.session),
    invoicePaid: stripeEvent("invoice.paid", paid.invoice),
  };
}

// ---------------------------------------------------------------- the Stripe client

describe("Stripe client", () => {
  it("turns dollars into whole cents: $19.99 → 1999", async () => {
    expect(toCents(19.99)).toBe(1999);
    expect(toCents(0.5)).toBe(50);
    expect(toCents(4.35)).toBe(435); // 4.35 × 100 = 434.99999…
    const pkg = await createPackage({ priceUsd: 19.99 });
    const [req] = (await fakeStripe.requests("/v1/prices")).filter((r) => r.body.product_data?.name === pkg.name);
    expect(req!.body).toMatchObject({ currency: "usd", unit_amount: "1999", product_data: { name: pkg.name } });
    expect(req!.body.recurring).toBeUndefined();
    expect(req!.stripeVersion).toBe(STRIPE_API_VERSION);
    expect(await fakeStripe.object(pkg.stripePriceId)).toMatchObject({ unit_amount: 1999, active: true, type: "one_time" });
  });

  it("prices a plan as a monthly subscription", async () => {
    const plan = await createPlan({ priceUsd: 19.99 });
    expect(await fakeStripe.object(plan.stripePriceId)).toMatchObject({
      unit_amount: 1999,
      currency: "usd",
      type: "recurring",
      recurring: { interval: "month" },
    });
  });
});

// ---------------------------------------------------------------- admin: packages

describe("admin packages", () => {
  it("creates, lists, reprices (archiving the old price), edits and deletes", async () => {
    const pkg = await createPackage({ name: "Starter", credits: 1200, priceUsd: 5 });
    expect(pkg).toMatchObject({ name: "Starter", creditType: "text", credits: 1200, priceUsd: 5, active: true });
    expect(pkg.stripePriceId).toMatch(/^price_/);
    expect((await a.get("/api/admin/packages")).body.packages).toContainEqual(expect.objectContaining({ id: pkg.id, name: "Starter" }));

    const repriced = await a.patch(`/api/admin/packages/${pkg.id}`, { priceUsd: 6.5 });
    expect(repriced.status).toBe(200);
    expect(repriced.body.package.priceUsd).toBe(6.5);
    expect(repriced.body.package.stripePriceId).not.toBe(pkg.stripePriceId);
    expect(await fakeStripe.object(repriced.body.package.stripePriceId)).toMatchObject({ unit_amount: 650, active: true });
    expect(await fakeStripe.object(pkg.stripePriceId)).toMatchObject({ active: false });

    // Credits are ours, not Stripe's: the price stays.
    const pricesBefore = (await fakeStripe.requests("/v1/prices")).length;
    const more = await a.patch(`/api/admin/packages/${pkg.id}`, { credits: 1500 });
    expect(more.body.package).toMatchObject({ credits: 1500, stripePriceId: repriced.body.package.stripePriceId });
    expect((await fakeStripe.requests("/v1/prices")).length).toBe(pricesBefore);

    const del = await a.del(`/api/admin/packages/${pkg.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ ok: true, deleted: true });
    expect(await fakeStripe.object(repriced.body.package.stripePriceId)).toMatchObject({ active: false });
    expect((await a.get("/api/admin/packages")).body.packages.map((p: any) => p.id)).not.toContain(pkg.id);
  });

  it("answers 404 for unknown ids", async () => {
    expect((await a.patch("/api/admin/packages/999999", { credits: 5 })).status).toBe(404);
    expect((await a.del("/api/admin/packages/999999")).status).toBe(404);
  });

  it.each([
    ["missing everything", {}, ["name", "creditType", "credits", "priceUsd"]],
    ["wrong types", { name: 7, creditType: "text", credits: "1000", priceUsd: "4.99" }, ["name", "credits", "priceUsd"]],
    ["an unknown credit type", { name: "A", creditType: "gold", credits: 10, priceUsd: 1 }, ["creditType"]],
    ["a free package", { name: "A", creditType: "text", credits: 10, priceUsd: 0 }, ["priceUsd"]],
    ["a negative price", { name: "A", creditType: "text", credits: 10, priceUsd: -5 }, ["priceUsd"]],
    ["fractions of a cent", { name: "A", creditType: "text", credits: 10, priceUsd: 4.999 }, ["priceUsd"]],
    ["an absurd price", { name: "A", creditType: "text", credits: 10, priceUsd: 1e7 }, ["priceUsd"]],
    ["fractional credits", { name: "A", creditType: "text", credits: 1.5, priceUsd: 1 }, ["credits"]],
    ["zero credits", { name: "A", creditType: "text", credits: 0, priceUsd: 1 }, ["credits"]],
    ["an oversized name", { name: "x".repeat(81), creditType: "text", credits: 10, priceUsd: 1 }, ["name"]],
    ["a hostile unknown field", { name: "A", creditType: "text", credits: 10, priceUsd: 1, stripePriceId: "price_evil" }, ["stripePriceId"]],
  ])("rejects %s with 400 per field and creates nothing", async (_, body, fields) => {
    const before = (await a.get("/api/admin/packages")).body.packages.length;
    const prices = (await fakeStripe.requests("/v1/prices")).length;
    const res = await a.post("/api/admin/packages", body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    for (const f of fields) expect(res.body.error.fields[f], f).toBeTruthy();
    expect((await a.get("/api/admin/packages")).body.packages.length).toBe(before);
    expect((await fakeStripe.requests("/v1/prices")).length).toBe(prices);
  });

  it("rejects an infinite price, an empty patch and a bad id", async () => {
    const inf = await a.post("/api/admin/packages", '{"name":"A","creditType":"text","credits":1,"priceUsd":1e400}');
    expect(inf.status).toBe(400);
    expect(inf.body.error.fields.priceUsd).toBeTruthy();
    const pkg = await createPackage();
    expect((await a.patch(`/api/admin/packages/${pkg.id}`, {})).status).toBe(400);
    const bad = await a.patch("/api/admin/packages/abc", { credits: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.id).toBeTruthy();
  });

  it("is for admins only", async () => {
    const u = await newUser();
    const anon = anonymous();
    for (const [c, status] of [[u, 403], [anon, 401]] as const) {
      expect((await c.get("/api/admin/packages")).status).toBe(status);
      expect((await c.post("/api/admin/packages", { name: "A", creditType: "text", credits: 10, priceUsd: 1 })).status).toBe(status);
      expect((await c.patch("/api/admin/packages/1", { credits: 5 })).status).toBe(status);
      expect((await c.del("/api/admin/packages/1")).status).toBe(status);
      expect((await c.get("/api/admin/roles")).status).toBe(status);
      expect((await c.post("/api/admin/roles", { name: "Evil" })).status).toBe(status);
      expect((await c.patch("/api/admin/roles/1", { isAdmin: false })).status).toBe(status);
      expect((await c.del("/api/admin/roles/2")).status).toBe(status);
    }
  });

  it("answers 502 and keeps nothing when Stripe is down", async () => {
    const before = (await a.get("/api/admin/packages")).body.packages.length;
    await fakeStripe.fault({ status: 500, match: "POST /v1/prices", times: 2 }); // the SDK retries once
    const res = await a.post("/api/admin/packages", { name: "Outage", creditType: "text", credits: 10, priceUsd: 1 });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("upstream_error");
    expect((await a.get("/api/admin/packages")).body.packages.length).toBe(before);
  });
});

// ---------------------------------------------------------------- admin: roles

describe("admin roles", () => {
  it("creates paid and free roles; a free one has no Stripe price", async () => {
    const paid = await createPlan({ name: "Writer", monthlyTextCredits: 3000, priceUsd: 7 });
    expect(paid).toMatchObject({ name: "Writer", monthlyTextCredits: 3000, priceUsd: 7, isAdmin: false, protected: false, active: true });
    expect(paid.stripePriceId).toMatch(/^price_/);
    const free = await createPlan({ name: "Editors", priceUsd: 0, monthlyTextCredits: 0, monthlyImageCredits: 0 });
    expect(free.stripePriceId).toBeNull();
    const list = (await a.get("/api/admin/roles")).body.roles;
    expect(list.map((r: any) => r.name)).toEqual(expect.arrayContaining(["admin", "user", "Writer", "Editors"]));
  });

  it("refuses a taken name in any case with 409", async () => {
    const res = await a.post("/api/admin/roles", { name: "USER" });
    expect(res.status).toBe(409);
    expect(res.body.error.fields.name).toBeTruthy();
  });

  it("never changes built-in roles into paid ones, renames or deletes them", async () => {
    const roles = (await a.get("/api/admin/roles")).body.roles;
    const user = roles.find((r: any) => r.name === "user");
    const adminRole = roles.find((r: any) => r.name === "admin");
    for (const [id, body] of [
      [user.id, { name: "member" }],
      [user.id, { priceUsd: 5 }],
      [adminRole.id, { name: "root" }],
      [adminRole.id, { isAdmin: false }],
      [user.id, { isAdmin: true }],
    ] as const) {
      const res = await a.patch(`/api/admin/roles/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe("role_protected");
    }
    for (const r of [user, adminRole]) {
      const res = await a.del(`/api/admin/roles/${r.id}`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("role_protected");
    }
    // Their monthly grants may still be tuned.
    const ok = await a.patch(`/api/admin/roles/${user.id}`, { monthlyTextCredits: 0, priceUsd: 0 });
    expect(ok.status).toBe(200);
    expect((await a.get("/api/admin/roles")).body.roles.filter((r: any) => r.protected).map((r: any) => [r.name, r.priceUsd, r.isAdmin])).toEqual([
      ["admin", 0, true],
      ["user", 0, false],
    ]);
  });

  it("never sells admin rights", async () => {
    const res = await a.post("/api/admin/roles", { name: "Paid admins", isAdmin: true, priceUsd: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.isAdmin).toBeTruthy();
    const plan = await createPlan();
    const patch = await a.patch(`/api/admin/roles/${plan.id}`, { isAdmin: true });
    expect(patch.status).toBe(400);
    expect(patch.body.error.fields.isAdmin).toBeTruthy();
  });

  it("reprices a plan with a new monthly price and archives the old one", async () => {
    const plan = await createPlan({ priceUsd: 10 });
    const res = await a.patch(`/api/admin/roles/${plan.id}`, { priceUsd: 12.5, monthlyImageCredits: 60 });
    expect(res.status).toBe(200);
    expect(res.body.role).toMatchObject({ priceUsd: 12.5, monthlyImageCredits: 60 });
    expect(await fakeStripe.object(res.body.role.stripePriceId)).toMatchObject({ unit_amount: 1250, recurring: { interval: "month" } });
    expect(await fakeStripe.object(plan.stripePriceId)).toMatchObject({ active: false });
    const credits = await a.patch(`/api/admin/roles/${plan.id}`, { monthlyTextCredits: 1 });
    expect(credits.body.role.stripePriceId).toBe(res.body.role.stripePriceId);
  });

  it("deletes an unused role and archives its price", async () => {
    const plan = await createPlan();
    const res = await a.del(`/api/admin/roles/${plan.id}`);
    expect(res.body).toMatchObject({ ok: true, deleted: true });
    expect(await fakeStripe.object(plan.stripePriceId)).toMatchObject({ active: false });
    expect((await a.get("/api/admin/roles")).body.roles.map((r: any) => r.id)).not.toContain(plan.id);
  });

  it.each([
    ["missing name", {}, ["name"]],
    ["a one-letter name", { name: "x" }, ["name"]],
    ["an oversized name", { name: "x".repeat(41) }, ["name"]],
    ["a hostile name", { name: "<img onerror=x>" }, ["name"]],
    ["wrong types", { name: "Plan", isAdmin: "yes", monthlyTextCredits: "10", priceUsd: null }, ["isAdmin", "monthlyTextCredits", "priceUsd"]],
    ["negative credits", { name: "Plan", monthlyImageCredits: -1 }, ["monthlyImageCredits"]],
    ["a price below Stripe's minimum", { name: "Plan", priceUsd: 0.3 }, ["priceUsd"]],
    ["an unknown field", { name: "Plan", protected: true }, ["protected"]],
  ])("rejects %s with 400 per field", async (_, body, fields) => {
    const res = await a.post("/api/admin/roles", body);
    expect(res.status).toBe(400);
    for (const f of fields) expect(res.body.error.fields[f], f).toBeTruthy();
  });

  it("answers 404 for unknown ids", async () => {
    expect((await a.patch("/api/admin/roles/999999", { monthlyTextCredits: 5 })).status).toBe(404);
    expect((await a.del("/api/admin/roles/999999")).status).toBe(404);
  });
});

// ---------------------------------------------------------------- catalog, checkout, portal

describe("catalog", () => {
  it("lists what is for sale: active packages and paid plans, never built-in or retired roles", async () => {
    const pkg = await createPackage();
    const plan = await createPlan();
    const retired = await createPackage();
    await a.del(`/api/admin/packages/${retired.id}`);
    const u = await newUser();
    const res = await u.get("/api/billing/catalog");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enabled: true, message: null, publishableKey: "pk_test_novelapp" });
    expect(res.body.packages).toContainEqual({ id: pkg.id, name: pkg.name, creditType: "text", credits: 1000, priceUsd: 4.99 });
    expect(res.body.packages.map((p: any) => p.id)).not.toContain(retired.id);
    expect(res.body.roles).toContainEqual({ id: plan.id, name: plan.name, monthlyTextCredits: 5000, monthlyImageCredits: 40, priceUsd: 9.99 });
    expect(res.body.roles.map((r: any) => r.name)).not.toContain("user");
    expect(res.body.roles.map((r: any) => r.name)).not.toContain("admin");
    expect(res.body.account).toMatchObject({ role: "user", subscribed: false, hasBillingAccount: false });
    expect((await anonymous().get("/api/billing/catalog")).body.account).toBeNull();
  });
});

describe("checkout", () => {
  it("opens a Checkout Session for a package; the Stripe customer is created once and reused", async () => {
    const pkg = await createPackage();
    const u = await newUser();
    const first = await checkout(u, { packageId: pkg.id });
    expect(first.id).toMatch(/^cs_test_/);
    expect(first.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    await checkout(u, { packageId: pkg.id });

    const customers = (await fakeStripe.requests("/v1/customers")).filter((r) => r.body.metadata?.userId === String(u.user.id));
    expect(customers).toHaveLength(1);
    expect(customers[0]!.body).toMatchObject({ email: u.user.email, name: u.user.username });
    const customerId = (await userRow(u.user.id))!.stripe_customer_id;
    expect(customerId).toMatch(/^cus_/);

    const sessions = (await fakeStripe.requests("/v1/checkout/sessions")).filter((r) => r.body.client_reference_id === String(u.user.id));
    expect(sessions).toHaveLength(2);
    for (const s of sessions) {
      expect(s.body).toMatchObject({
        mode: "payment",
        customer: customerId,
        line_items: [{ price: pkg.stripePriceId, quantity: "1" }],
        metadata: { userId: String(u.user.id), packageId: String(pkg.id), credits: "1000", creditType: "text" },
      });
      expect(s.body.success_url).toMatch(/^http:\/\/localhost\/billing\?checkout=success/);
      expect(s.body.cancel_url).toBe("http://localhost/billing?checkout=cancelled");
    }
  });

  it("gives two simultaneous first checkouts the same Stripe customer", async () => {
    const pkg = await createPackage();
    const u = await newUser();
    await Promise.all([checkout(u, { packageId: pkg.id }), checkout(u, { packageId: pkg.id })]);
    const customer = (await userRow(u.user.id))!.stripe_customer_id;
    const sessions = (await fakeStripe.requests("/v1/checkout/sessions")).filter((r) => r.body.client_reference_id === String(u.user.id));
    expect(sessions.map((s) => s.body.customer)).toEqual([customer, customer]);
  });

  it("opens a subscription checkout for a plan, with the plan on the subscription too", async () => {
    const plan = await createPlan();
    const u = await newUser();
    await checkout(u, { roleId: plan.id });
    const [s] = (await fakeStripe.requests("/v1/checkout/sessions")).filter((r) => r.body.client_reference_id === String(u.user.id));
    expect(s!.body).toMatchObject({
      mode: "subscription",
      line_items: [{ price: plan.stripePriceId, quantity: "1" }],
      metadata: { userId: String(u.user.id), roleId: String(plan.id) },
      subscription_data: { metadata: { userId: String(u.user.id), roleId: String(plan.id) } },
    });
  });

  it.each([
    ["neither id", {}, "packageId"],
    ["both ids", { packageId: 1, roleId: 1 }, "packageId"],
    ["a string id", { packageId: "1" }, "packageId"],
    ["a negative id", { roleId: -3 }, "roleId"],
    ["an unknown field", { packageId: 1, price: "price_evil" }, "price"],
  ])("rejects %s with 400", async (_, body, field) => {
    const u = await newUser();
    const res = await u.post("/api/billing/checkout", body);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[field]).toBeTruthy();
  });

  it("says what cannot be bought", async () => {
    const u = await newUser();
    expect((await u.post("/api/billing/checkout", { packageId: 999999 })).status).toBe(404);
    const retired = await createPackage();
    await a.del(`/api/admin/packages/${retired.id}`);
    expect((await u.post("/api/billing/checkout", { packageId: retired.id })).status).toBe(404);
    const userRole = (await a.get("/api/admin/roles")).body.roles.find((r: any) => r.name === "user");
    expect((await u.post("/api/billing/checkout", { roleId: userRole.id })).status).toBe(404);
    const free = await createPlan({ priceUsd: 0 });
    const res = await u.post("/api/billing/checkout", { roleId: free.id });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.roleId).toBeTruthy();
    expect((await anonymous().post("/api/billing/checkout", { packageId: 1 })).status).toBe(401);
    // A plan would replace the admin role.
    const plan = await createPlan();
    const adm = await a.post("/api/billing/checkout", { roleId: plan.id });
    expect(adm.status).toBe(409);
  });

  it("answers 502 when Stripe fails", async () => {
    const pkg = await createPackage();
    const u = await newUser();
    await fakeStripe.fault({ status: 500, match: "POST /v1/checkout/sessions", times: 2 });
    const res = await u.post("/api/billing/checkout", { packageId: pkg.id });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/Stripe could not start the checkout/);
  });
});

describe("billing portal", () => {
  it("needs a Stripe customer first, then opens the portal for it", async () => {
    const u = await newUser();
    const none = await u.post("/api/billing/portal");
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe("no_billing_account");
    await checkout(u, { packageId: (await createPackage()).id });
    const res = await u.post("/api/billing/portal");
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(/^https:\/\/billing\.stripe\.com\//);
    const [req] = (await fakeStripe.requests("/v1/billing_portal/sessions")).slice(-1);
    expect(req!.body).toMatchObject({ customer: (await userRow(u.user.id))!.stripe_customer_id, return_url: "http://localhost/billing" });
    expect((await anonymous().post("/api/billing/portal")).status).toBe(401);
  });
});

// ---------------------------------------------------------------- webhook

describe("webhook signature", () => {
  it("rejects a wrong, missing or stale signature and a tampered body, changing nothing", async () => {
    const u = await newUser();
    const pkg = await createPackage();
    const { event } = await buyPackage(u, pkg.id);
    const before = await me(u);
    const payload = JSON.stringify(event);
    const wrong = await deliver(event, { secret: "whsec_someone_else" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("invalid_signature");
    expect((await deliver(event, { signature: null })).status).toBe(400);
    expect((await deliver(event, { signature: "t=1,v1=deadbeef" })).status).toBe(400);
    const { default: Stripe } = await import("stripe");
    const old = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: "whsec_test_novelapp", timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await deliver(payload, { signature: old })).status).toBe(400);
    const signed = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: "whsec_test_novelapp" });
    const tampered = payload.replace('"credits":"1000"', '"credits":"999999"');
    expect(tampered).not.toBe(payload);
    expect((await deliver(tampered, { signature: signed })).status).toBe(400);

    expect((await me(u)).credits).toEqual(before.credits);
    expect(await rows("SELECT id FROM stripe_events WHERE id = ?", event.id)).toEqual([]);
    // The genuine delivery still works afterwards.
    expect((await deliver(event)).body.outcome).toBe("processed");
  });

  it("needs no session, origin or JSON content type, and answers unknown event types with 200", async () => {
    const evt = stripeEvent("customer.created", { id: "cus_x", object: "customer" });
    const res = await deliver(evt);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, outcome: "ignored" });
    expect(await rows("SELECT type FROM stripe_events WHERE id = ?", evt.id)).toEqual([{ type: "customer.created" }]);
  });
});

describe("credit package purchase", () => {
  it("grants the credits once for the same event delivered three times", async () => {
    const u = await newUser();
    const pkg = await createPackage({ credits: 1000, priceUsd: 4.99 });
    const before = await me(u);
    const { session, event } = await buyPackage(u, pkg.id);

    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const res = await deliver(event);
      expect(res.status).toBe(200);
      outcomes.push(res.body.outcome);
    }
    expect(outcomes).toEqual(["processed", "duplicate", "duplicate"]);

    expect((await me(u)).credits).toEqual({ text: before.credits.text + 1000, image: before.credits.image });
    expect(await rows("SELECT credit_type, delta, reason, ref FROM credit_ledger WHERE user_id = ? AND reason = 'purchase'", u.user.id)).toEqual([
      { credit_type: "text", delta: 1000, reason: "purchase", ref: session.id },
    ]);
    expect(await rows("SELECT user_id, kind, amount_cents, currency, package_id FROM revenue WHERE ref = ?", session.id)).toEqual([
      { user_id: u.user.id, kind: "package", amount_cents: 499, currency: "usd", package_id: pkg.id },
    ]);
    const notes = (await u.get("/api/me/notifications")).body.notifications;
    expect(notes.filter((n: any) => /1,000 text credits/.test(n.message))).toHaveLength(1);
    await expectLedgerMatchesBalances();
  });

  it("applies the same event delivered concurrently exactly once", async () => {
    const u = await newUser();
    const pkg = await createPackage({ creditType: "image", credits: 25, priceUsd: 3 });
    const before = await me(u);
    const { event } = await buyPackage(u, pkg.id);
    const results = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.filter((r) => r.body.outcome === "processed")).toHaveLength(1);
    expect((await me(u)).credits.image).toBe(before.credits.image + 25);
  });

  it("pays out once when different events report the same payment", async () => {
    const u = await newUser();
    const pkg = await createPackage({ credits: 700 });
    const before = await me(u);
    const session = await checkout(u, { packageId: pkg.id });
    // A delayed payment method: the session completes unpaid, the money arrives later.
    const { session: pending } = await fakeStripe.completeCheckout(session.id, { paymentStatus: "unpaid" });
    expect((await deliver(stripeEvent("checkout.session.completed", pending))).body.outcome).toBe("ignored");
    expect((await me(u)).credits.text).toBe(before.credits.text);
    const paid = { ...pending, payment_status: "paid" };
    expect((await deliver(stripeEvent("checkout.session.async_payment_succeeded", paid))).body.outcome).toBe("processed");
    expect((await deliver(stripeEvent("checkout.session.completed", paid))).body.outcome).toBe("duplicate");
    expect((await me(u)).credits.text).toBe(before.credits.text + 700);
    expect(await rows("SELECT count(*) AS n FROM revenue WHERE ref = ?", session.id)).toEqual([{ n: 1 }]);
    await expectLedgerMatchesBalances();
  });

  it("grants what was sold even if the package changed since", async () => {
    const u = await newUser();
    const pkg = await createPackage({ credits: 300 });
    const before = await me(u);
    const { event } = await buyPackage(u, pkg.id);
    await a.patch(`/api/admin/packages/${pkg.id}`, { credits: 5 });
    await deliver(event);
    expect((await me(u)).credits.text).toBe(before.credits.text + 300);
    // Sold once: deleting now retires it instead.
    const del = await a.del(`/api/admin/packages/${pkg.id}`);
    expect(del.body).toMatchObject({ ok: true, deleted: false });
    expect((await a.get("/api/admin/packages")).body.packages).toContainEqual(expect.objectContaining({ id: pkg.id, active: false }));
  });

  it("sends credits_updated to the user's open tabs", async () => {
    const u = await newUser();
    const pkg = await createPackage({ credits: 400 });
    const tab = await openTab(u);
    try {
      const { event } = await buyPackage(u, pkg.id);
      await deliver(event);
      const expected = (await me(u)).credits;
      const got = await tab.waitFor((e) => e.event === "credits_updated");
      expect(got.data).toEqual(expected);
      await tab.waitFor((e) => e.event === "notification" && /400 text credits/.test(e.data.message));
    } finally {
      tab.close();
    }
  });

  it("is never blocked by maintenance mode", async () => {
    const u = await newUser();
    const pkg = await createPackage({ credits: 50 });
    const { event } = await buyPackage(u, pkg.id);
    const before = await me(u);
    await a.patch("/api/admin/site", { maintenanceMode: true });
    try {
      await vi.waitFor(async () => expect((await u.get("/api/billing/catalog")).status).toBe(503), { timeout: 8000, interval: 200 });
      const res = await deliver(event);
      expect(res.status).toBe(200);
      expect(res.body.outcome).toBe("processed");
    } finally {
      await a.patch("/api/admin/site", { maintenanceMode: false });
    }
    await vi.waitFor(async () => expect((await u.get("/api/me")).status).toBe(200), { timeout: 8000, interval: 200 });
    expect((await me(u)).credits.text).toBe(before.credits.text + 50);
  });
});

describe("subscriptions", () => {
  it("starts a plan, grants the monthly credits once per invoice and again on renewal", async () => {
    const plan = await createPlan({ monthlyTextCredits: 5000, monthlyImageCredits: 40, priceUsd: 9.99 });
    const u = await newUser();
    const before = await me(u);
    const sub = await subscribe(u, plan.id);

    expect((await deliver(sub.completed)).body.outcome).toBe("processed");
    const row = await userRow(u.user.id);
    expect(row!.role_id).toBe(plan.id);
    expect(row!.stripe_subscription_id).toBe(sub.subscription.id);
    expect((await me(u)).role).toBe(plan.name);
    expect((await me(u)).credits).toEqual(before.credits); // credits come with the invoice

    expect((await deliver(sub.invoicePaid)).body.outcome).toBe("processed");
    // The same invoice reported again under other event ids: paid out once.
    expect((await deliver(stripeEvent("invoice.paid", sub.invoice))).body.outcome).toBe("duplicate");
    expect((await deliver(stripeEvent("invoice.paid", sub.invoice))).body.outcome).toBe("duplicate");
    expect((await me(u)).credits).toEqual({ text: before.credits.text + 5000, image: before.credits.image + 40 });
    expect(await rows("SELECT kind, amount_cents, role_id, user_id FROM revenue WHERE ref = ?", sub.invoice.id)).toEqual([
      { kind: "subscription", amount_cents: 999, role_id: plan.id, user_id: u.user.id },
    ]);

    const { invoice } = await fakeStripe.renew(sub.subscription.id);
    expect((await deliver(stripeEvent("invoice.paid", invoice))).body.outcome).toBe("processed");
    expect((await me(u)).credits).toEqual({ text: before.credits.text + 10_000, image: before.credits.image + 80 });
    expect(await rows("SELECT ref, credit_type, delta FROM credit_ledger WHERE user_id = ? AND reason = 'subscription' ORDER BY id", u.user.id)).toEqual([
      { ref: sub.invoice.id, credit_type: "text", delta: 5000 },
      { ref: sub.invoice.id, credit_type: "image", delta: 40 },
      { ref: invoice.id, credit_type: "text", delta: 5000 },
      { ref: invoice.id, credit_type: "image", delta: 40 },
    ]);
    const catalog = (await u.get("/api/billing/catalog")).body;
    expect(catalog.account).toMatchObject({ roleId: plan.id, subscribed: true, hasBillingAccount: true });
    // One plan at a time: changes go through the portal.
    const again = await u.post("/api/billing/checkout", { roleId: plan.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("already_subscribed");
    await expectLedgerMatchesBalances();
  });

  it("never lets one customer pay for two plans: an open plan checkout is closed by the next, and a plan Stripe has is final", async () => {
    const basic = await createPlan({ name: `Basic ${uniq()}`, priceUsd: 5 });
    const premium = await createPlan({ name: `Premium ${uniq()}`, priceUsd: 20 });
    const u = await newUser();
    // Two tabs, two plan checkouts: opening the second closes the first at Stripe.
    const first = await checkout(u, { roleId: basic.id });
    const second = await checkout(u, { roleId: premium.id });
    expect((await fakeStripe.object(first.id)).status).toBe("expired");
    expect((await fakeStripe.object(second.id)).status).toBe("open");
    await expect(fakeStripe.completeCheckout(first.id)).rejects.toThrow(/no longer be paid/);
    // A package checkout is no plan: it closes nothing.
    const pkg = await checkout(u, { packageId: (await createPackage()).id });
    expect((await fakeStripe.object(second.id)).status).toBe("open");
    expect((await fakeStripe.object(pkg.id)).status).toBe("open");

    // The second is paid; its webhook has not arrived yet, but Stripe has the plan: no third.
    await fakeStripe.completeCheckout(second.id);
    expect((await userRow(u.user.id))!.stripe_subscription_id).toBeNull();
    const third = await u.post("/api/billing/checkout", { roleId: basic.id });
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: "already_subscribed", message: expect.stringContaining("billing portal") });
    const customer = (await userRow(u.user.id))!.stripe_customer_id;
    const opened = (await fakeStripe.requests("/v1/checkout/sessions")).filter((r) => r.method === "POST" && r.body.customer === customer);
    expect(opened).toHaveLength(3); // basic, premium and the package: nothing for the refused one
  });

  it("works when the invoice arrives before the checkout event, each delivered twice", async () => {
    const plan = await createPlan({ monthlyTextCredits: 2000, monthlyImageCredits: 10 });
    const u = await newUser();
    const before = await me(u);
    const sub = await subscribe(u, plan.id);

    expect((await deliver(sub.invoicePaid)).body.outcome).toBe("processed");
    expect((await me(u)).credits).toEqual({ text: before.credits.text + 2000, image: before.credits.image + 10 });
    expect((await deliver(sub.completed)).body.outcome).toBe("processed");
    expect((await deliver(stripeEvent("invoice.paid", sub.invoice))).body.outcome).toBe("duplicate");
    expect((await deliver(stripeEvent("checkout.session.completed", sub.session))).body.outcome).toBe("processed"); // sets the same role again
    expect((await deliver(sub.invoicePaid)).body.outcome).toBe("duplicate");

    const after = await me(u);
    expect(after.role).toBe(plan.name);
    expect(after.credits).toEqual({ text: before.credits.text + 2000, image: before.credits.image + 10 });
    await expectLedgerMatchesBalances();
  });

  it("follows a plan change to the new price's role", async () => {
    const basic = await createPlan({ name: `Basic ${uniq()}`, priceUsd: 5, monthlyTextCredits: 1000 });
    const premium = await createPlan({ name: `Premium ${uniq()}`, priceUsd: 20, monthlyTextCredits: 9000 });
    const u = await newUser();
    const sub = await subscribe(u, basic.id);
    await deliver(sub.completed);
    await deliver(sub.invoicePaid);
    expect((await me(u)).role).toBe(basic.name);

    const { subscription } = await fakeStripe.changePrice(sub.subscription.id, premium.stripePriceId);
    const updated = stripeEvent("customer.subscription.updated", subscription);
    expect((await deliver(updated)).body.outcome).toBe("processed");
    expect((await deliver(updated)).body.outcome).toBe("duplicate");
    expect((await me(u)).role).toBe(premium.name);

    // The change's proration invoice (and a $0 one) is revenue, not another month of credits.
    const before = await me(u);
    const proration = { ...sub.invoice, id: `in_proration_${uniq()}`, billing_reason: "subscription_update", amount_paid: 1500, amount_due: 1500 };
    const zero = { ...proration, id: `in_zero_${uniq()}`, amount_paid: 0, amount_due: 0 };
    for (const inv of [proration, zero]) expect((await deliver(stripeEvent("invoice.paid", inv))).body.outcome).toBe("processed");
    expect((await me(u)).credits).toEqual(before.credits);
    expect(await rows("SELECT amount_cents FROM revenue WHERE ref IN (?, ?) ORDER BY amount_cents", proration.id, zero.id)).toEqual([
      { amount_cents: 0 },
      { amount_cents: 1500 },
    ]);

    // The next invoice is for the new plan.
    const { invoice } = await fakeStripe.renew(sub.subscription.id);
    await deliver(stripeEvent("invoice.paid", invoice));
    expect((await me(u)).credits.text).toBe(before.credits.text + 9000);
    expect(await rows("SELECT amount_cents, role_id FROM revenue WHERE ref = ?", invoice.id)).toEqual([{ amount_cents: 2000, role_id: premium.id }]);

    // A price that is no plan of ours leaves the role alone.
    const stray = await fakeStripe.changePrice(sub.subscription.id, (await createPackage()).stripePriceId);
    expect((await deliver(stripeEvent("customer.subscription.updated", stray.subscription))).body.outcome).toBe("ignored");
    expect((await me(u)).role).toBe(premium.name);
  });

  it("keeps paying out the plan of subscribers on a price that was since replaced", async () => {
    const plan = await createPlan({ priceUsd: 8, monthlyTextCredits: 800, monthlyImageCredits: 0 });
    const u = await newUser();
    const sub = await subscribe(u, plan.id);
    await deliver(sub.completed);
    await a.patch(`/api/admin/roles/${plan.id}`, { priceUsd: 9 }); // the old price is archived
    const before = await me(u);
    const { invoice } = await fakeStripe.renew(sub.subscription.id);
    expect((await deliver(stripeEvent("invoice.paid", invoice))).body.outcome).toBe("processed");
    expect((await me(u)).credits.text).toBe(before.credits.text + 800);
    expect((await me(u)).role).toBe(plan.name);
  });

  it("cancellation puts the user back on the free role and keeps their credits", async () => {
    const plan = await createPlan({ monthlyTextCredits: 3000, monthlyImageCredits: 20 });
    const pkg = await createPackage({ credits: 250 });
    const u = await newUser();
    await deliver((await buyPackage(u, pkg.id)).event);
    const sub = await subscribe(u, plan.id);
    await deliver(sub.completed);
    await deliver(sub.invoicePaid);
    const paidUp = await me(u);

    const { subscription } = await fakeStripe.cancel(sub.subscription.id);
    const deleted = stripeEvent("customer.subscription.deleted", subscription);
    expect((await deliver(deleted)).body.outcome).toBe("processed");
    expect((await deliver(deleted)).body.outcome).toBe("duplicate");
    const after = await me(u);
    expect(after.role).toBe("user");
    expect(after.credits).toEqual(paidUp.credits);
    const row = await userRow(u.user.id);
    expect(row!.stripe_subscription_id).toBeNull();
    expect(row!.stripe_customer_id).toMatch(/^cus_/);
    // A late update of the ended subscription changes nothing.
    expect((await deliver(stripeEvent("customer.subscription.updated", { ...subscription, status: "active" }))).body.outcome).toBe("ignored");
    expect((await me(u)).role).toBe("user");
    // The role, held by nobody now but referred to by revenue, is retired rather than deleted.
    const del = await a.del(`/api/admin/roles/${plan.id}`);
    expect(del.body).toMatchObject({ ok: true, deleted: false });
    // And the user may subscribe again (to another plan).
    await checkout(u, { roleId: (await createPlan()).id });
    await expectLedgerMatchesBalances();
  });

  it("does not switch a plan on when the subscription ended before the checkout event arrived", async () => {
    const plan = await createPlan();
    const u = await newUser();
    const sub = await subscribe(u, plan.id);
    await fakeStripe.cancel(sub.subscription.id);
    expect((await deliver(sub.completed)).body.outcome).toBe("ignored");
    expect((await me(u)).role).toBe("user");
  });

  it("retires a plan that users still hold", async () => {
    const plan = await createPlan();
    const u = await newUser();
    const sub = await subscribe(u, plan.id);
    await deliver(sub.completed);
    const del = await a.del(`/api/admin/roles/${plan.id}`);
    expect(del.body).toMatchObject({ ok: true, deleted: false });
    expect(await fakeStripe.object(plan.stripePriceId)).toMatchObject({ active: false });
    expect((await me(u)).role).toBe(plan.name);
    expect((await u.get("/api/billing/catalog")).body.roles.map((r: any) => r.id)).not.toContain(plan.id);
  });
});

// ---------------------------------------------------------------- helpers

type Tab = { waitFor(pred: (e: ServerEvent) => boolean): Promise<any>; close(): void };

/** A browser tab on /api/ws, recording the live events it receives. */
async function openTab(c: Client): Promise<Tab> {
  const res = await exports.default.fetch("http://localhost/api/ws", {
    headers: { upgrade: "websocket", origin: "http://localhost", cookie: c.cookie! },
  });
  if (res.status !== 101 || !res.webSocket) throw new Error(`no upgrade: ${res.status}`);
  const ws = res.webSocket;
  ws.accept();
  const events: ServerEvent[] = [];
  ws.addEventListener("message", (e) => {
    events.push(JSON.parse(e.data as string));
  });
  return {
    async waitFor(pred) {
      let hit: ServerEvent | undefined;
      await vi.waitFor(() => expect((hit = events.find(pred))).toBeTruthy(), { timeout: 10_000, interval: 25 });
      return hit;
    },
    close: () => ws.close(1000, "done"),
  };
}
