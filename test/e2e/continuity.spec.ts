// The continuity report in the browser (docs/CONTINUITY.md). A three-chapter book with planted
// faults is made through the API: a stranger nobody listed ("Quillon Marsh") and a "Dr. Penhallow"
// in chapter 1, a nickname ("Addy") and a beat the text never tells in chapter 2, and in chapter
// 3 a paragraph copied from chapter 1 in a chapter far too short. The author sees the counts on
// every chapter, opens a chapter, finds the quoted words in the text, and fixes or dismisses
// each finding; the book report shows the figures per chapter.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { apiUser, fake, shot, trackConsole, unique, waitIdle } from "./helpers";

const CH1 = `Ada Lowe kept the ledger of the Salt Archive, and in eleven years she had never missed a day. She liked the work because it was quiet, and because the sea, which took so much from the town, sometimes gave a little back.

That morning a stranger was waiting on the step before the doors were open. He said his name was Quillon Marsh, and that he had come about the letters. His coat was soaked through at the shoulders, and he held his hat in both hands as if he were afraid it might blow away.

Ada let Quillon Marsh in out of the rain and gave him the chair by the stove. Bram Tully watched him from behind the counter and said nothing at all, which was unlike him. The kettle ticked as it warmed. Outside, the gulls complained to one another along the harbour wall.

Quillon Marsh asked to see every letter that had washed up since the spring. He did not say why, and Ada did not ask. She brought out the boxes one at a time and set them on the long table, and he read each letter twice, moving his lips, before he put it back exactly where it had been.

When he had gone, Bram asked what the man had wanted. Ada said she did not know, and that she did not much like not knowing. She wrote his name in the ledger anyway, under the date, in the neat hand her mother had taught her.

Later, Dr. Penhallow came by with the post, as he did every Tuesday, and stayed for a cup of tea. He listened to the story of the stranger with his head on one side. Then he said that he had heard the name before, a long time ago, and that it had not been a happy story then either.`;

const CH2 = `Bram Tully opened the archive early, before the fog had lifted from the quay. He liked the hour before anyone came, when the rooms still smelled of cold paper and lamp oil and the floorboards had not yet begun to creak.

He was sorting the week's finds when the door opened and Ada Lowe came in with a parcel under her arm. Rain had beaded on her coat and in her hair. She set the parcel on the counter and untied the string with quick, careful fingers.

Inside was a bundle of letters, tied with a ribbon that had once been blue. The paper was swollen with salt, and the ink had run in long pale streaks, but a few words could still be read. Bram leaned closer. One of the letters was addressed to the archive itself.

"Found them under the pier at low water," Addy said. "All together, as if someone had dropped them there on purpose."

Bram turned the top letter over in his hands. The seal on the back was broken, but he knew the shape of it. He had seen it on the stranger's ring, the day before, when the man had reached for his hat.

They spent the morning drying the letters one by one on a line strung across the back room. Neither of them spoke much. The fog thinned and lifted, and by noon the harbour was bright and loud again, full of boats and shouting.

When the last letter was hung, Addy sat down on the bench and closed her eyes. Bram brought her tea without being asked. He thought, not for the first time, that the sea was a poor postman, and an honest one.`;

const CH3 = `The wind turned in the night and brought the smell of weed and rain up from the flats.

When he had gone, Bram asked what the man had wanted. Ada said she did not know, and that she did not much like not knowing. She wrote his name in the ledger anyway, under the date, in the neat hand her mother had taught her.

By morning the lamps along the quay had all gone out, and nobody could say who had put them out.`;

