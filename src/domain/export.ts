// Downloads of a whole book (SPEC §12): EPUB 3 with the cover and chapter art, or one Markdown file.
import { asc, eq } from "drizzle-orm";
import { bookMarkdown, buildEpub, type Book, type BookImage } from "../core/epub";
import { renderMarkdownXhtml } from "../shared/markdown";
import type { Db } from "./db/client";
import { chapters, users } from "./db/schema";
import type { StoryRow } from "./stories/access";

async function image(bucket: R2Bucket, key: string | null): Promise<BookImage | null> {
  if (!key) return null;
  const obj = await bucket.get(key);
  if (!obj) return null;
  return { bytes: new Uint8Array(await obj.arrayBuffer()), contentType: obj.httpMetadata?.contentType ?? "image/png" };
}

async function loadBook(db: Db, bucket: R2Bucket, story: StoryRow, withImages: boolean): Promise<Book> {
  const [rows, author] = await db.batch([
    db.select().from(chapters).where(eq(chapters.storyId, story.id)).orderBy(asc(chapters.number)),
    db.select({ username: users.username }).from(users).where(eq(users.id, story.userId)),
  ]);
  return {
    id: `urn:novelapp:story:${story.id}`,
    title: story.title,
    author: author[0]?.username ?? "",
    description: story.details,
    language: "en",
    modified: story.updatedAt,
    cover: withImages ? await image(bucket, story.coverImageKey) : null,
    chapters: await Promise.all(
      rows.map(async (c) => ({
        number: c.number,
        title: c.title,
        markdown: c.content ?? "",
        xhtml: c.content ? renderMarkdownXhtml(c.content) : "<p><em>Not written yet.</em></p>",
        image: withImages ? await image(bucket, c.imageKey) : null,
      })),
    ),
  };
}

/** A file name safe in a Content-Disposition header, from the story's title. */
const fileName = (title: string) =>
  title
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .slice(0, 80) || "book";

export async function exportStory(db: Db, bucket: R2Bucket, story: StoryRow, format: "epub" | "md"): Promise<Response> {
  const book = await loadBook(db, bucket, story, format === "epub");
  const name = fileName(story.title);
  if (format === "md")
    return new Response(bookMarkdown(book), {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.md"`,
      },
    });
  return new Response(buildEpub(book), {
    headers: {
      "content-type": "application/epub+zip",
      "content-disposition": `attachment; filename="${name}.epub"`,
    },
  });
}
