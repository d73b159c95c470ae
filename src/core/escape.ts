// Story text travels inside XML-like tags in prompts. Escaping keeps user or model text from
// closing a tag or opening a new one.

const TEXT_SPECIAL = /[&<>]/;
const TEXT_ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
/** One pass, and none at all for text with nothing to escape (most of it: prompts are big). */
export const escapeText = (s: string) => (TEXT_SPECIAL.test(s) ? s.replace(/[&<>]/g, (c) => TEXT_ESC[c]!) : s);

export const escapeAttr = (s: string) => escapeText(s).replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** `<tag a="…">escaped body</tag>`; empty bodies are kept so the layout never shifts. */
export function tag(name: string, body: string, attrs: Record<string, string | number> = {}): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join("");
  return `<${name}${a}>${escapeText(body)}</${name}>`;
}

/** A tag whose body is already-built markup (children), not text. */
export function block(name: string, children: string[], attrs: Record<string, string | number> = {}): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join("");
  return children.length ? `<${name}${a}>\n${children.join("\n")}\n</${name}>` : `<${name}${a}></${name}>`;
}
