// Profile, billing and the admin console, as the seeded admin. Screenshots in light and dark.
import { expect, test } from "@playwright/test";
import { logIn, shot, trackConsole, unique } from "./helpers";

test("profile, billing and the admin console", async ({ page }) => {
  test.setTimeout(90_000);
  const console = trackConsole(page);
  await logIn(page);

  await page.goto("/profile");
  await expect(page.getByRole("heading", { name: "Credits" })).toBeVisible();
  await expect(page.getByTestId("profile-text-credits")).toHaveText(/^-?[\d,]+$/);
  await expect(page.getByRole("heading", { name: "Generation history" })).toBeVisible();
  const tokenName = unique("e2e script ");
  await page.getByLabel("Token name").fill(tokenName);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toHaveText(/\S{20,}/);
  await expect(page.getByText(tokenName)).toBeVisible();
  await shot(page, "profile");

  await page.goto("/billing");
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Credit packages" }).or(page.getByText(/not available on this server/))).toBeVisible();
  await shot(page, "billing");

  await page.goto("/admin");
  const example = page.getByTestId("example-total").first();
  await expect(example).toHaveText(/^[\d,]+ credits$/);
  const before = await example.textContent();
  await page.getByLabel("chapter_output").fill("4");
  await expect(example).not.toHaveText(before!); // the live example follows the draft
  await shot(page, "admin-pricing");
  await page.getByRole("button", { name: "Reset" }).click();

  await page.getByRole("link", { name: "Users" }).click();
  await page.getByLabel("Search users").fill("admin");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("cell", { name: /admin@example\.com/ })).toBeVisible();
  await shot(page, "admin-users");

  await page.getByRole("link", { name: "Generation logs" }).click();
  await expect(page.getByRole("heading", { name: "Generation logs", level: 2 })).toBeVisible();
  await shot(page, "admin-generations");
  await page.getByRole("link", { name: "Analytics" }).click();
  await expect(page.getByText("provider cost")).toBeVisible();
  await shot(page, "admin-analytics");
  await page.getByRole("link", { name: "Site settings" }).click();
  await expect(page.getByLabel("Maintenance mode")).not.toBeChecked();
  await shot(page, "admin-site");

  // Packages: create one, then edit its price inline.
  await page.getByRole("link", { name: "Packages" }).click();
  const pkg = unique("Starter ");
  await page.getByLabel("Name").fill(pkg);
  await page.getByRole("textbox", { name: "Credits", exact: true }).fill("1000");
  await page.getByLabel("Price (USD)").fill("5");
  await page.getByRole("button", { name: "Create package" }).click();
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: pkg, exact: true }) });
  await expect(row).toContainText("$5.00");
  await row.getByRole("button", { name: `Edit package ${pkg}` }).click();
  const editor = page.locator("tr.subrow");
  await editor.getByLabel("Price (USD)").fill("6");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("$6.00");
  await shot(page, "admin-packages");

  // On a phone the sections are one row that scrolls sideways; the page itself never does.
  await page.setViewportSize({ width: 390, height: 844 });
  const sections = page.getByRole("navigation", { name: "Admin sections" });
  for (const name of ["Users", "Feedback"]) {
    await sections.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
    await expect(sections.getByRole("link", { name })).toBeInViewport();
    await page.waitForLoadState("networkidle");
    // Wide tables scroll inside their frame.
    expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(390);
  }
  await shot(page, "admin-phone");
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByRole("link", { name: "Pricing" }).click();
  await expect(page.getByTestId("example-total").first()).toBeVisible();
  await shot(page, "admin-pricing-dark");
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "My stories" })).toBeVisible();
  await shot(page, "dashboard-dark");
  console.expectNone();
});
