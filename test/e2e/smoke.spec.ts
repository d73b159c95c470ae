import { expect, test } from "@playwright/test";

test("the app loads and the API is healthy", async ({ page, request }) => {
  expect((await request.get("/api/health")).ok()).toBe(true);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "NovelApp" })).toBeVisible();
});
