import { useMemo } from "preact/hooks";
import { renderMarkdown } from "../../shared/markdown";

/** Sanitised Markdown (see markdown.ts: everything is escaped before the safe subset applies). */
export function Markdown({ source, class: klass = "prose", headingShift = 1 }: { source: string; class?: string; headingShift?: number }) {
  const html = useMemo(() => renderMarkdown(source, headingShift), [source, headingShift]);
  return <div class={klass} dangerouslySetInnerHTML={{ __html: html }} />;
}
