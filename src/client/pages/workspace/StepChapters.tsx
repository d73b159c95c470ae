import { useEffect, useRef } from "preact/hooks";
import { num } from "../../format";
import { Link } from "../../router";
import { chapterName, StageErrors, StepHead, type StepProps } from "./common";
import { GenerateButton, missingFor, useEstimate } from "./generate";
import { FindingsBadge } from "../continuity/Badge";
import { useReport } from "../continuity/report";

/** The tail of a chapter being written, kept scrolled to its end. */
export function StreamBox({ text, label }: { text: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [text]);
  return (
    <div class="stream" ref={ref} aria-label={label} aria-live="off" tabIndex={0}>
      {text.length > 4000 ? `…${text.slice(-4000)}` : text}
      <span class="caret" aria-hidden="true" />
    </div>
  );
}

export function StepChapters({ storyId, live, detail }: StepProps) {
  const missing = missingFor("chapters", detail);
  const estimate = useEstimate(storyId, "chapters", { version: live.rev, enabled: !live.busy && !missing.length });
  const written = detail.chapters.filter((c) => c.hasContent);
  const words = written.reduce((n, c) => n + c.wordCount, 0);
  const running = live.busy && live.job?.currentStage === "chapters";
  const { report } = useReport(storyId);
  return (
    <section aria-labelledby="step-title">
      <StepHead
        title="Chapters"
        actions={
          <GenerateButton
            storyId={storyId}
            stage="chapters"
            label={written.length ? "Rewrite all chapters" : "Write all chapters"}
            estimate={estimate}
            missing={missing}
            busy={live.busy}
            onStarted={live.startJob}
          />
        }
      >
        <p>
          {written.length} of {detail.chapters.length} chapters written, {num(words)} words so far. Open a chapter to edit it, see its history, or
          rewrite it with instructions. <Link href={`/stories/${storyId}/book#continuity`}>See the continuity report</Link>
        </p>
      </StepHead>
      <StageErrors live={live} stages={["chapters"]} chapterId={null} />
      <ol class="chapter-list">
        {detail.chapters.map((c) => {
          const stream = live.streams[c.id];
          const cost = estimate.data?.units.find((u) => u.chapterId === c.id)?.credits ?? null;
          const failed = live.errors.some((e) => e.stage === "chapters" && e.chapterId === c.id);
          return (
            <li key={c.id} class="chapter-row card" data-chapter-id={c.id}>
              <div class="chapter-row-main">
                <h3 class="chapter-row-title">
                  <Link href={`/stories/${storyId}/chapters/${c.id}`}>{chapterName(c)}</Link>
                </h3>
                <p class="muted small">{c.summary || "No summary yet."}</p>
                <p class="chapter-status">
                  {stream !== undefined ? (
                    <span class="badge badge-info">Writing…</span>
                  ) : failed && !c.hasContent ? (
                    <span class="badge badge-error">Failed</span>
                  ) : c.hasContent ? (
                    <span class="badge badge-success">Written · {num(c.wordCount)} words</span>
                  ) : running ? (
                    <span class="badge">Waiting</span>
                  ) : (
                    <span class="badge">Not written</span>
                  )}
                  {c.stale && <span class="badge badge-warning">Out of date</span>}
                  {c.digestStale && <span class="badge">Memory out of date</span>}
                  {stream === undefined && <FindingsBadge chapter={report?.chapters.find((r) => r.chapterId === c.id)} />}
                </p>
                {c.staleReason && <p class="muted small stale-reason">{c.staleReason}</p>}
              </div>
              <div class="chapter-row-actions">
                <Link href={`/stories/${storyId}/chapters/${c.id}`} class="btn btn-sm">
                  {c.hasContent ? "Edit" : "Open"}
                  <span class="sr-only"> chapter {c.number}</span>
                </Link>
                <GenerateButton
                  storyId={storyId}
                  stage="chapters"
                  chapterIds={[c.id]}
                  label={c.hasContent ? "Rewrite" : "Write"}
                  ariaLabel={`${c.hasContent ? "Rewrite" : "Write"} chapter ${c.number}`}
                  credits={cost}
                  class="btn btn-ghost btn-sm"
                  missing={missingFor("chapters", detail, [c.id])}
                  busy={live.busy}
                  onStarted={live.startJob}
                />
              </div>
              <StageErrors live={live} stages={["chapters"]} chapterId={c.id} />
              {stream !== undefined && <StreamBox text={stream} label={`Chapter ${c.number} as it is written`} />}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
