// The author's whole path through the workspace, with the fake model: every stage, live results,
// editing and reordering, drafts kept across steps and against new results, a failed chapter
// retried, one chapter regenerated with instructions, revisions, and the reader.
import { expect, test } from "@playwright/test";
import { createStory, fake, logIn, shot, trackConsole } from "./helpers";

test("an author runs every stage, edits, reorders, regenerates a chapter and reads the book", async ({ page }) => {
  test.setTimeout(240_000);
  const console = trackConsole(page);
  await fake("reset");
  await logIn(page); // the seeded admin: a full book needs more than a new account's credits
  const id = await createStory(page, "The Salt Archive", { chapters: 3, words: 300 });
  const steps = page.getByRole("navigation", { name: "Story steps" });
  const step = (name: string) => steps.getByRole("link", { name: new RegExp(`^${name}`) }).click();

  // ---- Characters & places: generate, then edit a character and add a place
  await page.getByRole("button", { name: /^Generate characters & places · \d+ credits$/ }).click();
  const characters = page.getByRole("list", { name: "Characters" });
  await expect(characters.getByLabel("Name").first()).toHaveValue("Ada Quill");
  await expect(characters.getByRole("listitem")).toHaveCount(4);
  await characters.getByLabel("Description").first().fill("A lighthouse keeper's daughter who catalogues storms. Edited in the browser.");
  await page.getByRole("button", { name: "+ Add place" }).click();
  await page.keyboard.type("The Old Pier"); // the new place's name field has focus
  const places = page.getByRole("list", { name: "Places" });
  await places.getByRole("listitem").last().getByLabel("Description").fill("Rotten boards over black water.");
  await expect(steps.getByText("(unsaved changes)")).toHaveCount(1);
  await page.getByRole("button", { name: "Save characters & places" }).click();
  await expect(page.locator(".save-bar .save-state")).toHaveText("All changes saved");
  await expect(places.getByRole("listitem")).toHaveCount(4);
  await shot(page, "workspace-2-cast");

  // Reorder by dragging too (then throw the change away).
  await places.getByRole("listitem").nth(1).locator(".drag-handle").dragTo(places.getByRole("listitem").first());
  await expect(places.getByLabel("Name").first()).toHaveValue("Salt Archive");
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(places.getByLabel("Name").first()).toHaveValue("The Point Light");

  await step("Details");
  await expect(page.getByLabel("Title")).toHaveValue("The Salt Archive");
  await shot(page, "workspace-1-details");

  // ---- Outline: generate, reorder two chapters by keyboard, save with ids, check it persisted
  await step("Outline");
  await page.getByRole("button", { name: /^Generate outline · \d+ credits$/ }).click();
  const outline = page.getByRole("list", { name: "Chapters" });
  await expect(outline.getByLabel("Chapter 3 title")).toHaveValue("Low Tide 3");
  await page.getByRole("button", { name: "Move Chapter 2: Low Tide 2 up" }).focus();
  await page.keyboard.press("Enter");
  await expect(outline.getByLabel("Chapter 1 title")).toHaveValue("Low Tide 2");
  await expect(outline.getByLabel("Chapter 2 title")).toHaveValue("Low Tide 1");
  await expect(page.getByRole("button", { name: "Move Chapter 1: Low Tide 2 down" })).toBeFocused();
  await page.getByRole("button", { name: "Save outline" }).click();
  await expect(page.locator(".save-bar .save-state")).toHaveText("All changes saved");
  await page.reload();
  await expect(outline.getByLabel("Chapter 1 title")).toHaveValue("Low Tide 2");

  // An unsaved outline edit survives a trip to another step.
  await outline.getByLabel("Chapter 3 title").fill("Low Tide 3, draft");
  await step("Arcs");
  await expect(page.getByText("Unsaved changes in Outline")).toBeVisible();

  // ---- Arcs: generate; then edit, regenerate, and see the edit kept until we load the new version
  await page.getByRole("button", { name: /^Generate arcs · \d+ credits$/ }).click();
  await expect(page.getByRole("textbox", { name: "Arc 1", exact: true })).toHaveValue("Ada learns to trust what she cannot measure.");
  await page.getByRole("textbox", { name: "Arc 1", exact: true }).fill("My own arc, not saved yet.");
  await page.getByRole("button", { name: /^Regenerate arcs · \d+ credits$/ }).click();
  await expect(page.getByText("New arcs arrived while you were editing.")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Arc 1", exact: true })).toHaveValue("My own arc, not saved yet.");
  await shot(page, "workspace-4-arcs");
  await page.getByRole("button", { name: "Load the new version" }).click();
  await expect(page.getByRole("textbox", { name: "Arc 1", exact: true })).toHaveValue("Ada learns to trust what she cannot measure.");

  await step("Outline");
  await expect(outline.getByLabel("Chapter 3 title")).toHaveValue("Low Tide 3, draft");
  await shot(page, "workspace-3-outline");
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(outline.getByLabel("Chapter 3 title")).toHaveValue("Low Tide 3");

  // ---- Beats for every chapter, shown live
  await step("Beats");
  await page.getByRole("button", { name: /^Generate beats for all chapters · \d+ credits$/ }).click();
  await expect(page.getByText("3 of 3 chapters have beats")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("textbox", { name: "Beat 1", exact: true }).first()).toHaveValue(/^Beat 1:/);
  await shot(page, "workspace-5-beats");

  // ---- Chapters: one fails (injected), its error shows where it happened, Retry writes it
  await step("Chapters");
  await fake("faults", { kind: "status", status: 400, match: '"stream":true', times: 1 });
  await fake("config", { chunkDelayMs: 250 });
  await page.getByRole("button", { name: /^Write all chapters · \d+ credits$/ }).click();
  await expect(page.locator(".stream").first()).toBeVisible({ timeout: 30_000 }); // prose streams in
  await shot(page, "workspace-6-chapters-streaming");
  await expect(page.getByText("Generating chapters finished with failures.")).toBeVisible({ timeout: 60_000 });
  await expect(page.locator(".chapter-row .notice-error")).toHaveCount(1);
  await expect(page.getByText(/Written · \d+ words/)).toHaveCount(2);
  await page.getByRole("button", { name: "Retry failed parts" }).click();
  await expect(page.getByText(/Written · \d+ words/)).toHaveCount(3, { timeout: 60_000 });
  await expect(page.locator(".chapter-row .notice-error")).toHaveCount(0);
  await fake("config", { chunkDelayMs: 0 });
  await shot(page, "workspace-6-chapters");

  // ---- Images: the cover and one chapter's picture
  await step("Images");
  await page.getByLabel("Cover prompt").fill("A white lighthouse at dusk, oil on canvas");
  await page.getByRole("button", { name: /^Generate cover · \d+ image credits$/ }).click();
  await expect(page.getByRole("img", { name: "Cover of The Salt Archive" })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: /^Generate image for chapter 1/ }).click();
  await expect(page.getByRole("img", { name: "Illustration for chapter 1" })).toBeVisible({ timeout: 30_000 });
  await shot(page, "workspace-7-images");

  // ---- Chapter editor: autosave, sanitised preview, regenerate with instructions, restore
  await step("Chapters");
  await page.getByRole("link", { name: "Edit chapter 1" }).click();
  const text = page.getByLabel("Chapter text (Markdown)");
  await expect(text).toHaveValue(/\w{3,}/);
  await text.press("Control+End");
  await text.pressSequentially("\n\n*An edit from the browser.* <img src=x onerror=alert(1)>");
  await expect(page.getByText(/^Saved at/)).toBeVisible({ timeout: 10_000 });
  await page.getByRole("button", { name: "Side by side" }).click();
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.locator("em", { hasText: "An edit from the browser." })).toBeVisible();
  await expect(preview).toContainText("<img src=x onerror=alert(1)>");
  await expect(preview.locator("img")).toHaveCount(0);
  await shot(page, "chapter-editor");

  await page.getByLabel("Instructions (optional)").fill("End on a cliffhanger at the pier.");
  await page.getByRole("button", { name: /^Rewrite chapter · \d+ credits$/ }).click();
  await expect(page.getByText("The new version is loaded. The previous one is in the history.")).toBeVisible({ timeout: 60_000 });
  await expect(text).not.toHaveValue(/An edit from the browser/);
  const { requests } = (await fake("requests")) as { requests: { body: { messages?: { content: string }[] } }[] };
  expect(requests.some((r) => JSON.stringify(r.body.messages ?? []).includes("End on a cliffhanger at the pier."))).toBe(true);

  await page.getByRole("button", { name: "History" }).click();
  await expect(page.locator(".revision").first()).toContainText("Edited");
  await page.getByRole("button", { name: /^Restore the version of/ }).first().click();
  await page.getByRole("button", { name: "Restore", exact: true }).click();
  await expect(text).toHaveValue(/An edit from the browser/);
  await shot(page, "chapter-editor-history");

  // ---- Reader: cover, contents, chapter image, reading position remembered
  await page.goto(`/stories/${id}/read`);
  await expect(page.getByRole("img", { name: "Cover of The Salt Archive" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Table of contents" }).getByRole("link")).toHaveCount(3);
  await shot(page, "reader-contents");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download Markdown" }).click();
  expect((await download).suggestedFilename()).toBe("The Salt Archive.md");
  await page.getByRole("link", { name: "Start reading" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Low Tide 2" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Illustration for chapter 1" })).toBeVisible();
  await expect(page.locator(".prose.reading p").first()).toBeVisible();
  await shot(page, "reader-chapter");
  await page.getByRole("link", { name: "Chapter 2 →" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Low Tide 1" })).toBeVisible();
  await expect(page.locator(".prose.reading p").first()).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 500 });
  await page.locator(".prose.reading").hover();
  await page.mouse.wheel(0, 300);
  await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(100);
  await page.waitForTimeout(400); // the position is saved 200 ms after scrolling stops
  await page.goto(`/stories/${id}/read`);
  await page.getByRole("link", { name: "Continue reading: chapter 2" }).click();
  await expect(page).toHaveURL(new RegExp(`/stories/${id}/read/2$`));
  await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(100);

  // The same screens in the dark theme, picked with the header's toggle.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole("button", { name: /^Colour theme: system/ }).click(); // → light
  await page.getByRole("button", { name: /^Colour theme: light/ }).click(); // → dark
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await shot(page, "reader-chapter-dark");
  await page.goto(`/stories/${id}/chapters`);
  await expect(page.getByText(/Written · \d+ words/)).toHaveCount(3);
  await shot(page, "workspace-6-chapters-dark");
  await page.goto(`/stories/${id}/beats`);
  await expect(page.getByRole("textbox", { name: "Beat 1", exact: true }).first()).toBeVisible();
  await shot(page, "workspace-5-beats-dark");

  console.expectNone();
});
