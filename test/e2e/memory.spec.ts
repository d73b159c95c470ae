// A book with memory in the browser (docs/MEMORY.md): a hybrid book written against the fake
// model, what the book remembers from a chapter shown in its editor, and a character edited while
// the book is being written marking the chapters of that run out of date.
import { expect, test } from "@playwright/test";
import { BASE, createStory, fake, logIn, shot, trackConsole } from "./helpers";

test("a hybrid book remembers its chapters, and a mid-run edit marks them out of date", async ({ page }) => {
  test.setTimeout(150_000);
  const console = trackConsole(page);
  await fake("reset");
  await fake("config", { chunkDelayMs: 300 });
  await logIn(page);
  const id = await createStory(page, "Remembered Tides", { chapters: 2, words: 300 });
  await page.getByRole("link", { name: "Write the whole book" }).click();

  // Three ways to write it, each with its price and time; planned seams is chosen.
  const modes = page.getByRole("group", { name: "How the chapters are written" });
  await expect(modes.getByRole("radio")).toHaveCount(3);
  await expect(modes.getByRole("radio", { name: /Planned seams/ })).toBeChecked();
  for (const mode of ["hybrid", "sequential", "parallel"]) await expect(page.getByTestId(`mode-${mode}`)).toHaveText(/credits .* · about \d+ (seconds|minutes)/);
  await expect(page.locator(".quote-table")).toContainText("Chapter contracts");
  await shot(page, "book-modes");
  await page.getByRole("button", { name: /^Write the whole book · / }).click();

  // While the chapters are being written, the author changes a character.
  await expect(page.locator(".stream").first()).toBeVisible({ timeout: 90_000 });
  const story = await (await page.request.get(`/api/stories/${id}`)).json();
  const [first, ...rest] = story.characters;
  // A write with the session cookie carries Origin, as the browser's own requests do.
  const res = await page.request.put(`/api/stories/${id}/meta`, {
    headers: { origin: BASE },
    data: { characters: [{ ...first, description: `${first.description} She is afraid of the sea.` }, ...rest], locations: story.locations },
  });
  expect(res.status()).toBe(200);
  await expect(page.getByText("Your book is written.")).toBeVisible({ timeout: 90_000 });
  await fake("config", { chunkDelayMs: 0 });

  // The chapters of that run were written against the cast as it was: out of date, and why.
  await page.goto(`/stories/${id}/chapters`);
  await expect(page.locator(".chapter-status .badge-warning", { hasText: "Out of date" })).toHaveCount(2);
  await expect(page.locator(".stale-reason").first()).toContainText("earlier version of the story");
  await shot(page, "chapters-stale");

  // A chapter shows what the book remembers from it.
  await page.getByRole("link", { name: "Edit chapter 1" }).click();
  const memory = page.getByRole("region", { name: "What the book remembers from this chapter" });
  await expect(memory).toBeVisible();
  await expect(memory.getByText("Ends")).toBeVisible();
  await expect(memory.getByText(/The ledger records CANARY-1-/)).toBeVisible();
  await expect(memory.getByText("Read by the model.")).toBeVisible();
  await shot(page, "chapter-memory");
  console.expectNone();
});
