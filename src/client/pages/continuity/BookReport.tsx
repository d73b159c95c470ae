// The continuity report of the whole book (docs/CONTINUITY.md): a row per chapter with its length
// score, the share of its beats it tells, how much of it repeats earlier chapters and what the
// checks found; a chart of the first two across the book (the table says the same in words);
// findings about the book as a whole, such as two characters who share a name; "Check again";
// and the AI read-through for contradictions, priced like any generation.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Job, StoryDetail } from "../../../shared/api";
import type { FindingType } from "../../../shared/continuity";
import { ReportPending } from "./Pending";
import { Table } from "../../components/Table";
import { Link } from "../../router";
import { toast, toastError } from "../../toast";
import { chapterName } from "../workspace/common";
import { GenerateButton, missingFor, useEstimate } from "../workspace/generate";
import { FindingsBadge } from "./Badge";
import { FindingList } from "./Findings";
import { countsText, recheckBook, useReport, type ChapterReport } from "./report";

const SHORT_TYPE: Record<FindingType, string> = {
  name_clash: "shared name",
  unknown_name: "unlisted name",
  ambiguous_name: "ambiguous name",
  missing_character: "missing character",
  unplanned_character: "unplanned character",
  beat_missing: "beat not told",
  repeated_text: "repeated text",
  length: "length",
  format_leak: "left-over formatting",
  premature_introduction: "early appearance",
  contradiction: "contradiction",
};

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** "unlisted name ×2, length": what a chapter's open findings are about. */
function typesOf(c: ChapterReport) {
  const n = new Map<FindingType, number>();
  for (const f of c.findings) if (!f.dismissed) n.set(f.type, (n.get(f.type) ?? 0) + 1);
  return [...n].map(([t, k]) => (k > 1 ? `${SHORT_TYPE[t]} ×${k}` : SHORT_TYPE[t])).join(", ");
}

