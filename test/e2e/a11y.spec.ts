// Accessibility of the main screens, checked by axe-core in Chromium (WCAG 2.1 A and AA rules):
// labels, names, roles, landmarks, contrast in light and dark. A story with a cast, arcs, beats
// and a written chapter is made through the API so every step has something to show.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { apiUser, logIn, openScreen, shareStory, unique } from "./helpers";

async function audit(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

test("the main screens pass axe in light and dark", async ({ page: visitor, browser }) => {
  test.setTimeout(300_000); // about forty audits of a few seconds each
  const author = await apiUser("a11y");
  const id = await shareStory(author.api, unique("Accessible Tides "), ["sea"]);
  const put = async (path: string, data: unknown) => expect((await author.api.put(path, { data })).ok()).toBe(true);
  await put(`/api/stories/${id}/meta`, {
    characters: [{ name: "Marguerite", description: "A lighthouse keeper's daughter.", exampleDialogue: "\"The sea never lies.\"" }],
    locations: [{ name: "The Lighthouse", description: "White, cracked, leaning." }],
  });
  await put(`/api/stories/${id}/arcs`, { arcs: ["Marguerite learns who writes the letters."] });
  const { chapters } = await (await author.api.get(`/api/stories/${id}`)).json();
  await put(`/api/stories/${id}/chapters/${chapters[0].id}/guide`, { parts: [{ text: "She finds the letter.", characters: ["Marguerite"], locations: ["The Lighthouse"] }] });

  const found: string[] = [];
  for (const path of ["/", "/register", "/login", "/forgot"]) {
    await openScreen(visitor, path);
    found.push(...(await audit(visitor, path)));
  }

  const page = await author.open(browser);
  const screens = [
    "/dashboard",
    "/explore",
    "/stories/new",
    // "book" holds the continuity report (its chart and table); the chapter editor, its findings.
    ...["details", "cast", "outline", "arcs", "beats", "chapters", "images", "book"].map((s) => `/stories/${id}/${s}`),
    `/stories/${id}/chapters/${chapters[0].id}`,
    `/stories/${id}/read`,
    `/stories/${id}/read/1`,
    "/profile",
    "/billing",
    "/feedback",
  ];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of screens) {
      await openScreen(page, path);
      await page.waitForLoadState("networkidle");
      found.push(...(await audit(page, `${scheme} ${path}`)));
    }
    // A continuity fix opened: the short chapter's "Expand" shows its instructions and price.
    await page.goto(`/stories/${id}/chapters/${chapters[0].id}`);
    const findings = page.getByRole("region", { name: "Continuity", exact: true });
    await findings.getByRole("button", { name: "Expand" }).click();
    await expect(findings.getByLabel("Instructions for the rewrite")).toBeFocused();
    await page.waitForLoadState("networkidle");
    found.push(...(await audit(page, `${scheme} chapter with a continuity fix open`)));
  }

  const admin = visitor;
  await logIn(admin);
  for (const section of ["pricing", "users", "generations", "analytics", "site", "roles", "packages", "stories", "tags", "news", "feedback"]) {
    await admin.goto(`/admin/${section}`);
    await expect(admin.getByRole("heading", { level: 2 })).toBeVisible();
    await admin.waitForLoadState("networkidle");
    found.push(...(await audit(admin, `admin ${section}`)));
  }
  expect(found, found.join("\n")).toEqual([]);
});
