// Shared helpers for the browser tests: sign-in, screenshots, console-error tracking, and the
// fake model server's control API.
import { expect, type Page, type TestInfo } from "@playwright/test";
import { mkdirSync } from "node:fs";

export const ADMIN = { login: "admin", password: "E2e-Admin-pass1!" };
export const FAKE = `http://127.0.0.1:${process.env.E2E_FAKE_PORT ?? "8788"}`;
export const PASSWORD = "Novel-app-1!";

export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/**
 * Collects console errors and uncaught page errors. Endpoints listed in `allow404` (not built on
 * this server yet) may answer 404 without failing the test.
 */
export function trackConsole(page: Page, allow404: RegExp[] = []) {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const url = msg.location()?.url ?? "";
    if (/Failed to load resource/.test(msg.text()) && allow404.some((re) => re.test(url))) return;
    errors.push(`${msg.text()} ${url}`.trim());
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  return {
    errors,
    expectNone: () => expect(errors, "console errors").toEqual([]),
  };
}

const SHOTS = "test-results/screens";
mkdirSync(SHOTS, { recursive: true });
export async function shot(page: Page, name: string) {
  // Let fonts, images and transitions settle so screenshots show the real thing.
  await page.evaluate(() => document.fonts?.ready).catch(() => {});
  // Full-page shots are taken from the top, so the sticky header sits where it belongs.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

export async function logIn(page: Page, login = ADMIN.login, password = ADMIN.password) {
  await page.goto("/login");
  await page.getByLabel("Username or e-mail").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
}

export async function signUp(page: Page, username: string) {
  await page.goto("/register");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("E-mail").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
}

/** Creates a story through the New story form and lands in its workspace. */
export async function createStory(page: Page, title: string, opts: { chapters?: number; words?: number; details?: string } = {}) {
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "New story" }).first().click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("What is it about?").fill(opts.details ?? "A lighthouse keeper's daughter finds letters that the sea keeps returning.");
  await page.getByLabel("Tags").fill("mystery, coastal");
  await page.getByLabel("Number of chapters").fill(String(opts.chapters ?? 3));
  await page.getByLabel("Words per chapter").fill(String(opts.words ?? 300));
  await page.getByRole("button", { name: "Create story" }).click();
  await expect(page).toHaveURL(/\/stories\/\d+\/cast$/);
  return Number(page.url().match(/stories\/(\d+)/)![1]);
}

export async function fake(path: string, body: unknown = {}) {
  const res = await fetch(`${FAKE}/__control/${path}`, { method: path === "requests" ? "GET" : "POST", headers: { "content-type": "application/json" }, body: path === "requests" ? undefined : JSON.stringify(body) });
  return res.json();
}

/** Waits until the story has no generation running (the step's Generate button is back). */
export async function waitIdle(page: Page, timeout = 60_000) {
  await expect(page.locator(".job-panel")).toHaveCount(0, { timeout });
}

export const info = (testInfo: TestInfo) => testInfo.title;
