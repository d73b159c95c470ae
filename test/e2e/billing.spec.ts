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

test("an admin sells a monthly plan, reprices it and retires it; authors see each change", async ({ page: admin, browser }) => {
  const adminConsole = trackConsole(admin);
  await logIn(admin);
  await admin.goto("/admin/roles");
  const name = unique("Novelist ");
  const form = admin.locator("form", { has: admin.getByRole("button", { name: "Create plan" }) });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Monthly text credits").fill("4000");
  await form.getByLabel("Monthly image credits").fill("30");
  await form.getByLabel("Price per month (USD)").fill("12.5");
  await form.getByRole("button", { name: "Create plan" }).click();
  const row = admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name, exact: true }) });
  await expect(row).toContainText("$12.50/mo");
  await expect(row).toContainText("4,000");

  // Its Stripe price: a monthly recurring price of 1250 cents.
  const created = await (await fetch(`${STRIPE}/__control/requests`)).json();
  const priceCall = created.requests.filter((r: { method: string; path: string }) => r.method === "POST" && r.path === "/v1/prices").pop();
  expect(priceCall.body).toMatchObject({ unit_amount: "1250", currency: "usd", recurring: { interval: "month" } });

  // An author sees it on Billing.
  const author = await browser.newPage();
  const authorConsole = trackConsole(author);
  await signUp(author, unique("planner"));
  await author.goto("/billing");
  const card = author.locator(".price-card", { hasText: name });
  await expect(card).toContainText("$12.50/mo");
  await expect(card).toContainText("4,000 text and 30 image credits a month");
  await expect(card.getByRole("button", { name: "Subscribe" })).toBeEnabled();

  // Repriced inline: the editor takes the keyboard, and the new price is the one on sale.
  await row.getByRole("button", { name: `Edit role ${name}` }).click();
  const editor = admin.locator("tr.subrow");
  await expect(editor.getByLabel("Name")).toBeFocused();
  await editor.getByLabel("Price per month (USD)").fill("19.99");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("$19.99/mo");
  await expect(row.getByRole("button", { name: `Edit role ${name}` })).toBeFocused();
  const repriced = await (await fetch(`${STRIPE}/__control/requests`)).json();
  const newPrice = repriced.requests.filter((r: { method: string; path: string }) => r.method === "POST" && r.path === "/v1/prices").pop();
  expect(newPrice.body).toMatchObject({ unit_amount: "1999", recurring: { interval: "month" } });
  await author.reload();
  await expect(author.locator(".price-card", { hasText: name })).toContainText("$19.99/mo");

  // Built-in roles cannot be renamed or deleted.
  const builtIn = admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: "user", exact: true }) });
  await expect(builtIn.getByRole("button", { name: "Delete role user" })).toHaveCount(0);
  await builtIn.getByRole("button", { name: "Edit role user" }).click();
  await expect(admin.locator("tr.subrow").getByLabel("Name")).toBeDisabled();
  await admin.locator("tr.subrow").getByRole("button", { name: "Cancel" }).click();

  // Retired: gone from the console and from Billing.
  await row.getByRole("button", { name: `Delete role ${name}` }).click();
  await admin.getByRole("button", { name: "Yes, delete" }).click();
  await expect(admin.getByRole("rowheader", { name, exact: true })).toHaveCount(0);
  await author.reload();
  await expect(author.getByRole("heading", { level: 2, name: "Plans" })).toBeVisible();
  await expect(author.locator(".price-card", { hasText: name })).toHaveCount(0);
  adminConsole.expectNone();
  authorConsole.expectNone();
  await author.close();
});
