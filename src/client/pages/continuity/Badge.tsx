// A chapter's continuity findings at a glance (docs/CONTINUITY.md): how many errors, warnings and
// notes are open, zeros left out, or a quiet check when there are none. Dismissed findings do not
// count. Nothing is shown for a chapter that has no prose to check.
import { countsOf, countsText, type ChapterReport } from "./report";

const ICON = { error: "●", warning: "▲", info: "i" } as const;

export function FindingsBadge({ chapter }: { chapter: ChapterReport | undefined }) {
  if (!chapter?.checkedAt) return null;
  const counts = countsOf(chapter.findings);
  const text = countsText(counts);
  const label = `${text || "Clean"}${chapter.outdated ? " (the text changed since it was checked)" : ""}`;
  return (
    <span class={`findings-badge${text ? "" : " is-clean"}`} role="img" aria-label={label} title={`Continuity: ${label}`} data-testid="findings-badge">
      {text ? (
        (["error", "warning", "info"] as const)
          .filter((s) => counts[s] > 0)
          .map((s) => (
            <span key={s} class={`fb fb-${s}`}>
              <span class="fb-icon">{ICON[s]}</span>
              {counts[s]}
            </span>
          ))
      ) : (
        <span class="fb fb-clean">✓ clean</span>
      )}
    </span>
  );
}
