// The Markdown renderer: a safe subset, and no way for story text to become markup.
import { expect, test } from "@playwright/test";
import { renderMarkdown } from "../../src/shared/markdown";

test("renders the supported subset", () => {
  const html = renderMarkdown("# Title\n\nA *soft* and **bold** line with `code`.\n\n> a quote\n\n- one\n- two\n\n1. first\n2. second\n\n* * *\n\nAfter the break.");
  expect(html).toBe(
    [
      "<h2>Title</h2>",
      "<p>A <em>soft</em> and <strong>bold</strong> line with <code>code</code>.</p>",
      "<blockquote><p>a quote</p></blockquote>",
      "<ul><li>one</li><li>two</li></ul>",
      "<ol><li>first</li><li>second</li></ol>",
      "<hr>",
      "<p>After the break.</p>",
    ].join("\n"),
  );
});

test("escapes every tag and attribute, keeps only http(s) links", () => {
  const evil = [
    `<script>alert(1)</script>`,
    `<img src=x onerror="alert(1)">`,
    `[click](javascript:alert(1)) [ok](https://example.com/a?b=1&c=2) [data](data:text/html,<b>x</b>)`,
    `[quote](https://example.com/"onmouseover="alert(1))`,
    `**<b>bold</b>** _<i>x</i>_ \`<code>\``,
  ].join("\n\n");
  const html = renderMarkdown(evil);
  expect(html).not.toMatch(/<(script|img|b|i|iframe)[\s>]/i);
  expect(html).not.toMatch(/href="(?!https?:)/);
  expect(html).not.toMatch(/\son\w+="/i);
  expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer" target="_blank">ok</a>');
  expect(html).toContain("click");
  expect(html).not.toContain("javascript:alert(1)\"");
  // Every attribute we emit is one we wrote ourselves.
  for (const m of html.matchAll(/<(\w+)([^>]*)>/g)) expect(m[2]).toMatch(/^(| href="https?:[^"]*" rel="noopener noreferrer" target="_blank"| start="\d+")$/);
});

test("control characters cannot smuggle placeholders", () => {
  expect(renderMarkdown("a \u00010\u0002 b `x`")).toBe("<p>a 0 b <code>x</code></p>");
});
