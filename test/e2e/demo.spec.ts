// The acceptance check of the client issue: a brand-new author (500 free credits) writes a whole
// short book in the browser with the built-in demo model, on the second Worker that
// playwright.config.ts starts with no API key.
import { expect, test } from "@playwright/test";

test.use({ baseURL: `http://127.0.0.1:${process.env.E2E_DEMO_PORT ?? "8785"}` });
import { createStory, shot, signUp, trackConsole, unique } from "./helpers";

test("a new author writes a short book with the demo model", async ({ page }) => {
  test.setTimeout(240_000);
  const console = trackConsole(page);
  await signUp(page, unique("demo"));
  await createStory(page, "Demo Book", { chapters: 2, words: 300 });
  await page.getByRole("link", { name: "Write the whole book" }).click();
  await expect(page.getByTestId("book-total")).toHaveText(/credits/);
  // 500 free credits do not cover the recommended way for this book, but do cover another: it is chosen for them.
  await expect(page.getByTestId("mode-moved")).toBeVisible();
  await expect(page.getByRole("radio", { name: /^One chapter after another/ })).toBeChecked();
  await shot(page, "demo-quote");
  await page.getByRole("button", { name: /^Write the whole book · / }).click();
  await expect(page.getByText("Your book is written.").or(page.getByText("Finished with problems."))).toBeVisible({ timeout: 200_000 });
  await shot(page, "demo-done");
  await expect(page.getByText("Your book is written.")).toBeVisible();
  await page.getByRole("link", { name: "Read the book" }).click();
  await page.getByRole("link", { name: "Start reading" }).click();
  await shot(page, "demo-reader");
  console.expectNone();
});