const BOTH = ["Ada Lowe", "Bram Tully"];
const CAST = [
  { name: "Ada Lowe", description: "Keeps the ledger of the Salt Archive.", exampleDialogue: "" },
  { name: "Bram Tully", description: "Her clerk, who says little.", exampleDialogue: "" },
];
const PLACES = [{ name: "The Salt Archive", description: "Where the town keeps what the sea returns." }];
const CHAPTERS = [
  {
    title: "The Stranger",
    prose: CH1,
    beats: [
      { text: "A stranger waits on the step of the archive and asks to read every letter the sea returned.", characters: BOTH, locations: ["The Salt Archive"] },
      { text: "Ada writes the stranger's name in the ledger.", characters: BOTH, locations: [] },
    ],
  },
  {
    title: "Fog",
    prose: CH2,
    beats: [
      { text: "Ada brings a bundle of letters found under the pier.", characters: BOTH, locations: [] },
      { text: "Bram recognises the broken seal from the stranger's ring.", characters: ["Bram Tully"], locations: [] },
      { text: "A lighthouse keeper rows out to the wreck at midnight.", characters: ["Bram Tully"], locations: [] },
    ],
  },
  { title: "Lamps", prose: CH3, beats: [{ text: "The lamps along the quay go out in the night.", characters: BOTH, locations: [] }] },
];

/** The planted book, shared so that other readers can open it too. */
async function plantedBook(api: APIRequestContext) {
  const ok = async (p: Promise<{ ok(): boolean; text(): Promise<string>; json(): Promise<any> }>) => {
    const res = await p;
    expect(res.ok(), await res.text()).toBe(true);
    return res.json();
  };
  const title = unique("Letters from the Tide ");
  const { story, chapters } = await ok(
    api.post("/api/stories", { data: { title, details: "The sea returns letters to a coastal town.", tags: ["sea"], chaptersCount: 3, targetChapterWords: 300, shared: true } }),
  );
  const id: number = story.id;
  const ids: number[] = chapters.map((c: { id: number }) => c.id);
  await ok(api.put(`/api/stories/${id}/meta`, { data: { characters: CAST, locations: PLACES } }));
  await ok(api.put(`/api/stories/${id}/outline`, { data: { chapters: CHAPTERS.map((c, i) => ({ id: ids[i], title: c.title, summary: `Chapter ${i + 1} of the letters.` })) } }));
  for (const [i, c] of CHAPTERS.entries()) {
    await ok(api.put(`/api/stories/${id}/chapters/${ids[i]}/guide`, { data: { parts: c.beats } }));
    await ok(api.patch(`/api/stories/${id}/chapters/${ids[i]}`, { data: { content: c.prose } }));
  }
  return { id, title, ids };
}

const badge = (scope: ReturnType<Page["locator"]>, name: string) => scope.getByRole("img", { name, exact: true });

