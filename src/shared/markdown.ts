// A small, safe Markdown renderer for chapters written by people and models (SPEC §9), shared by
// the browser (reader, editor preview) and the Worker (EPUB export).
// Every character of the source is HTML-escaped FIRST; only then are a few patterns turned into
// tags we write ourselves: paragraphs, headings, emphasis, strong, inline code, lists,
// blockquotes, horizontal rules (scene breaks) and http(s) links. No source text can ever
// become markup, an attribute or a URL scheme other than http(s).

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

/** Inline patterns on already-escaped text. */
function inline(s: string): string {
  const slots: string[] = [];
  const hold = (html: string) => `\u0001${slots.push(html) - 1}\u0002`;
  let out = s
    // `code`: its content is kept verbatim (already escaped), safe from the patterns below.
    .replace(/`([^`\n]+)`/g, (_, code: string) => hold(`<code>${code}</code>`))
    // [label](http(s)://…) — the URL is escaped text: quotes are &quot;, so it cannot leave the attribute.
    .replace(/\[([^\]\n]+)\]\(([^()\s]+)\)/g, (_all, label: string, url: string) =>
      /^https?:\/\/[^\s]+$/i.test(url) ? hold(`<a href="${url}" rel="noopener noreferrer" target="_blank">${label}</a>`) : label,
    );
  out = out
    .replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^\w])__(?=\S)([^\n]*?\S)__(?!\w)/g, "$1<strong>$2</strong>")
    .replace(/\*(?=[^\s*])([^*\n]*?[^\s*])\*/g, "<em>$1</em>")
    .replace(/\*([^\s*])\*/g, "<em>$1</em>")
    .replace(/(^|[^\w])_(?=[^\s_])([^_\n]*?[^\s_])_(?!\w)/g, "$1<em>$2</em>")
    .replace(/ {2,}\n/g, "<br>\n");
  return out.replace(/\u0001(\d+)\u0002/g, (_, i: string) => slots[Number(i)] ?? "");
}

const HR = /^ {0,3}([-*_])( *\1){2,} *$/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const QUOTE = /^ {0,3}&gt; ?(.*)$/;
const UL = /^ {0,3}[-*+][ \t]+(.*)$/;
const OL = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;

/** Block structure over escaped lines. */
function blocks(lines: string[], headingShift: number): string {
  const out: string[] = [];
  let i = 0;
  const para: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join("\n").trim())}</p>`);
    para.length = 0;
  };
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      flush();
      i++;
      continue;
    }
    if (HR.test(line)) {
      flush();
      out.push("<hr>");
      i++;
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      flush();
      const level = Math.min(6, h[1]!.length + headingShift);
      out.push(`<h${level}>${inline(h[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      flush();
      const inner: string[] = [];
      while (i < lines.length && lines[i]!.trim() && QUOTE.test(lines[i]!)) inner.push(QUOTE.exec(lines[i++]!)![1]!);
      out.push(`<blockquote>${blocks(inner, headingShift)}</blockquote>`);
      continue;
    }
    const ul = UL.exec(line);
    const ol = ul ? null : OL.exec(line);
    if (ul || ol) {
      flush();
      const re = ul ? UL : OL;
      const items: string[] = [];
      while (i < lines.length) {
        const l = lines[i]!;
        const m = re.exec(l);
        if (m) {
          items.push(ul ? m[1]! : m[2]!);
          i++;
        } else if (l.trim() && /^\s{2,}/.test(l) && items.length) {
          items[items.length - 1] += `\n${l.trim()}`;
          i++;
        } else break;
      }
      const start = ol && ol[1] !== "1" ? ` start="${Number(ol[1])}"` : "";
      const tag = ul ? "ul" : "ol";
      out.push(`<${tag}${start}>${items.map((t) => `<li>${inline(t)}</li>`).join("")}</${tag}>`);
      continue;
    }
    para.push(line);
    i++;
  }
  flush();
  return out.join("\n");
}

/**
 * Markdown → HTML safe to insert into the page. `headingShift` demotes headings (1 turns `#`
 * into <h2>) so a chapter's own headings sit below the page's title.
 */
export function renderMarkdown(source: string, headingShift = 1): string {
  // Control characters (our placeholders among them) are dropped before escaping.
  // eslint-disable-next-line no-control-regex
  const clean = source.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
  return blocks(escapeHtml(clean).split("\n"), headingShift);
}

/** The same rendering as well-formed XHTML (void elements closed), for EPUB chapters. */
export const renderMarkdownXhtml = (source: string, headingShift = 1) =>
  renderMarkdown(source, headingShift).replace(/<(br|hr)>/g, "<$1/>");
