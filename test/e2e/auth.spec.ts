// A new author, as a new user would: the landing page, sign up (with mistakes first), a story
// with a missing title, then the story's characters and places generated live.
import { expect, test } from "@playwright/test";
import { logIn, PASSWORD, shot, signUp, trackConsole, unique, watchSockets } from "./helpers";

test("a new author signs up, creates a story and generates its cast", async ({ page }) => {
  const console = trackConsole(page);
  // Keep a handle on the page's WebSockets, to cut the live connection later.
  const sockets = await watchSockets(page);
  const response = await page.goto("/");
  expect(response!.headers()["content-security-policy"]).toContain("script-src 'self'");
  await expect(page.getByRole("heading", { name: "NovelApp" })).toBeVisible();
  await shot(page, "landing");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "landing-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Mistakes are shown next to the right inputs.
  await page.getByRole("link", { name: /Start writing/ }).click();
  await page.getByLabel("Username").fill("x");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.locator("#" + (await page.getByLabel("Username").getAttribute("aria-describedby"))!.split(" ").pop())).toHaveText(/3 to 32/);
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await shot(page, "register-errors");

  const username = unique("author");
  await signUp(page, username);
  await expect(page.getByText(`Welcome, ${username}!`)).toBeVisible();
  await expect(page.getByTestId("text-credits")).toContainText("500");
  await shot(page, "dashboard-empty");

  // A story without a title is refused next to the Title field.
  await page.getByRole("link", { name: "Create your first story" }).click();
  await page.getByRole("button", { name: "Create story" }).click();
  await expect(page.getByText("Give your story a title")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Title").fill("Letters from the Tide");
  await page.getByLabel("What is it about?").fill("Letters wash up in a coastal town, one a day, each from someone who drowned.");
  await page.getByLabel("Number of chapters").fill("3");
  await page.getByLabel("Words per chapter").fill("300");
  await shot(page, "new-story");
  await page.getByRole("button", { name: "Create story" }).click();
  await expect(page).toHaveURL(/\/stories\/\d+\/cast$/);

  // The live connection drops: the header says so, it comes back by itself, events flow again.
  await expect.poll(sockets.open).toBe(1);
  await sockets.cut();
  await expect(page.getByText("Reconnecting…")).toBeVisible();
  await expect(page.getByText("Reconnecting…")).toBeHidden({ timeout: 10_000 });

  const generate = page.getByRole("button", { name: /^Generate characters & places · \d+ credits$/ });
  const cost = Number((await generate.textContent())!.match(/· (\d+) credits/)![1]);
  await generate.click();
  await expect(page.getByRole("list", { name: "Characters" }).getByRole("listitem")).toHaveCount(4);
  await expect(page.getByRole("list", { name: "Places" }).getByRole("listitem")).toHaveCount(3);
  await expect(page.getByTestId("text-credits")).not.toContainText("500"); // credits_updated arrived
  expect(cost).toBeGreaterThan(0);

  // Log out and back in: the story is on the dashboard.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" }).first()).toBeVisible();
  await logIn(page, username, PASSWORD);
  await expect(page.getByRole("link", { name: "Letters from the Tide" })).toBeVisible();
  await shot(page, "dashboard");

  // Deep links load through the SPA fallback, with the same CSP.
  const deep = await page.goto("/profile");
  expect(deep!.headers()["content-security-policy"]).toContain("default-src 'self'");
  await expect(page.getByRole("heading", { level: 1, name: "Profile" })).toBeVisible();

  // Phone width: the menu folds behind a button, the workspace still works.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" })).toBeVisible();
  await shot(page, "phone-dashboard");
  await page.getByRole("link", { name: "Letters from the Tide" }).click();
  await expect(page).toHaveURL(/\/outline$/); // the first step with work left
  await expect(page.getByRole("button", { name: /^Generate outline · \d+ credits$/ })).toBeVisible();
  await shot(page, "phone-workspace");
  console.expectNone();
});

test("forgot and reset password pages work without an account", async ({ page }) => {
  const console = trackConsole(page);
  await page.goto("/forgot");
  await page.getByLabel("E-mail").fill("nobody@example.com");
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText(/reset link is on its way/)).toBeVisible();
  await page.goto("/reset");
  await expect(page.getByText("This page needs the link from your e-mail.")).toBeVisible();
  await page.goto("/stories/1/cast"); // signed out: sent to log in, and back after
  await expect(page).toHaveURL(/\/login\?next=%2Fstories%2F1%2Fcast/);
  console.expectNone();
});
