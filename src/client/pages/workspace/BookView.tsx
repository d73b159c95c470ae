// "Write the whole book": the quote first, then live progress per stage, the chapters
// streaming in as they are written, failures with Retry, and Cancel. Under it, the book's
// continuity report (docs/CONTINUITY.md), chapter by chapter.
import { useState } from "preact/hooks";
import type { BookMode } from "../../../shared/schemas";
import { BOOK_STAGES, STAGE_INFO, UNIT_STAGES, type UnitStage } from "../../../shared/stages";
import { Checkbox } from "../../components/Field";
import { Loading, Notice } from "../../components/misc";
import { num, plural } from "../../format";
import { Link } from "../../router";
import { chapterName, ProgressBar, StepHead, type StepProps } from "./common";
import { costLabel, GenerateButton, useEstimate, type Estimate } from "./generate";
import { FailureList, useJobActions } from "./JobPanel";
import { StreamBox } from "./StepChapters";
import { isActive } from "./live";
import { BookReport } from "../continuity/BookReport";

const MODES: { mode: BookMode; label: string; about: string }[] = [
  {
    mode: "hybrid",
    label: "Planned seams (recommended)",
    about: "Plans where every chapter leaves the story, writes the chapters at once against that plan, then checks each seam and rewrites only an opening that does not follow.",
  },
  {
    mode: "sequential",
    label: "One chapter after another",
    about: "Each chapter is written after the previous one and knows exactly what it said: the most coherent, and the slowest.",
  },
  { mode: "parallel", label: "All at once", about: "Every chapter at the same time, from the outline and beats only: the fastest, with no memory of what the others wrote." },
];

const duration = (seconds: number) =>
  seconds < 90 ? `about ${Math.max(1, Math.round(seconds / 10) * 10)} seconds` : seconds < 5400 ? `about ${Math.round(seconds / 60)} minutes` : `about ${Math.round(seconds / 360) / 10} hours`;

