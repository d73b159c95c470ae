// Showing a finding's quoted words where they are (docs/CONTINUITY.md: quotes are the chapter's
// exact words): selected in the Markdown textarea, marked in the rendered preview.

/** Focuses the textarea with [start, end) selected, scrolled so the selection is in view. */
export function selectInTextarea(ta: HTMLTextAreaElement, start: number, end: number) {
  ta.focus({ preventScroll: true });
  ta.setSelectionRange(start, end);
  // A textarea does not scroll to a selection made in code: measure the text before it in a copy
  // of the textarea's box, and scroll so the selection sits a third of the way down.
  const cs = getComputedStyle(ta);
  const mirror = document.createElement("div");
  Object.assign(mirror.style, {
    position: "absolute",
    visibility: "hidden",
    left: "-10000px",
    top: "0",
    boxSizing: "border-box",
    width: `${ta.clientWidth}px`,
    padding: cs.padding,
    font: cs.font,
    letterSpacing: cs.letterSpacing,
    lineHeight: cs.lineHeight,
    whiteSpace: "pre-wrap",
    overflowWrap: "break-word",
  });
  mirror.textContent = ta.value.slice(0, start);
  document.body.append(mirror);
  const y = mirror.scrollHeight;
  mirror.remove();
  ta.scrollTop = Math.max(0, y - ta.clientHeight / 3);
  ta.scrollIntoView({ block: "nearest" });
}

/** Takes away the marks `markQuote` added. */
export function unmark(root: HTMLElement) {
  for (const m of root.querySelectorAll("mark.finding-mark")) m.replaceWith(...m.childNodes);
  root.normalize();
}

/**
 * Wraps the rendered words of a Markdown quote in <mark>s (one per text node it spans) and returns
 * the first, or null when they are not there. Markdown's emphasis marks are not in the rendered text.
 */
export function markQuote(root: HTMLElement, quote: string): HTMLElement | null {
  unmark(root);
  const want = quote.replace(/[*_`]/g, "").replace(/\s+/g, " ").trim();
  if (!want) return null;
  const nodes: Text[] = [];
  const starts: number[] = [];
  let text = "";
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    nodes.push(n as Text);
    starts.push(text.length);
    text += (n as Text).data.replace(/\s/g, " ");
  }
  const at = text.indexOf(want);
  if (at < 0) return null;
  const end = at + want.length;
  let first: HTMLElement | null = null;
  nodes.forEach((n, i) => {
    const s = starts[i]!;
    const e = s + n.data.length;
    if (e <= at || s >= end) return;
    const a = Math.max(at, s) - s;
    const b = Math.min(end, e) - s;
    let part = n;
    if (a > 0) part = part.splitText(a);
    if (b - a < part.data.length) part.splitText(b - a);
    const mark = document.createElement("mark");
    mark.className = "finding-mark";
    part.replaceWith(mark);
    mark.append(part);
    first ??= mark;
  });
  return first;
}
