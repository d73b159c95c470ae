// Small pure text helpers shared by the API and the generation stages.

/** Words in Markdown prose: whitespace-separated runs that contain a letter or digit. */
export const countWords = (markdown: string | null | undefined): number =>
  markdown ? markdown.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length : 0;

/** Case-insensitive de-duplication that keeps the first spelling. */
export function uniqueCaseless(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((s) => {
    const k = s.trim().toLowerCase();
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Trimmed and cut to at most `n` characters: model output made to fit the API's limits. */
export const clip = (s: string, n: number) => s.trim().slice(0, n);
