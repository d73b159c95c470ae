// "Write the whole book": the quote first, then progress per stage with the chapters streaming
// in, then a complete book in the reader.
import { expect, test } from "@playwright/test";
import { createStory, fake, logIn, shot, trackConsole } from "./helpers";

test("the whole book in one run: quote, live progress, a complete book", async ({ page }) => {
  test.setTimeout(150_000);
  const console = trackConsole(page);
  await fake("reset");
  await fake("config", { chunkDelayMs: 250 });
  await logIn(page);
  const id = await createStory(page, "Whole Book at Once", { chapters: 2, words: 300 });
  await page.getByRole("link", { name: "Write the whole book" }).click();
  await expect(page).toHaveURL(new RegExp(`/stories/${id}/book$`));

  // The quote comes first.
  const quote = page.locator(".quote-table");
  await expect(quote).toContainText("Characters & places");
  await expect(quote).toContainText("Chapters");
  await expect(quote).toContainText("Cover");
  await expect(page.getByTestId("book-total")).toHaveText(/^[\d,]+ credits \+ \d+ image credits$/);
  await shot(page, "book-quote");

  await page.getByRole("button", { name: /^Write the whole book · / }).click();
  await expect(page.getByText("Writing your book…")).toBeVisible();
  await expect(page.locator(".stage-track-item.is-current")).toBeVisible();
  try {
    await expect(page.locator(".stream").first()).toBeVisible({ timeout: 90_000 });
  } catch (e) {
    // A stalled run: keep the job and its units with the report, to see where it stopped.
    const { jobs } = await (await page.request.get(`/api/stories/${id}/jobs`)).json();
    const job = jobs[0] ? await (await page.request.get(`/api/jobs/${jobs[0].id}`)).text() : "no job";
    await test.info().attach("job", { body: job, contentType: "application/json" });
    process.stderr.write(`stalled book job: ${job}\n`);
    throw e;
  }
  await shot(page, "book-progress");
  await expect(page.getByText("Your book is written.")).toBeVisible({ timeout: 90_000 });
  // A hybrid book, the default: contracts come between the arcs and the beats.
  await expect(page.locator(".stage-track-item.is-done")).toHaveCount(7);
  await shot(page, "book-done");
  await fake("config", { chunkDelayMs: 0 });

  await page.getByRole("link", { name: "Read the book" }).click();
  await expect(page.getByRole("img", { name: "Cover of Whole Book at Once" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Table of contents" }).getByRole("link")).toHaveCount(2);
  await page.getByRole("link", { name: "Start reading" }).click();
  await expect(page.locator(".prose.reading p").first()).toBeVisible();
  console.expectNone();
});
