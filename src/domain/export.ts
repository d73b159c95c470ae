// Downloads of a whole book: EPUB 3 with the cover and chapter art, or one Markdown file, from
// one registry of formats. A built book is kept in R2 under the hash of what it was built from
// (docs/SCALE.md), so downloading it again reads one object instead of every chapter and image.
import { asc, eq } from "drizzle-orm";
import { bookMarkdown, buildEpub, type Book, type BookImage } from "../core/epub";
import { renderMarkdownXhtml } from "../shared/markdown";
import type { Db } from "./db/client";
import { chapters, users } from "./db/schema";
import type { ChapterRow, StoryRow } from "./stories/access";
import { fieldError } from "./errors";
import { sha256Hex } from "./crypto";
import { exportKey, exportsPrefix, readText } from "./prose";

async function image(bucket: R2Bucket, key: string | null): Promise<BookImage | null> {
  if (!key) return null;
  const obj = await bucket.get(key);
  if (!obj) return null;
  return { bytes: new Uint8Array(await obj.arrayBuffer()), contentType: obj.httpMetadata?.contentType ?? "image/png" };
}

type BookRows = { rows: ChapterRow[]; author: string };

const bookRows = async (db: Db, story: StoryRow): Promise<BookRows> => {
  const [rows, author] = await db.batch([
    db.select().from(chapters).where(eq(chapters.storyId, story.id)).orderBy(asc(chapters.number)),
    db.select({ username: users.username }).from(users).where(eq(users.id, story.userId)),
  ]);
  return { rows, author: author[0]?.username ?? "" };
};

/**
 * What a built book depends on, hashed: the format (and its build's version), the story's text
 * fields and clock, the author's name, and every chapter's title, prose hash, image and clock. Null
 * while a chapter's prose is still inline (from before prose moved to R2): built, not kept.
 */
async function bookVersion(format: ExportFormat, story: StoryRow, { rows, author }: BookRows): Promise<string | null> {
  if (rows.some((c) => c.content !== null)) return null;
  const basis = {
    format: format.id,
    build: EXPORT_BUILD,
    story: [story.title, story.details, story.coverImageKey, story.updatedAt.getTime(), author],
    chapters: rows.map((c) => [c.number, c.title, c.contentHash, c.imageKey, c.updatedAt.getTime()]),
  };
  return sha256Hex(JSON.stringify(basis));
}

async function loadBook(bucket: R2Bucket, story: StoryRow, { rows, author }: BookRows, withImages: boolean): Promise<Book> {
  const texts = await Promise.all(rows.map((c) => readText(bucket, story.id, c.id, c)));
  return {
    id: `urn:novelapp:story:${story.id}`,
    title: story.title,
    author,
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

/** Bump when a format's output changes for the same book, so kept books are built again. */
const EXPORT_BUILD = 1;

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
  const headers = {
    "content-type": format.contentType,
    "content-disposition": `attachment; filename="${fileName(story.title)}.${format.extension}"`,
  };
  const rows = await bookRows(db, story);
  const version = await bookVersion(format, story, rows);
  const key = version && exportKey(story.id, version, format.extension);
  const kept = key ? await bucket.get(key) : null;
  if (kept) return new Response(kept.body, { headers });
  const bytes = await new Response(format.build(await loadBook(bucket, story, rows, format.images))).arrayBuffer();
  if (key) {
    await bucket.put(key, bytes, { httpMetadata: { contentType: format.contentType } });
    // The book as it was before this change is of no use any more.
    const old = (await bucket.list({ prefix: exportsPrefix(story.id) })).objects.map((o) => o.key).filter((k) => k !== key && k.endsWith(`.${format.extension}`));
    if (old.length) await bucket.delete(old);
  }
  return new Response(bytes, { headers });
}