/** Length score and beats told per chapter, as bars; the table below is its accessible twin. */
function Chart({ rows }: { rows: { n: number; c: ChapterReport | undefined }[] }) {
  const slot = Math.max(24, Math.min(96, 720 / Math.max(1, rows.length)));
  const left = 34;
  const top = 8;
  const h = 120;
  const w = left + rows.length * slot + 8;
  const every = Math.ceil(rows.length / 30);
  const y = (v: number) => top + h - (Math.max(0, Math.min(100, v)) / 100) * h;
  const bar = slot * 0.34;
  return (
    <figure class="report-chart">
      <svg viewBox={`0 0 ${w} ${top + h + 22}`} width={w} role="img" aria-labelledby="report-chart-title report-chart-desc">
        <title id="report-chart-title">Length score and beats told, chapter by chapter</title>
        <desc id="report-chart-desc">
          Two bars per chapter, from 0 to 100: the length score (100 means on target) and the share of the chapter's beats its text tells. The table
          below gives the same figures.
        </desc>
        {[0, 50, 100].map((v) => (
          <g key={v}>
            <line class="chart-grid" x1={left} x2={w - 4} y1={y(v)} y2={y(v)} />
            <text class="chart-label" x={left - 6} y={y(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
        {rows.map(({ n, c }, i) => {
          const x = left + i * slot + (slot - 2 * bar) / 2;
          const checked = !!c?.checkedAt;
          return (
            <g key={n}>
              {checked && (
                <rect class="chart-bar-length" x={x} y={y(c!.metrics.lengthScore)} width={bar} height={top + h - y(c!.metrics.lengthScore)}>
                  <title>{`Chapter ${n}: length score ${Math.round(c!.metrics.lengthScore)}`}</title>
                </rect>
              )}
              {checked && c!.metrics.beatCoverage !== null && (
                <rect class="chart-bar-beats" x={x + bar} y={y(c!.metrics.beatCoverage * 100)} width={bar} height={top + h - y(c!.metrics.beatCoverage * 100)}>
                  <title>{`Chapter ${n}: ${pct(c!.metrics.beatCoverage)} of its beats told`}</title>
                </rect>
              )}
              {i % every === 0 && (
                <text class="chart-label" x={left + i * slot + slot / 2} y={top + h + 16} text-anchor="middle">
                  {n}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="chart-legend small">
        <span class="legend-length">Length score (100 = on target)</span>
        <span class="legend-beats">Beats told (%)</span>
        <span class="muted">by chapter number</span>
      </figcaption>
    </figure>
  );
}

type Props = { storyId: number; detail: StoryDetail; busy: boolean; rev: number; onStarted: (j: Job) => void; onStory: (d: StoryDetail) => void };

export function BookReport({ storyId, detail, busy, rev, onStarted, onStory }: Props) {
  const { report, error, reload } = useReport(storyId);
  const [checking, setChecking] = useState(false);
  const across = useRef<HTMLHeadingElement>(null);
  const written = detail.chapters.some((c) => c.hasContent);
  const auditMissing = missingFor("audit", detail);
  const audit = useEstimate(storyId, "audit", { version: rev, enabled: !busy && written && !auditMissing.length });

  // Links to "#continuity" land here once there is something to show.
  useEffect(() => {
    if (report && location.hash === "#continuity") document.getElementById("continuity")?.scrollIntoView();
  }, [!!report]);

  const check = async () => {
    setChecking(true);
    try {
      const r = await recheckBook(storyId);
      const found = countsText(r.book.metrics.bySeverity);
      toast(found ? `Checked again: ${found}.` : "Checked again: nothing to look at.", "success");
    } catch (e) {
      toastError(e);
    } finally {
      setChecking(false);
    }
  };

  const byId = new Map(report?.chapters.map((c) => [c.chapterId, c]));
  const rows = detail.chapters.map((c) => ({ n: c.number, ch: c, c: byId.get(c.id) }));
  const m = report?.book.metrics;
  return (
    <section class="card book-report" id="continuity" aria-labelledby="report-title">
      <div class="book-report-head">
        <h3 id="report-title">Continuity report</h3>
        <div class="step-actions">
          <button type="button" class="btn btn-sm" onClick={check} disabled={checking || !written}>
            {checking ? "Checking…" : "Check again"}
          </button>
          <GenerateButton
            storyId={storyId}
            stage="audit"
            label="Look for contradictions"
            estimate={audit}
            missing={auditMissing}
            busy={busy}
            class="btn btn-ghost btn-sm"
            onStarted={onStarted}
          />
        </div>
      </div>
      <p class="muted small">
        Every chapter is read against your cast, places and beats each time it is written or saved; no AI is involved, and the same text always gets the
        same findings. “Look for contradictions” is an AI read-through, charged like any generation.
      </p>
      {!report ? (
        <ReportPending error={error} reload={reload} />
      ) : !written ? (
        <p class="muted">Nothing to check yet: no chapter has text.</p>
      ) : (
        <>
          <p class="report-summary" data-testid="report-summary">
            {m!.checked} of {m!.chapters} chapters checked · {countsText(m!.bySeverity) || "nothing to look at"}.
          </p>
          <Chart rows={rows} />
          <Table
            caption="Continuity of each chapter"
            columns={["Chapter", { label: "Length score", num: true }, { label: "Beats told", num: true }, { label: "Copied", num: true }, "Findings"]}
          >
            {rows.map(({ ch, c }) => {
              const checked = !!c?.checkedAt;
              return (
                <tr key={ch.id} data-chapter-id={ch.id}>
                  <th scope="row">
                    <Link href={`/stories/${storyId}/chapters/${ch.id}`}>{chapterName(ch)}</Link>
                  </th>
                  <td class="num">{checked ? Math.round(c!.metrics.lengthScore) : "—"}</td>
                  <td class="num">{checked && c!.metrics.beatCoverage !== null ? pct(c!.metrics.beatCoverage) : "—"}</td>
                  <td class="num">{checked ? pct(c!.metrics.copyRate) : "—"}</td>
                  <td>
                    {checked ? (
                      <span class="report-findings">
                        <FindingsBadge chapter={c} />
                        {typesOf(c!) && <span class="muted small">{typesOf(c!)}</span>}
                      </span>
                    ) : (
                      <span class="muted small">{ch.hasContent ? "Not checked yet" : "Not written"}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </Table>
          {report.book.findings.length > 0 && (
            <div class="book-findings">
              <h4 tabIndex={-1} ref={across}>
                Across the book
              </h4>
              <FindingList
                storyId={storyId}
                detail={detail}
                busy={busy}
                findings={report.book.findings}
                label="Findings across the book"
                onStory={onStory}
                onGone={() => across.current?.focus()}
              />
            </div>
          )}
          {error && <p class="muted small">The report could not be refreshed just now; this is what it said last.</p>}
        </>
      )}
    </section>
  );
}
