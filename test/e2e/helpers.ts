// Shared helpers for the browser tests: sign-in, screenshots, console-error tracking, users and
// stories made through the API, and the fake model server's control API.
import { expect, request, type APIRequestContext, type Browser, type Page, type TestInfo } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";

export const ADMIN = { login: "admin", password: "E2e-Admin-pass1!" };
export const FAKE = `http://127.0.0.1:${process.env.E2E_FAKE_PORT ?? "8788"}`;
export const PASSWORD = "Novel-app-1!";
/** The Worker under test, for requests made outside a page (playwright.config's baseURL). */
export const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? "8787"}`;

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

const inFlight = new WeakMap<Page, Set<string>>();
/**
 * Opens `path` and waits for its page heading. When the heading does not come, the failure says
 * what the tab showed and which requests were still unanswered, so a hang is told from a bug.
 */
export async function openScreen(page: Page, path: string) {
  if (!inFlight.has(page)) {
    const open = new Set<string>();
    inFlight.set(page, open);
    page.on("request", (r) => open.add(`${r.method()} ${r.url()}`));
    for (const done of ["requestfinished", "requestfailed"] as const) page.on(done, (r) => open.delete(`${r.method()} ${r.url()}`));
  }
  await page.goto(path);
  try {
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  } catch (e) {
    const shown = (await page.locator("main").innerText().catch(() => "(no main)")).slice(0, 300);
    const pending = [...inFlight.get(page)!].join(", ") || "none";
    throw new Error(`${path}: no page heading. The tab showed ${JSON.stringify(shown)}; requests unanswered: ${pending}\n${(e as Error).message}`);
  }
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

/** A user signed up through the API (faster than the form), with their own cookies. */
export type ApiUser = {
  username: string;
  api: APIRequestContext;
  /** A new browser tab signed in as this user, in a context of its own. */
  open: (browser: Browser) => Promise<Page>;
};

export async function apiUser(prefix: string, opts: { ip?: string } = {}): Promise<ApiUser> {
  const username = unique(prefix);
  // A client address of their own (the Worker reads CF-Connecting-IP), for the API and their tabs.
  const ip: Record<string, string> = opts.ip ? { "cf-connecting-ip": opts.ip } : {};
  // A browser sends Origin with every unsafe request; the API refuses a cookie without it.
  const api = await request.newContext({ baseURL: BASE, extraHTTPHeaders: { origin: BASE, ...ip } });
  const res = await api.post("/api/auth/register", { data: { username, email: `${username}@example.com`, password: PASSWORD } });
  expect(res.status(), await res.text()).toBe(201);
  return {
    username,
    api,
    open: async (browser) => (await browser.newContext({ baseURL: BASE, storageState: await api.storageState(), extraHTTPHeaders: ip })).newPage(),
  };
}

/** Runs SQL on the local D1 of the server under test (arrangements the API rightly refuses). */
export function d1(sql: string) {
  const state = process.env.E2E_STATE ?? ".e2e-state";
  const r = spawnSync("npx", ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", state, "--command", sql], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  expect(r.status, r.stderr).toBe(0);
}

/** Makes accounts two days older (reports count only from accounts older than a day). */
export function ageAccounts(usernames: string[]) {
  const list = usernames.map((u) => `'${u.replace(/'/g, "''")}'`).join(", ");
  d1(`UPDATE users SET created_at = created_at - 172800000 WHERE username IN (${list})`);
}

/** Creates a shared story with two planned chapters, the first written, through the API. */
export async function shareStory(api: APIRequestContext, title: string, tags: string[], details = "Letters wash up in a coastal town, one a day."): Promise<number> {
  const ok = async (p: Promise<{ ok(): boolean; text(): Promise<string>; json(): Promise<any> }>) => {
    const res = await p;
    expect(res.ok(), await res.text()).toBe(true);
    return res.json();
  };
  const { story, chapters } = await ok(api.post("/api/stories", { data: { title, details, tags, chaptersCount: 2, targetChapterWords: 300, shared: true } }));
  const [first, second] = chapters as { id: number }[];
  await ok(
    api.put(`/api/stories/${story.id}/outline`, {
      data: { chapters: [{ id: first!.id, title: "The First Letter", summary: "A letter arrives." }, { id: second!.id, title: "The Second Letter", summary: "Another one." }] },
    }),
  );
  await ok(api.patch(`/api/stories/${story.id}/chapters/${first!.id}`, { data: { content: "The sea returned the letter at dawn, folded twice and dry as bone." } }));
  return story.id;
}

/** Keeps a handle on the page's WebSockets: call before the page loads, then poll `open()` or `cut()` them. */
export async function watchSockets(page: Page) {
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    const sockets: WebSocket[] = [];
    (window as unknown as { __sockets: WebSocket[] }).__sockets = sockets;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  return {
    open: () => page.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.filter((w) => w.readyState === 1).length),
    /** Cuts every live connection, as a network drop would. */
    cut: () => page.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.forEach((w) => w.close())),
  };
}
