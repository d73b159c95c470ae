// Buying credits: an admin puts a package on sale, a new author buys it through Stripe Checkout
// (the fake Stripe server plays Stripe's side and the webhook is signed as Stripe signs it), and
// the credits arrive.
import { expect, test } from "@playwright/test";
import Stripe from "stripe";
import { logIn, shot, signUp, trackConsole, unique } from "./helpers";

const STRIPE = `http://127.0.0.1:${process.env.E2E_STRIPE_PORT ?? "8789"}`;
const WEBHOOK_SECRET = "whsec_test_e2e"; // scripts/e2e-server.mjs

test("an author buys a credit package through Stripe Checkout", async ({ page, baseURL }) => {
  const console = trackConsole(page);
  await logIn(page);
  await page.goto("/admin/packages");
  const name = unique("Writer pack ");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("textbox", { name: "Credits", exact: true }).fill("2000");
  await page.getByLabel("Price (USD)").fill("9.99");
  await page.getByRole("button", { name: "Create package" }).click();
  await expect(page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) })).toContainText("$9.99");
  await page.getByRole("button", { name: "Log out" }).click();

  await signUp(page, unique("buyer"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  const card = page.locator(".price-card", { hasText: "2,000" }).first();
  await expect(card).toContainText("$9.99");
  await shot(page, "billing");

  // Checkout is Stripe's page: answer it here instead of leaving the machine.
  await page.route("https://checkout.stripe.com/**", (route) => route.fulfill({ contentType: "text/html", body: "<title>Stripe Checkout</title><h1>Pay</h1>" }));
  await card.getByRole("button", { name: /^Buy 2000 text credits/ }).click();
  await page.waitForURL(/^https:\/\/checkout\.stripe\.com\/c\/pay\//);
  const sessionId = page.url().split("/").pop()!;

  // Stripe's side: the customer pays and Stripe calls our webhook.
  const paid = await (await fetch(`${STRIPE}/__control/checkout/${sessionId}/complete`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json();
  const payload = JSON.stringify({
    id: `evt_e2e_${Date.now()}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
    data: { object: paid.session },
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: WEBHOOK_SECRET });
  const hook = await fetch(`${baseURL}/api/stripe/webhook`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
  expect(hook.status).toBe(200);

  await page.goto(`/billing?checkout=success&session_id=${sessionId}`);
  await expect(page.getByText("Thank you! Your payment went through")).toBeVisible();
  await expect(page.getByTestId("text-credits")).toContainText("2,500");
  await shot(page, "billing-paid");
  console.expectNone();
});
