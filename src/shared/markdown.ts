// Markdown for chapters written by people and models, shared by the browser (reader, editor
// preview, news) and the Worker (EPUB export). Parsing is micromark's, which follows CommonMark,
// so emphasis always nests properly (`**a *b** c*` used to overlap its tags and break the EPUB).
//
// Safe by default, and narrowed further: raw HTML is not a construct here at all (it stays
// escaped text), nor are images (no remote pixels in a reader or a book), indented code (novels
// indent paragraphs) or setext headings (a line of dashes after a paragraph is a scene break).
// Links keep only http(s) destinations and open without the opener. The only tags in the output
// are micromark's, and the only attributes are the ones rewritten below. Characters XML 1.0
// forbids are dropped before parsing and after (a character reference can produce them).
import { micromark } from "micromark";
import { xmlSafe } from "./xml";

export { xmlSafe };

const OPTIONS = {
  extensions: [{ disable: { null: ["htmlFlow", "htmlText", "labelStartImage", "codeIndented", "setextUnderline"] } }],
};

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

function render(source: string, headingShift: number): string {
  const html = micromark(xmlSafe(source.replace(/\r\n?/g, "\n")), OPTIONS);
  return (
    xmlSafe(html)
      // A chapter's own headings sit below the page's title.
      .replace(/<(\/?)h([1-6])>/g, (_, slash: string, n: string) => `<${slash}h${Math.min(6, Number(n) + headingShift)}>`)
      // http(s) links only (micromark already empties dangerous ones; mailto: and the like go too).
      .replace(/<a href="([^"]*)"(?: title="[^"]*")?>([\s\S]*?)<\/a>/g, (_, href: string, label: string) =>
        /^https?:\/\/[^\s]+$/i.test(href) ? `<a href="${href}" rel="noopener noreferrer" target="_blank">${label}</a>` : label,
      )
      // Fenced code's language is not needed, and no other attribute is written.
      .replace(/<code class="[^"]*">/g, "<code>")
      // Compact containers: <ul><li>…</li></ul>, <blockquote><p>…</p></blockquote>.
      .replace(/<(ul|ol(?: start="\d+")?|blockquote)>\n/g, "<$1>")
      .replace(/\n<\/(ul|ol|blockquote)>/g, "</$1>")
      .replace(/<\/li>\n<li>/g, "</li><li>")
      .replace(/\n$/, "")
  );
}

/**
 * Markdown → HTML safe to insert into the page. `headingShift` demotes headings (1 turns `#`
 * into <h2>) so a chapter's own headings sit below the page's title.
 */
export const renderMarkdown = (source: string, headingShift = 1) => render(source, headingShift).replace(/<(br|hr) \/>/g, "<$1>");

/** The same rendering as well-formed XHTML (void elements closed), for EPUB chapters. */
export const renderMarkdownXhtml = (source: string, headingShift = 1) => render(source, headingShift).replace(/<(br|hr) \/>/g, "<$1/>");
