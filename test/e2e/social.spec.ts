// Sharing and moderation as people meet them: a reader finds a shared story in
// Explore, favourites it and comments, and its author hears of it live; an admin curates the
// spotlight, posts news, reads feedback, moderates comments and tags; five reports take a story
// out of Explore until an admin unflags it. Users and stories are made through the API.
import { expect, test } from "@playwright/test";
import { ageAccounts, apiUser, logIn, shareStory, shot, trackConsole, unique, watchSockets } from "./helpers";

test("a reader finds a shared story, favourites it and comments; an admin curates", async ({ page: admin, browser }) => {
  test.setTimeout(90_000);
  const title = unique("The Salt Archive ");
  const tag = unique("saltwater").toLowerCase();
  const author = await apiUser("author");
  const id = await shareStory(author.api, title, [tag, "coastal"]);
  const reader = await apiUser("reader");

  // ---- The author reads their own story: counts, but nothing to favourite or report.
  const own = await author.open(browser);
  const ownConsole = trackConsole(own);
  const sockets = await watchSockets(own);
  await own.goto(`/stories/${id}/read`);
  await expect(own.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(own.getByTestId("favorites-count")).toHaveText("0 favourites");
  await expect(own.getByText("No comments yet.")).toBeVisible();
  await expect(own.getByRole("button", { name: "Favourite" })).toHaveCount(0);
  await expect(own.getByRole("button", { name: /Report/ })).toHaveCount(0);
  await expect.poll(sockets.open).toBe(1);

  // ---- A reader finds it in Explore: by search, then by tag.
  const page = await reader.open(browser);
  const console = trackConsole(page);
  await page.goto("/dashboard");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Explore" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Explore" })).toBeVisible();
  const card = page.locator(".explore-results .story-card").filter({ hasText: title });
  await page.getByRole("searchbox", { name: "Search" }).fill(title);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\/explore\?q=/);
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(`by ${author.username}`);
  await expect(card).toContainText("1 of 2 chapters written");
  await expect(page.getByRole("status").filter({ hasText: /^1 story$/ })).toBeVisible();

  await page.getByRole("searchbox", { name: "Search" }).fill("");
  await page.getByLabel("Tag", { exact: true }).fill(tag);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByRole("list", { name: "Tag filters" })).toContainText(tag);
  await expect(card).toHaveCount(1);
  // Another tag with it narrows the list to stories with both; taking it off widens it again.
  await card.getByRole("button", { name: "Show stories tagged coastal" }).click();
  await expect(page.getByRole("list", { name: "Tag filters" }).getByRole("listitem")).toHaveCount(2);
  await expect(card).toHaveCount(1);
  await page.getByRole("button", { name: "Remove tag filter coastal" }).click();
  await expect(page.getByRole("list", { name: "Tag filters" }).getByRole("listitem")).toHaveCount(1);

  // ---- It opens in the reader: favourite it (the count goes up), comment on it.
  await card.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/stories/${id}/read$`));
  await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
  const favourite = page.getByRole("button", { name: "Favourite" });
  await expect(favourite).toHaveAttribute("aria-pressed", "false");
  await favourite.click();
  await expect(favourite).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("favorites-count")).toHaveText("1 favourite");
  await expect(favourite).toBeFocused();

  const comment = "The second letter made me cry. Is the keeper's daughter the one writing them?";
  await page.getByLabel("Add a comment").fill(comment);
  await page.getByRole("button", { name: "Post comment" }).click();
  const comments = page.getByRole("list", { name: "Comments, newest first" }).getByRole("listitem");
  await expect(comments).toHaveCount(1);
  await expect(comments.first()).toContainText(comment);
  await expect(page.getByLabel("Add a comment")).toHaveValue("");
  // Their own comment: edit it in place.
  await comments.first().getByRole("button", { name: "Edit your comment" }).click();
  const editor = page.getByRole("textbox", { name: "Your comment" });
  await expect(editor).toBeFocused();
  await editor.fill(`${comment} (Chapter two, I mean.)`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(comments.first()).toContainText("(edited)");
  await expect(comments.first().getByRole("button", { name: "Edit your comment" })).toBeFocused();
  await shot(page, "reader-comments");

  // ---- The author is told at once, and their open reader shows the comment.
  await expect(own.getByText(`${reader.username} commented on "${title}"`)).toBeVisible();
  await expect(own.locator(".comment")).toContainText(comment);
  ownConsole.expectNone();

  // ---- The favourite is on the reader's dashboard.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My stories" }).click();
  await expect(page.getByRole("region", { name: "Favourites" }).getByRole("link", { name: title })).toBeVisible();

  // ---- The reader sends feedback from the footer.
  const feedback = unique("Explore could remember my last search ");
  await page.getByRole("contentinfo").getByRole("link", { name: "Send feedback" }).click();
  await page.getByLabel("Your message").fill(feedback);
  await page.getByRole("button", { name: "Send feedback" }).click();
  await expect(page.getByText("Thank you for your feedback!")).toBeVisible();

  // ---- An admin puts the story in the spotlight…
  await logIn(admin);
  const adminConsole = trackConsole(admin);
  await admin.goto("/admin/stories");
  await admin.getByRole("searchbox", { name: "Search stories" }).fill(title);
  await admin.getByRole("button", { name: "Search", exact: true }).click();
  const row = admin.getByRole("row").filter({ hasText: title });
  await expect(row).toHaveCount(1);
  const spotlight = row.getByRole("button", { name: `Spotlight ${title}` });
  await expect(spotlight).toHaveAttribute("aria-pressed", "false");
  await spotlight.click();
  await expect(spotlight).toHaveAttribute("aria-pressed", "true");
  await expect(row.locator(".badge-info")).toHaveText("spotlight");

  // …and readers see it in Explore's spotlight strip.
  await page.goto("/explore");
  await expect(page.getByRole("region", { name: "Spotlight" }).getByRole("link", { name: title })).toBeVisible();
  await expect(page.locator(".explore-results .story-card").filter({ hasText: title })).toContainText("In your favourites");
  await shot(page, "explore");

  // ---- News: posted in the console, on every dashboard.
  const news = unique("Explore is open ");
  await admin.getByRole("link", { name: "News", exact: true }).click();
  await admin.getByLabel("Title", { exact: true }).fill(news);
  await admin.getByLabel("Text", { exact: true }).fill("Read what other authors share, **favourite** what you love and tell them in the comments.");
  await admin.getByRole("button", { name: "Post news" }).click();
  const newsRow = admin.getByRole("row").filter({ hasText: news });
  await expect(newsRow).toContainText("published");
  await shot(admin, "admin-news");
  await page.goto("/dashboard");
  const panel = page.getByRole("complementary", { name: "News" });
  await expect(panel.getByRole("heading", { name: news })).toBeVisible();
  await expect(panel.locator("strong")).toHaveText("favourite");
  await shot(page, "dashboard-social");
  // Unpublished, it leaves the dashboards.
  await newsRow.getByRole("button", { name: `Unpublish ${news}` }).click();
  await expect(newsRow).toContainText("draft");
  await page.reload();
  await expect(page.getByRole("region", { name: "Favourites" })).toBeVisible();
  await expect(page.getByRole("heading", { name: news })).toHaveCount(0);

  // ---- Feedback reaches the console.
  await admin.getByRole("link", { name: "Feedback", exact: true }).click();
  await expect(admin.getByRole("row").filter({ hasText: feedback })).toContainText(reader.username);
  await shot(admin, "admin-feedback");

  // ---- Tags: the story's tag with its count; add, rename and delete one.
  await admin.getByRole("link", { name: "Tags", exact: true }).click();
  await admin.getByRole("searchbox", { name: "Search tags" }).fill(tag);
  await admin.getByRole("button", { name: "Search", exact: true }).click();
  await expect(admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: tag, exact: true }) })).toContainText("1");
  await admin.getByRole("searchbox", { name: "Search tags" }).fill("");
  await admin.getByRole("button", { name: "Search", exact: true }).click();
  const fresh = unique("lighthouses");
  await admin.getByLabel("Name", { exact: true }).fill(fresh);
  await admin.getByRole("button", { name: "Add tag" }).click();
  await admin.getByRole("button", { name: `Rename tag ${fresh}` }).click();
  await expect(admin.locator("tr.subrow").getByLabel("Name")).toBeFocused();
  await admin.locator("tr.subrow").getByLabel("Name").fill(`${fresh}-at-night`);
  await admin.locator("tr.subrow").getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("rowheader", { name: `${fresh}-at-night`, exact: true })).toBeVisible();
  await shot(admin, "admin-tags");
  await admin.getByRole("button", { name: `Delete tag ${fresh}-at-night` }).click();
  await admin.getByRole("button", { name: "Yes, delete" }).click();
  await expect(admin.getByRole("rowheader", { name: `${fresh}-at-night`, exact: true })).toHaveCount(0);
  await expect(admin.getByRole("heading", { level: 2, name: "Tags" })).toBeFocused();

  // ---- An admin removes a comment on someone else's story.
  await admin.goto(`/stories/${id}/read#comments`);
  await expect(admin.getByRole("heading", { level: 2, name: /^Comments/ })).toBeFocused();
  await admin.getByRole("button", { name: `Delete comment by ${reader.username}` }).click();
  await admin.getByRole("button", { name: "Yes, delete" }).click();
  await expect(admin.getByText("No comments yet.")).toBeVisible();

  // ---- On a phone, Explore, the reader and the dashboard fit the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, name] of [["/explore", "explore-phone"], [`/stories/${id}/read`, "reader-phone"], ["/dashboard", "dashboard-phone"]] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle"); // the spotlight, comments and favourites are in
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    await shot(page, name);
  }

  console.expectNone();
  adminConsole.expectNone();
});