test("an author sees every chapter's findings, finds the quoted words, and adds, dismisses and renames", async ({ browser }) => {
  test.setTimeout(150_000);
  const author = await apiUser("cont");
  const { id, title, ids } = await plantedBook(author.api);
  const page = await author.open(browser);
  const console = trackConsole(page);

  // ---- The book report: a row per chapter with its figures and counts, a chart, the totals.
  await page.goto(`/stories/${id}/book`);
  const report = page.getByRole("region", { name: "Continuity report" });
  const row = (n: number) => report.locator(`tr[data-chapter-id="${ids[n - 1]}"]`);
  await expect(report.getByTestId("report-summary")).toHaveText("3 of 3 chapters checked · 1 error, 5 warnings.");
  await expect(badge(row(1), "2 warnings")).toBeVisible();
  await expect(badge(row(2), "2 warnings")).toBeVisible();
  await expect(badge(row(3), "1 error, 1 warning")).toBeVisible();
  await expect(row(1)).toContainText("unlisted name ×2");
  await expect(row(2)).toContainText("unlisted name, beat not told");
  await expect(row(3)).toContainText("repeated text, length");
  // Length score, beats told, copied from earlier chapters.
  await expect(row(1).getByRole("cell")).toHaveText(["99", "100%", "0%", /2 warnings|unlisted/]);
  await expect(row(2).getByRole("cell").nth(1)).toHaveText("67%");
  await expect(row(3).getByRole("cell").nth(0)).toHaveText("0");
  await expect(row(3).getByRole("cell").nth(2)).toHaveText("51%");
  await expect(report.getByRole("img", { name: "Length score and beats told, chapter by chapter" })).toBeVisible();
  await shot(page, "continuity-book-report");

  // ---- The same counts in the Chapters step.
  await page.getByRole("navigation", { name: "Story steps" }).getByRole("link", { name: /^Chapters/ }).click();
  const chapterRow = (n: number) => page.locator(`.chapter-row[data-chapter-id="${ids[n - 1]}"]`);
  await expect(badge(chapterRow(1), "2 warnings")).toBeVisible();
  await expect(badge(chapterRow(3), "1 error, 1 warning")).toBeVisible();

  // ---- Chapter 1: the stranger's finding quotes him; choosing it selects those words in the text.
  await page.getByRole("link", { name: "Edit chapter 1" }).click();
  const panel = page.getByRole("region", { name: "Continuity", exact: true });
  await expect(badge(panel, "2 warnings")).toBeVisible();
  const quote = "He said his name was Quillon Marsh, and that he had come about the letters.";
  const stranger = panel.locator('[data-type="unknown_name"]', { hasText: '"Quillon Marsh"' });
  await expect(stranger.locator(".finding-quote")).toContainText(quote);
  await stranger.getByRole("button", { name: new RegExp(`^${quote}`) }).click();
  const text = page.getByLabel("Chapter text (Markdown)");
  await expect(text).toBeFocused();
  expect(await text.evaluate((ta: HTMLTextAreaElement) => ta.value.slice(ta.selectionStart, ta.selectionEnd))).toBe(quote);
  await expect(page.locator(".preview mark.finding-mark")).toHaveText(quote);
  await shot(page, "continuity-chapter-findings");

  // "Add to cast": the finding goes, the count drops, and the cast keeps everyone it had. Now a
  // character, he gets a note instead: no beat of the chapter includes him.
  await stranger.getByRole("button", { name: "Add to cast" }).click();
  await expect(stranger).toHaveCount(0);
  await expect(badge(panel, "1 warning, 1 note")).toBeVisible();
  await expect(panel.locator('[data-type="unplanned_character"]')).toContainText("Quillon Marsh appears here");
  const detail = await (await author.api.get(`/api/stories/${id}`)).json();
  expect(detail.characters.map((c: { name: string }) => c.name)).toEqual(["Ada Lowe", "Bram Tully", "Quillon Marsh"]);
  expect(detail.characters[0]).toMatchObject({ description: CAST[0]!.description });
  expect(detail.locations.map((l: { name: string }) => l.name)).toEqual(["The Salt Archive"]);

  // With only the preview on screen, the doctor's words are marked there and take the focus.
  const doctor = panel.locator('[data-type="unknown_name"]', { hasText: "Dr. Penhallow" });
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  await doctor.getByRole("button", { name: /^Later, Dr\. Penhallow came by/ }).click();
  await expect(page.locator(".preview mark.finding-mark")).toBeFocused();
  await expect(page.locator(".preview mark.finding-mark")).toHaveText("Later, Dr. Penhallow came by with the post, as he did every Tuesday, and stayed for a cup of tea.");

  // Dismissing him: folded away with a count, and still dismissed after a reload.
  await doctor.getByRole("button", { name: "Ignore" }).click();
  await expect(doctor).toHaveCount(0);
  await expect(badge(panel, "1 note")).toBeVisible();
  await page.reload();
  await expect(badge(panel, "1 note")).toBeVisible();
  await panel.getByText("1 dismissed finding").click();
  await expect(panel.locator(".finding-list.is-dismissed")).toContainText("Dr. Penhallow");

  // ---- Chapter 2: the nickname renamed everywhere; the text in the editor changes with it.
  await page.getByRole("link", { name: "Chapter 2 →" }).click();
  await expect(badge(panel, "2 warnings")).toBeVisible();
  const nickname = panel.locator('[data-type="unknown_name"]', { hasText: '"Addy"' });
  await nickname.getByRole("button", { name: "Rename everywhere…" }).click();
  const form = panel.getByRole("form", { name: "Rename Addy" });
  await expect(form.getByLabel("Rename “Addy” to")).toBeFocused();
  await page.keyboard.type("Ada");
  await form.getByRole("button", { name: "Rename everywhere" }).click();
  await expect(nickname).toHaveCount(0);
  await expect(badge(panel, "1 warning")).toBeVisible();
  await expect(page.getByLabel("Chapter text (Markdown)")).toHaveValue(/low water," Ada said\./);
  await expect(panel.locator('[data-type="beat_missing"]')).toContainText("A lighthouse keeper rows out to the wreck at midnight.");

  // ---- Back in the book report: the new counts, and "Check again" agrees.
  await page.goto(`/stories/${id}/book`);
  await expect(badge(row(1), "1 note")).toBeVisible();
  await expect(badge(row(2), "1 warning")).toBeVisible();
  await report.getByRole("button", { name: "Check again" }).click();
  await expect(page.getByText("Checked again: 1 error, 2 warnings, 1 note.")).toBeVisible();
  await expect(report.getByTestId("report-summary")).toHaveText("3 of 3 chapters checked · 1 error, 2 warnings, 1 note.");

  // ---- The reader: the author sees the counts; another reader sees none, and never asks.
  await page.goto(`/stories/${id}/read`);
  const toc = page.getByRole("navigation", { name: "Table of contents" });
  await expect(badge(toc, "1 error, 1 warning")).toBeVisible();
  await expect(badge(toc, "1 note")).toBeVisible();
  const reader = await (await apiUser("contread")).open(browser);
  const asked: string[] = [];
  reader.on("request", (r) => r.url().includes("/continuity") && asked.push(r.url()));
  await reader.goto(`/stories/${id}/read`);
  await expect(reader.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await reader.waitForLoadState("networkidle");
  await expect(reader.getByTestId("findings-badge")).toHaveCount(0);
  expect(asked).toEqual([]);
  console.expectNone();
});

test("other names saved with the cast quiet a nickname, names the beats dropped join the cast, a shared name is renamed", async ({ browser }) => {
  test.setTimeout(150_000);
  await fake("reset");
  const author = await apiUser("contcast");
  const { id, ids } = await plantedBook(author.api);
  const page = await author.open(browser);
  const console = trackConsole(page);

  // ---- Cast step: "Addy" becomes one of Ada's other names.
  await page.goto(`/stories/${id}/cast`);
  const ada = page.getByRole("list", { name: "Characters" }).getByRole("listitem").first();
  await ada.getByLabel("Other names").fill("Addy, the keeper");
  await page.getByRole("button", { name: "Save characters & places" }).click();
  await expect(page.locator(".save-bar .save-state")).toHaveText("All changes saved");
  await expect(ada.getByLabel("Other names")).toHaveValue("Addy, the keeper");
  const detail = await (await author.api.get(`/api/stories/${id}`)).json();
  expect(detail.characters[0].aliases).toEqual(["Addy", "the keeper"]);
  expect(detail.characters[1].aliases).toEqual([]);

  // The book is checked again after the save: chapter 2 keeps only its untold beat.
  await page.getByRole("navigation", { name: "Story steps" }).getByRole("link", { name: /^Chapters/ }).click();
  await expect(badge(page.locator(`.chapter-row[data-chapter-id="${ids[1]}"]`), "1 warning")).toBeVisible();

  // ---- Beats step: new beats for chapter 1 name someone the cast does not have.
  await fake("faults", { kind: "stranger", match: "chapter_guide" });
  await page.getByRole("navigation", { name: "Story steps" }).getByRole("link", { name: /^Beats/ }).click();
  await page.getByRole("button", { name: /^Regenerate beats for chapter 1 \(\d+ credits?\)$/ }).click();
  await waitIdle(page);
  const notice = page.locator(".notice", { hasText: "1 name in these beats is not in your cast — add it?" });
  await expect(notice).toBeVisible();
  await expect(notice.locator(".dropped-names")).toContainText("Quillon Marsh");
  await shot(page, "continuity-dropped-names");
  await notice.getByRole("button", { name: "Add to the cast" }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.getByText("Quillon Marsh added to the cast.")).toBeVisible();
  const after = await (await author.api.get(`/api/stories/${id}`)).json();
  expect(after.characters.map((c: { name: string }) => c.name)).toEqual(["Ada Lowe", "Bram Tully", "Quillon Marsh"]);
  expect(after.characters[0].aliases).toEqual(["Addy", "the keeper"]);

  // ---- Two characters who share a first name: a finding about the book, fixed by renaming one.
  const cast = after.characters.map(({ name, description, exampleDialogue, aliases }: Record<string, unknown>) => ({ name, description, exampleDialogue, aliases }));
  const res = await author.api.put(`/api/stories/${id}/meta`, { data: { characters: [...cast, { name: "Ada Penrose", description: "The harbourmaster." }], locations: after.locations } });
  expect(res.ok(), await res.text()).toBe(true);
  await page.goto(`/stories/${id}/book`);
  const across = page.getByRole("list", { name: "Findings across the book" });
  const clash = across.locator('[data-type="name_clash"]');
  await expect(clash).toContainText('Ada Lowe and Ada Penrose share the name "Ada"');
  await clash.getByRole("button", { name: "Rename one character…" }).click();
  await clash.getByLabel("Which character").selectOption("Ada Penrose");
  await clash.getByLabel("New name for Ada Penrose").fill("Nell Penrose");
  await clash.getByRole("button", { name: "Rename everywhere" }).click();
  await expect(page.getByText("“Ada Penrose” is now “Nell Penrose”")).toBeVisible();
  await expect(page.locator('[data-type="name_clash"]')).toHaveCount(0);
  const renamed = await (await author.api.get(`/api/stories/${id}`)).json();
  expect(renamed.characters.map((c: { name: string }) => c.name)).toEqual(["Ada Lowe", "Bram Tully", "Quillon Marsh", "Nell Penrose"]);
  console.expectNone();
});

test("a finding's fix quotes its price first, then rewrites the chapter with instructions that say why", async ({ browser }) => {
  test.setTimeout(150_000);
  await fake("reset");
  const author = await apiUser("contfix");
  const { id, ids } = await plantedBook(author.api);
  const page = await author.open(browser);
  const console = trackConsole(page);

  await page.goto(`/stories/${id}/chapters/${ids[2]}`);
  const panel = page.getByRole("region", { name: "Continuity", exact: true });
  const length = panel.locator('[data-type="length"]');
  await expect(length).toContainText("84 words, 72% short of the 300");
  await length.getByRole("button", { name: "Expand" }).click();
  const box = panel.getByRole("group", { name: "Expand: rewrite chapter 3" });
  await expect(box.getByLabel("Instructions for the rewrite")).toHaveValue(/Write at least 300 words/);
  // Nothing is spent until the author presses the priced button.
  const rewrite = box.getByRole("button", { name: /^Rewrite chapter 3 · \d+ credits?$/ });
  await expect(rewrite).toBeEnabled();
  expect((await fake("requests")).requests).toEqual([]);
  await rewrite.click();
  await expect(page.getByText("The new version is loaded. The previous one is in the history.")).toBeVisible({ timeout: 60_000 });
  await expect(length).toHaveCount(0);
  await expect(panel.locator('[data-type="repeated_text"]')).toHaveCount(0);
  const asked = (await fake("requests")).requests.map((r: { body: { messages?: { content: string }[] } }) => (r.body.messages ?? []).map((m) => m.content).join("\n"));
  expect(asked.some((t: string) => t.includes("The chapter is too short (84 words). Write at least 300 words"))).toBe(true);
  console.expectNone();
});