function Quote({ props }: { props: StepProps }) {
  const { storyId, live } = props;
  const [regenerate, setRegenerate] = useState(false);
  const [chosen, setMode] = useState<BookMode | null>(null);
  const quotes = {
    hybrid: useEstimate(storyId, "book", { regenerate, mode: "hybrid", version: live.rev, enabled: !live.busy }),
    sequential: useEstimate(storyId, "book", { regenerate, mode: "sequential", version: live.rev, enabled: !live.busy }),
    parallel: useEstimate(storyId, "book", { regenerate, mode: "parallel", version: live.rev, enabled: !live.busy }),
  };
  // Until the author picks, the most coherent way their balance covers: a new author's free
  // credits may pay for a short book one way and not another.
  const fits = (m: BookMode) => {
    const e = quotes[m].data;
    return !!e && e.balance.text >= e.totals.text && e.balance.image >= e.totals.image;
  };
  const affordable = MODES.map((m) => m.mode).find(fits);
  const mode: BookMode = chosen ?? (!fits("hybrid") && affordable ? affordable : "hybrid");
  const moved = !chosen && mode !== "hybrid";
  const quote = quotes[mode];
  const q: Estimate | null = quote.data;
  const byStage = new Map<UnitStage, { units: number; credits: number; max: number; type: "text" | "image" }>();
  for (const u of q?.units ?? []) {
    const s = byStage.get(u.stage) ?? { units: 0, credits: 0, max: 0, type: u.creditType };
    s.units++;
    s.credits += u.optional ? 0 : u.credits;
    s.max += u.maxCredits;
    byStage.set(u.stage, s);
  }
  const stages = [...byStage.keys()].sort((a, b) => UNIT_STAGES.indexOf(a) - UNIT_STAGES.indexOf(b));
  const short = q ? (["text", "image"] as const).filter((t) => q.totals[t] > 0 && q.balance[t] < q.totals[t]) : [];
  const both = (t: { text: number; image: number }) =>
    [t.text > 0 ? costLabel(t.text, "text") : "", t.image > 0 ? costLabel(t.image, "image") : ""].filter(Boolean).join(" + ");
  const costText = q ? both(q.totals) : undefined;
  return (
    <div class="card quote">
      <h3>The quote</h3>
      <fieldset class="modes">
        <legend>How the chapters are written</legend>
        {MODES.map((m) => {
          const e = quotes[m.mode].data;
          return (
            <label key={m.mode} class={`mode-option${mode === m.mode ? " is-selected" : ""}`}>
              <input type="radio" name="book-mode" value={m.mode} checked={mode === m.mode} onChange={() => setMode(m.mode)} />
              <span class="mode-text">
                <strong>{m.label}</strong>
                <span class="muted small">{m.about}</span>
                <span class="mode-figures small" data-testid={`mode-${m.mode}`}>
                  {e ? `${both(e.totals)} (at most ${both(e.maxTotals)}) · ${duration(e.wallSeconds)}` : "Pricing…"}
                </span>
              </span>
            </label>
          );
        })}
      </fieldset>
      {moved && (
        <p class="muted small" data-testid="mode-moved">
          Your balance covers “{MODES.find((m) => m.mode === mode)!.label}” but not the recommended way, so it is chosen; you can pick another.
        </p>
      )}
      {!q && quote.loading && <Loading label="Working out the price…" />}
      {quote.error && <Notice tone="error">{quote.error.message}</Notice>}
      {q && q.units.length === 0 && (
        <Notice tone="success" title="Everything is already written.">
          <p>Tick “Write everything again” below to replace what exists.</p>
        </Notice>
      )}
      {q && q.units.length > 0 && (
        <>
          <table class="table quote-table">
            <caption class="sr-only">What will be written and what it costs</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Calls</th>
                <th scope="col" class="num">
                  Predicted cost
                </th>
                <th scope="col" class="num">
                  At most
                </th>
              </tr>
            </thead>
            <tbody>
              {stages.map((stage) => {
                const s = byStage.get(stage)!;
                return (
                  <tr key={stage}>
                    <td>{STAGE_INFO[stage].label}</td>
                    <td>{stage === "boundaries" ? `${s.units}, only where needed` : s.units}</td>
                    <td class="num">{s.credits ? costLabel(s.credits, s.type) : "—"}</td>
                    <td class="num">{costLabel(s.max, s.type)}</td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td class="num" data-testid="book-total">
                  {costText}
                </td>
                <td class="num" data-testid="book-max">
                  {both(q.maxTotals)}
                </td>
              </tr>
            </tfoot>
          </table>
          <p class="muted small">
            Your balance: {num(q.balance.text)} text credits, {num(q.balance.image)} image credits. Steps that already exist are skipped. Each call is
            charged for the tokens it really uses, and never more than its ceiling (its longest allowed answer, and one continuation or length pass
            where a chapter needs it), so the book cannot cost more than the last column. It takes {duration(q.wallSeconds)} at a typical provider.
          </p>
          {short.length > 0 && (
            <Notice tone="warning" title="Not enough credits for the whole book.">
              <p>
                {short.map((t) => `${costLabel(q.totals[t] - q.balance[t], t)} short`).join(", ")}. <Link href="/billing">Get more credits</Link>
              </p>
            </Notice>
          )}
        </>
      )}
      <Checkbox label="Write everything again, replacing what exists" checked={regenerate} onChecked={setRegenerate} />
      <div class="form-actions">
        <GenerateButton
          storyId={storyId}
          stage="book"
          mode={mode}
          label="Write the whole book"
          estimate={quote}
          costText={costText}
          regenerate={regenerate}
          busy={live.busy}
          disabled={!q || q.units.length === 0}
          onStarted={live.startJob}
          class="btn btn-primary btn-lg"
        />
      </div>
    </div>
  );
}

function Progress({ props }: { props: StepProps }) {
  const { live, detail } = props;
  const job = live.job!;
  const { pending, cancel, retry } = useJobActions(live);
  const plan = ((job.params.plan as UnitStage[] | undefined) ?? [...BOOK_STAGES]).filter((s) => STAGE_INFO[s]);
  const active = isActive(job);
  const current = job.currentStage;
  const currentIndex = current ? plan.indexOf(current) : -1;
  const streams = Object.entries(live.streams);
  const written = detail.chapters.filter((c) => c.hasContent).length;
  return (
    <div class="card book-progress" aria-live="polite">
      <div class="job-panel-row">
        <h3>{active ? "Writing your book…" : job.status === "succeeded" ? "Your book is written." : job.status === "cancelled" ? "Stopped." : "Finished with problems."}</h3>
        {active && (
          <button type="button" class="btn btn-ghost" onClick={cancel} disabled={pending !== null}>
            {pending === "cancel" ? "Cancelling…" : "Cancel"}
          </button>
        )}
      </div>
      <ol class="stage-track">
        {plan.map((stage, i) => {
          const p = live.progress[stage];
          const state = !active && job.status === "succeeded" ? "done" : i < currentIndex ? "done" : i === currentIndex ? (active ? "current" : "stopped") : "pending";
          return (
            <li key={stage} class={`stage-track-item is-${state}`} aria-current={state === "current" ? "step" : undefined}>
              <span class="stage-dot" aria-hidden="true">
                {state === "done" ? "✓" : i + 1}
              </span>
              <span class="stage-name">{STAGE_INFO[stage].label}</span>
              <span class="stage-count">
                {p ? `${p.done} of ${p.total}${p.failed ? `, ${p.failed} failed` : ""}` : state === "done" ? "done" : state === "current" ? "starting…" : ""}
              </span>
              {state === "current" && p && p.total > 1 && <ProgressBar value={p.done + p.failed} max={p.total} label={`${STAGE_INFO[stage].label} progress`} />}
            </li>
          );
        })}
      </ol>
      <p class="muted">
        {written} of {plural(detail.chapters.length, "chapter")} written.
        {job.actualCost > 0 && ` Charged so far: ${num(job.actualCost)} credits of ${num(job.predictedCost)} quoted.`}
      </p>
      {live.errors.length > 0 && (
        <Notice
          tone="error"
          title={`${plural(live.errors.length, "part")} failed`}
          actions={
            !active && (
              <button type="button" class="btn btn-sm" onClick={retry} disabled={pending !== null}>
                {pending === "retry" ? "Retrying…" : "Retry"}
              </button>
            )
          }
        >
          <FailureList errors={live.errors.slice(0, 8)} detail={detail} />
        </Notice>
      )}
      {!active && job.error && !live.errors.length && <Notice tone="error">{job.error}</Notice>}
      {streams.length > 0 && (
        <div class="streams">
          <h4>Being written now</h4>
          {streams.map(([id, text]) => {
            const c = detail.chapters.find((x) => x.id === Number(id));
            return (
              <div key={id} class="stream-block">
                <p class="stream-title">{c ? chapterName(c) : `Chapter ${id}`}</p>
                <StreamBox text={text} label={`${c ? chapterName(c) : "Chapter"} as it is written`} />
              </div>
            );
          })}
        </div>
      )}
      {!active && (
        <div class="form-actions">
          {written > 0 && (
            <Link href={`/stories/${props.storyId}/read`} class="btn btn-primary">
              Read the book
            </Link>
          )}
          <button type="button" class="btn btn-ghost" onClick={live.dismissJob}>
            Back to the quote
          </button>
        </div>
      )}
    </div>
  );
}

export function BookView(props: StepProps) {
  const job = props.live.job;
  const showProgress = !!job && job.stage === "book";
  return (
    <section aria-labelledby="step-title">
      <StepHead title="Write the whole book">
        <p>One run through every step: characters and places, outline, arcs, beats, every chapter, and the cover. See the price first.</p>
      </StepHead>
      {showProgress ? <Progress props={props} /> : <Quote props={props} />}
      <BookReport storyId={props.storyId} detail={props.detail} busy={props.live.busy} rev={props.live.rev} onStarted={props.live.startJob} onStory={props.live.setDetail} />
    </section>
  );
}