test("five trusted readers report a story: it leaves Explore, shows as flagged, and an admin unflags it", async ({ page: admin, browser }) => {
  test.setTimeout(60_000);
  const title = unique("Harbour Lights ");
  const author = await apiUser("harbour");
  const id = await shareStory(author.api, title, ["harbour"]);
  const reporters = [];
  // Reports count from accounts older than a day, one per address.
  for (let i = 0; i < 5; i++) reporters.push(await apiUser("reporter", { ip: `198.51.100.${i + 1}` }));
  ageAccounts(reporters.map((r) => r.username));

  // The first reports in the reader: a reason, a confirmation, and a way back.
  const page = await reporters[0]!.open(browser);
  const console = trackConsole(page);
  await page.goto(`/stories/${id}/read`);
  await page.getByRole("button", { name: "Report…" }).click();
  await expect(page.getByLabel("What is wrong with it? (optional)")).toBeFocused();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Report…" })).toBeFocused();
  await page.getByRole("button", { name: "Report…" }).click();
  await page.getByLabel("What is wrong with it? (optional)").fill("Copied word for word from a published novel.");
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("You reported this story.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Withdraw report" })).toBeFocused();
  await page.getByRole("button", { name: "Withdraw report" }).click();
  await expect(page.getByRole("button", { name: "Report…" })).toBeFocused();
  await page.getByRole("button", { name: "Report…" }).click();
  await page.getByLabel("What is wrong with it? (optional)").fill("Copied word for word from a published novel.");
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("You reported this story.")).toBeVisible();

  // Four more readers report it (through the API): the fifth report hides it.
  for (const r of reporters.slice(1)) {
    const res = await r.api.post(`/api/stories/${id}/flag`, { data: { reason: "Spam" } });
    expect(res.ok(), await res.text()).toBe(true);
  }
  await page.goto(`/explore?q=${encodeURIComponent(title)}`);
  await expect(page.getByText("No stories match")).toBeVisible();
  await page.getByRole("button", { name: "Clear search and tags" }).click();
  await expect(page).toHaveURL(/\/explore$/);
  await expect(page.locator(".story-card").filter({ hasText: title })).toHaveCount(0);

  // The console lists it as flagged, with the reasons; putting its author under review is the admin's call.
  await logIn(admin);
  const adminConsole = trackConsole(admin);
  await admin.goto("/admin/stories");
  await admin.getByLabel("Show", { exact: true }).selectOption({ label: "Flagged" });
  const row = admin.getByRole("row").filter({ hasText: title });
  await expect(row.locator(".badge-error")).toHaveText("flagged");
  await expect(row).not.toContainText("author under review");
  await expect(row).toContainText("Copied word for word from a published novel.");
  await expect(row.getByRole("cell").nth(1)).toHaveText("5");
  await expect(row.getByRole("button", { name: `Spotlight ${title}` })).toBeDisabled();
  await shot(admin, "admin-stories");

  await row.getByRole("button", { name: `Unflag ${title}` }).click();
  await expect(row.locator(".badge-error")).toHaveCount(0);
  await expect(row).not.toContainText("author under review");
  await expect(row.getByRole("link", { name: title })).toBeFocused();
  await expect(row.getByRole("cell").nth(1)).toHaveText("0");
  console.expectNone();
  adminConsole.expectNone();
});
