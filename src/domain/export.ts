// Downloads of a whole book: EPUB 3 with the cover and chapter art, or one Markdown file, from
// one registry of formats.
import { asc, eq } from "drizzle-orm";
import { bookMarkdown, buildEpub, type Book, type BookImage } from "../core/epub";
import { renderMarkdownXhtml } from "../shared/markdown";
import type { Db } from "./db/client";
import { chapters, users } from "./db/schema";
import type { StoryRow } from "./stories/access";
import { fieldError } from "./errors";
import { readText } from "./prose";

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
  const texts = await Promise.all(rows.map((c) => readText(bucket, story.id, c.id, c)));
  return {
    id: `urn:novelapp:story:${story.id}`,
    title: story.title,
    author: author[0]?.username ?? "",
    description: story.details,
    language: "en",
    modified: story.updatedAt,
    cover: withImages ? await image(bucket, story.coverImageKey) : null,
    chapters: await Promise.all(
      rows.map(async (c, i) => ({
        number: c.number,
        title: c.title,
        markdown: texts[i] ?? "",
        xhtml: texts[i] ? renderMarkdownXhtml(texts[i]!) : "<p><em>Not written yet.</em></p>",
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

/** One downloadable format of a book. A new format is one more entry in EXPORT_FORMATS. */
export type ExportFormat = {
  id: string;
  label: string;
  contentType: string;
  extension: string;
  /** Whether build() needs the cover and chapter images (they are read from R2 only then). */
  images: boolean;
  build: (book: Book) => BodyInit;
};

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  { id: "epub", label: "EPUB 3 e-book", contentType: "application/epub+zip", extension: "epub", images: true, build: buildEpub },
  { id: "md", label: "Markdown", contentType: "text/markdown; charset=utf-8", extension: "md", images: false, build: bookMarkdown },
];

export function exportFormat(id: string): ExportFormat {
  const format = EXPORT_FORMATS.find((f) => f.id === id);
  if (!format) throw fieldError("format", `One of: ${EXPORT_FORMATS.map((f) => f.id).join(", ")}`);
  return format;
}

export async function exportStory(db: Db, bucket: R2Bucket, story: StoryRow, formatId: string): Promise<Response> {
  const format = exportFormat(formatId);
  const book = await loadBook(db, bucket, story, format.images);
  return new Response(format.build(book), {
    headers: {
      "content-type": format.contentType,
      "content-disposition": `attachment; filename="${fileName(story.title)}.${format.extension}"`,
    },
  });
}
