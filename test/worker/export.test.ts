import { beforeEach, describe, expect, it } from "vitest";
import { crc32 } from "../../src/core/zip";
import { grantCredits, newStory, newUser, type Client } from "../support/client";
import { fakeOpenAi } from "../support/fake-openai";
import { generate } from "../support/jobs";

beforeEach(async () => {
  await fakeOpenAi.reset();
});

/** Reads a stored (uncompressed) zip: name → bytes, in order, checking every CRC. */
function unzip(buf: ArrayBuffer): [string, Uint8Array][] {
  const v = new DataView(buf);
  const out: [string, Uint8Array][] = [];
  let o = 0;
  while (v.getUint32(o, true) === 0x04034b50) {
    expect(v.getUint16(o + 8, true)).toBe(0); // stored
    const size = v.getUint32(o + 18, true);
    const nameLen = v.getUint16(o + 26, true);
    const name = new TextDecoder().decode(new Uint8Array(buf, o + 30, nameLen));
    const data = new Uint8Array(buf, o + 30 + nameLen, size);
    expect(crc32(data)).toBe(v.getUint32(o + 14, true));
    out.push([name, data]);
    o += 30 + nameLen + size;
  }
  expect(v.getUint32(o, true)).toBe(0x02014b50); // then the central directory
  return out;
}

async function download(c: Client, path: string) {
  const { exports } = await import("cloudflare:workers");
  return exports.default.fetch(`http://localhost${path}`, { headers: { cookie: c.cookie! } });
}

describe("exports", () => {
  it("downloads the book as EPUB 3 with cover and chapter images, and as Markdown", async () => {
    const u = await newUser();
    await grantCredits(u, 20_000, 10);
    const s = await newStory(u, { title: "Salt & <Static>", chaptersCount: 2 });
    await generate(u, s.story.id, { stage: "book" });
    await generate(u, s.story.id, { stage: "chapter_image", chapterIds: [s.chapters[0]!.id] });
    await u.patch(`/api/stories/${s.story.id}/chapters/${s.chapters[1]!.id}`, { content: "Line one  \nline two <script>alert(1)</script>\n\n* * *\n\nAfter the break." });

    const res = await download(u, `/api/stories/${s.story.id}/export?format=epub`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/epub+zip");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="Salt-Static.epub"');
    const files = unzip(await res.arrayBuffer());
    expect(files[0]![0]).toBe("mimetype");
    expect(new TextDecoder().decode(files[0]![1])).toBe("application/epub+zip");
    const names = files.map(([n]) => n);
    expect(names).toEqual(expect.arrayContaining(["META-INF/container.xml", "OEBPS/content.opf", "OEBPS/nav.xhtml", "OEBPS/cover.xhtml", "OEBPS/images/cover.png", "OEBPS/chapter-1.xhtml", "OEBPS/chapter-2.xhtml", "OEBPS/images/chapter-1.png"]));
    const text = (n: string) => new TextDecoder().decode(files.find(([x]) => x === n)![1]);
    expect(text("OEBPS/content.opf")).toContain("<dc:title>Salt &amp; &lt;Static&gt;</dc:title>");
    expect(text("OEBPS/content.opf")).toContain('properties="cover-image"');
    const ch2 = text("OEBPS/chapter-2.xhtml");
    expect(ch2).toContain("line two &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(ch2).toContain("<br/>");
    expect(ch2).toContain("<hr/>");
    expect(ch2).not.toMatch(/<(br|hr)>/);
    expect(text("OEBPS/nav.xhtml")).toContain('<a href="chapter-1.xhtml">Chapter 1: Low Tide 1</a>');

    const md = await download(u, `/api/stories/${s.story.id}/export?format=md`);
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const body = await md.text();
    expect(body.startsWith(`# Salt & <Static>\n\n*by ${u.user.username}*`)).toBe(true);
    expect(body).toContain("## Chapter 2: Low Tide 2\n\nLine one");
  });

  it("keeps a built book in R2, serves it again from there, and builds it anew once the book changes", async () => {
    const { env } = await import("cloudflare:workers");
    const u = await newUser();
    const s = await newStory(u, { chaptersCount: 2 });
    const path = `/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`;
    await u.patch(path, { content: "The first words of the book, saved by its author." });
    const kept = async () => (await env.FILES.list({ prefix: `stories/${s.story.id}/exports/` })).objects.map((o) => o.key);
    const md = async () => (await download(u, `/api/stories/${s.story.id}/export?format=md`)).text();

    const first = await md();
    expect(first).toContain("The first words of the book");
    const [key] = await kept();
    expect(key).toMatch(/\/exports\/[0-9a-f]{64}\.md$/);
    // Served from the kept object: what R2 holds is what the reader gets.
    await env.FILES.put(key!, "the kept copy");
    expect(await md()).toBe("the kept copy");

    await u.patch(path, { content: "New words, so the book is not what it was." });
    const second = await md();
    expect(second).toContain("New words, so the book is not what it was.");
    const now = await kept();
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(key);

    // An EPUB is kept beside it; deleting the story deletes both.
    expect((await download(u, `/api/stories/${s.story.id}/export?format=epub`)).status).toBe(200);
    expect(await kept()).toHaveLength(2);
    expect((await u.del(`/api/stories/${s.story.id}`)).status).toBe(200);
    expect(await kept()).toEqual([]);
  });

  it("lets readers of a shared story download it, and nobody else", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const stranger = await newUser();
    expect((await download(stranger, `/api/stories/${s.story.id}/export`)).status).toBe(404);
    expect((await u.get(`/api/stories/${s.story.id}/export?format=pdf`)).status).toBe(400);
    await u.patch(`/api/stories/${s.story.id}`, { shared: true });
    const res = await download(stranger, `/api/stories/${s.story.id}/export`);
    expect(res.status).toBe(200);
    const files = unzip(await res.arrayBuffer());
    expect(files.map(([n]) => n)).not.toContain("OEBPS/cover.xhtml");
  });
});
