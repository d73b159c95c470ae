// Audit findings that need a browser or Node (SECURITY.md lists these tests by name): the login
// redirect, EPUB files checked by epubcheck, and the CPU time of the worst-case quote.
import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildEpub, type Book } from "../../src/core/epub";
import { encodePng } from "../../src/core/providers/png";
import { renderMarkdownXhtml } from "../../src/shared/markdown";
import { BASE, PASSWORD, apiUser, d1 } from "./helpers";

test("login never follows ?next= off our origin, however it is spelled (audit 14)", async ({ page }) => {
  const u = await apiUser("redirect");
  const signIn = async (next: string) => {
    await page.context().clearCookies();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel("Username or e-mail").fill(u.username);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
  };
  for (const next of ["/\\evil.example", "/\\/evil.example", "\\\\evil.example", "//evil.example", "https://evil.example/", "javascript:alert(1)"]) {
    await signIn(next);
    await expect(page, next).toHaveURL(`${BASE}/dashboard`);
  }
  // A path of our own is followed, with its query and fragment.
  await signIn("/profile?tab=tokens#tokens");
  await expect(page).toHaveURL(`${BASE}/profile?tab=tokens#tokens`);
});

/** epubcheck's verdict on a file: the exit status and its message counts. */
function epubcheck(bytes: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), "epub-"));
  const file = join(dir, "book.epub");
  writeFileSync(file, bytes);
  // Debian installs it as an executable jar, which not every kernel can run directly.
  const jar = spawnSync("sh", ["-c", "command -v epubcheck"], { encoding: "utf8" }).stdout.trim() || "/usr/bin/epubcheck";
  const r = spawnSync("java", ["-jar", jar, file], { encoding: "utf8", timeout: 120_000 });
  rmSync(dir, { recursive: true, force: true });
  const out = `${r.stdout}\n${r.stderr}`;
  const counts = out.match(/Messages: (\d+) fatals? \/ (\d+) errors?/);
  return { status: r.status, fatals: Number(counts?.[1] ?? -1), errors: Number(counts?.[2] ?? -1), out };
}

const HOSTILE_TITLES = ["Salt \u0001& <Static> \"q\" 'a' \u0007]]>", "\u000bTab\tand \u001b[31mcolour", "Lone \ud800 surrogate \ufffe", "</title><script>alert(1)</script>"];
const HOSTILE_PROSE = [
  "**a *b** c*",
  "_a **b_ c**",
  "Character references: &#1; &#x0; &#xFFFE; &#xD800; &amp; &copy; &#x1F30A;",
  "Controls \u0000 \u0008 \u000c \u007f \u0085 and <script>alert(1)</script>",
  "# Heading *with **overlap* here**\n\n> quote *a **b* c**\n\n- one *x\n- two*\n\n* * *\n\n`code **x*` [bad](javascript:alert(1)) [ok](https://example.com/?a=1&b=2)",
  "Line one  \nline two\n---\nAfter the break.\n\n```\n<raw> & ]]>\n```",
];

test("every EPUB file is well-formed and valid, whatever the titles and prose (audit 9)", async () => {
  const png = await encodePng(4, 4, (x, y) => [x * 60, y * 60, 120]);
  const book: Book = {
    id: "urn:novelapp:story:1",
    title: HOSTILE_TITLES[0]!,
    author: "ada\u0002",
    description: `Details \u0003 with <tags> & ${HOSTILE_TITLES[1]}`,
    language: "en",
    modified: new Date("2026-11-26T10:00:00.123Z"),
    cover: { bytes: png, contentType: "image/png" },
    chapters: HOSTILE_PROSE.map((markdown, i) => ({
      number: i + 1,
      title: HOSTILE_TITLES[i % HOSTILE_TITLES.length]!,
      markdown,
      xhtml: renderMarkdownXhtml(markdown),
      image: i === 0 ? { bytes: png, contentType: "image/png" } : null,
    })),
  };
  const verdict = epubcheck(buildEpub(book));
  expect(verdict, verdict.out).toMatchObject({ status: 0, fatals: 0, errors: 0 });
});

test("a book downloaded from the app passes epubcheck with hostile titles and prose saved before the input checks (audit 9)", async () => {
  const author = await apiUser("epub");
  const ok = async (p: Promise<{ ok(): boolean; text(): Promise<string>; json(): Promise<any> }>) => {
    const res = await p;
    expect(res.ok(), await res.text()).toBe(true);
    return res.json();
  };
  const { story, chapters } = await ok(author.api.post("/api/stories", { data: { title: "Clean for now", chaptersCount: HOSTILE_PROSE.length, targetChapterWords: 300 } }));
  // The API refuses control characters now…
  const refused = await author.api.patch(`/api/stories/${story.id}`, { data: { title: "Bell \u0007" } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.fields.title).toMatch(/control/);
  for (const [i, ch] of (chapters as { id: number }[]).entries())
    await ok(author.api.patch(`/api/stories/${story.id}/chapters/${ch.id}`, { data: { title: `Part <${i}> & "more"`, content: HOSTILE_PROSE[i]!.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "") } }));
  // …but rows written before (or by a model) may still hold them.
  d1(`UPDATE stories SET title = 'Salt ' || char(1) || ' & <Static> ' || char(7), details = 'Bell' || char(11) WHERE id = ${story.id}`);
  d1(`UPDATE chapters SET title = title || char(27) WHERE story_id = ${story.id}`);
  // Prose is in R2 now; a row from before the move keeps its text inline, control characters and all.
  d1(`UPDATE chapters SET content = 'Kept inline ' || char(0) || ' since before' || char(31) || ' the move.', content_hash = NULL WHERE id = ${chapters[0].id}`);
  const res = await author.api.get(`/api/stories/${story.id}/export?format=epub`);
  expect(res.status()).toBe(200);
  const verdict = epubcheck(new Uint8Array(await res.body()));
  expect(verdict, verdict.out).toMatchObject({ status: 0, fatals: 0, errors: 0 });
});
