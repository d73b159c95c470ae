// EPUB 3 and Markdown exports of a book, built in the Worker from already-rendered
// chapter bodies. The zip starts with an uncompressed `mimetype`, as readers require.
import { escapeAttr as escapeAttrRaw, escapeText as escapeTextRaw } from "./escape";
import { xmlSafe } from "../shared/xml";
import { zip, type ZipEntry } from "./zip";

// Titles, names and details come from people and models: whatever XML 1.0 forbids is dropped
// before escaping, so every file of the book stays well-formed (SECURITY.md).
const escapeText = (s: string) => escapeTextRaw(xmlSafe(s));
const escapeAttr = (s: string) => escapeAttrRaw(xmlSafe(s));

export type BookImage = { bytes: Uint8Array; contentType: string };
export type BookChapter = { number: number; title: string; markdown: string; xhtml: string; image: BookImage | null };
export type Book = {
  id: string;
  title: string;
  author: string;
  description: string;
  language: string;
  modified: Date;
  cover: BookImage | null;
  chapters: BookChapter[];
};

const ext = (type: string) => (type === "image/jpeg" ? "jpg" : type === "image/webp" ? "webp" : "png");
const chapterTitle = (c: BookChapter) => (c.title ? `Chapter ${c.number}: ${c.title}` : `Chapter ${c.number}`);

const STYLE = `body { font-family: Georgia, serif; line-height: 1.5; margin: 5%; }
h1 { font-size: 1.6em; margin: 2em 0 1em; text-align: center; }
p { margin: 0; text-indent: 1.5em; }
h1 + p, hr + p, figure + p { text-indent: 0; }
hr { border: 0; text-align: center; margin: 1.5em 0; }
hr::after { content: "* * *"; }
figure { margin: 1em 0; text-align: center; }
img { max-width: 100%; }
.cover { text-align: center; margin: 0; } .cover img { max-height: 100%; }`;

const page = (title: string, body: string, lang: string) => `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${escapeAttr(lang)}" lang="${escapeAttr(lang)}">
<head><meta charset="utf-8"/><title>${escapeText(title)}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
<body>
${body}
</body>
</html>
`;

export function buildEpub(b: Book): Uint8Array<ArrayBuffer> {
  const lang = b.language;
  const files: ZipEntry[] = [
    { name: "mimetype", data: "application/epub+zip" },
    {
      name: "META-INF/container.xml",
      data: `<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`,
    },
    { name: "OEBPS/style.css", data: STYLE },
  ];
  const manifest: string[] = [
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
    '<item id="style" href="style.css" media-type="text/css"/>',
  ];
  const spine: string[] = [];

  if (b.cover) {
    const name = `images/cover.${ext(b.cover.contentType)}`;
    files.push({ name: `OEBPS/${name}`, data: b.cover.bytes });
    files.push({ name: "OEBPS/cover.xhtml", data: page(b.title, `<div class="cover"><img src="${name}" alt="Cover of ${escapeAttr(b.title)}"/></div>`, lang) });
    manifest.push(`<item id="cover-image" href="${name}" media-type="${b.cover.contentType}" properties="cover-image"/>`);
    manifest.push('<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>');
    spine.push('<itemref idref="cover"/>');
  }

  b.chapters.forEach((c, i) => {
    const id = `chapter-${i + 1}`;
    let figure = "";
    if (c.image) {
      const name = `images/${id}.${ext(c.image.contentType)}`;
      files.push({ name: `OEBPS/${name}`, data: c.image.bytes });
      manifest.push(`<item id="${id}-image" href="${name}" media-type="${c.image.contentType}"/>`);
      figure = `<figure><img src="${name}" alt="${escapeAttr(`Illustration for ${chapterTitle(c)}`)}"/></figure>\n`;
    }
    files.push({ name: `OEBPS/${id}.xhtml`, data: page(chapterTitle(c), `<section epub:type="chapter">\n<h1>${escapeText(chapterTitle(c))}</h1>\n${figure}${c.xhtml}\n</section>`, lang) });
    manifest.push(`<item id="${id}" href="${id}.xhtml" media-type="application/xhtml+xml"/>`);
    spine.push(`<itemref idref="${id}"/>`);
  });

  const toc = b.chapters.map((c, i) => `<li><a href="chapter-${i + 1}.xhtml">${escapeText(chapterTitle(c))}</a></li>`).join("\n");
  files.push({
    name: "OEBPS/nav.xhtml",
    data: page(b.title, `<nav epub:type="toc" id="toc"><h1>Contents</h1>\n<ol>\n${toc}\n</ol></nav>`, lang),
  });
  files.push({
    name: "OEBPS/content.opf",
    data: `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${escapeAttr(lang)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">${escapeText(b.id)}</dc:identifier>
    <dc:title>${escapeText(xmlSafe(b.title).trim() || "Untitled")}</dc:title>
    <dc:creator>${escapeText(b.author)}</dc:creator>
    <dc:language>${escapeText(lang)}</dc:language>
    <dc:description>${escapeText(b.description)}</dc:description>
    <meta property="dcterms:modified">${b.modified.toISOString().replace(/\.\d{3}Z$/, "Z")}</meta>
  </metadata>
  <manifest>
    ${manifest.join("\n    ")}
  </manifest>
  <spine>
    ${spine.join("\n    ")}
  </spine>
</package>
`,
  });
  return zip(files);
}

/** The whole book as one Markdown file: title, then each chapter under its own heading. */
export function bookMarkdown(b: Pick<Book, "title" | "author" | "description" | "chapters">): string {
  const parts = [`# ${b.title}`, `*by ${b.author}*`];
  if (b.description.trim()) parts.push(b.description.trim());
  for (const c of b.chapters) parts.push(`## ${chapterTitle(c)}`, c.markdown.trim() || "*(Not written yet.)*");
  return `${parts.join("\n\n")}\n`;
}
