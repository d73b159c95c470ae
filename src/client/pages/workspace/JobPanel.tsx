import { useState } from "preact/hooks";
import type { Job, StoryDetail } from "../../../shared/api";
import { STAGE_INFO, type UnitStage } from "../../../shared/stages";
import { post } from "../../api";
import { Notice } from "../../components/misc";
import { num } from "../../format";
import { orToast, toast } from "../../toast";
import { ProgressBar } from "./common";
import { isActive, type GenError, type Live } from "./live";

export const jobTitle = (j: Job) => (j.stage === "book" ? "Writing the whole book" : `Generating ${STAGE_INFO[j.stage].label.toLowerCase()}`);

export function useJobActions(live: Live) {
  const [pending, setPending] = useState<"cancel" | "retry" | null>(null);
  /** Runs one action on the job on screen, marking it pending meanwhile (its button says so). */
  const act = (kind: "cancel" | "retry", fn: (job: Job) => Promise<void>) => async () => {
    if (!live.job) return;
    setPending(kind);
    await orToast(fn)(live.job);
    setPending(null);
  };
  const cancel = act("cancel", async (job) => {
    await post(`/api/jobs/${job.id}/cancel`);
    toast("Cancelling: chapters already being written will finish.", "info");
  });
  const retry = act("retry", async (job) => {
    const { job: next } = await post<{ job: Job }>(`/api/jobs/${job.id}/retry`);
    live.retried(next);
  });
  return { pending, cancel, retry };
}

/** A job's failed parts: the step, the chapter if any, and why. */
export function FailureList({ errors, detail }: { errors: GenError[]; detail: StoryDetail }) {
  return (
    <ul class="error-list">
      {errors.map((e, i) => {
        const c = e.chapterId ? detail.chapters.find((x) => x.id === e.chapterId) : null;
        return (
          <li key={i}>
            {STAGE_INFO[e.stage].label}
            {c ? `, chapter ${c.number}` : ""}: {e.error}
          </li>
        );
      })}
    </ul>
  );
}

export function stageProgress(live: Live, job: Job, stage: UnitStage | null) {
  const p = stage ? live.progress[stage] : undefined;
  return p ?? { done: job.unitsDone, total: job.unitsTotal, failed: job.unitsFailed };
}

/** The job running on this story (or the last one, when it left failures to retry). */
export function JobPanel({ live, detail }: { live: Live; detail: StoryDetail }) {
  const { pending, cancel, retry } = useJobActions(live);
  const job = live.job;
  if (!job) return null;
  const stage = job.currentStage ?? (job.stage === "book" ? null : job.stage);
  const p = stageProgress(live, job, stage);
  const perChapter = stage ? STAGE_INFO[stage].perChapter : false;
  if (isActive(job))
    return (
      <section class="job-panel card" aria-label="Generation in progress" aria-live="polite">
        <div class="job-panel-row">
          <div>
            <p class="job-title">
              <span class="pulse" aria-hidden="true" /> {jobTitle(job)}
              {job.stage === "book" && stage ? ` — ${STAGE_INFO[stage].label}` : ""}
            </p>
            <p class="muted small">
              {perChapter ? `${p.done} of ${p.total} chapters done` : p.done >= p.total && p.total > 0 ? "Done, saving…" : "Working…"}
              {p.failed > 0 && `, ${p.failed} failed`}
              {job.predictedCost > 0 && ` · quoted ${num(job.predictedCost)} credits`}
            </p>
          </div>
          <button type="button" class="btn btn-ghost btn-sm" onClick={cancel} disabled={pending !== null}>
            {pending === "cancel" ? "Cancelling…" : "Cancel"}
          </button>
        </div>
        <ProgressBar value={p.done + p.failed} max={Math.max(1, p.total)} label={`${jobTitle(job)} progress`} />
      </section>
    );
  const failures = live.errors.filter((e) => e.jobId === job.id);
  if (job.status === "succeeded" || job.status === "cancelled")
    return (
      <Notice
        tone={job.status === "succeeded" ? "success" : "info"}
        role="status"
        actions={
          <button type="button" class="btn btn-ghost btn-sm" onClick={live.dismissJob}>
            Dismiss
          </button>
        }
      >
        <p>
          {jobTitle(job)} {job.status === "succeeded" ? "is done" : "was cancelled"}.
          {job.actualCost > 0 && ` It cost ${num(job.actualCost)} credits (quoted ${num(job.predictedCost)}).`}
          {job.actualImageCost > 0 && ` It cost ${num(job.actualImageCost)} image credits (quoted ${num(job.predictedImageCost)}).`}
        </p>
      </Notice>
    );
  return (
    <Notice
      tone="error"
      title={`${jobTitle(job)} ${job.status === "partial" ? "finished with failures" : "failed"}.`}
      actions={
        <>
          <button type="button" class="btn btn-sm" onClick={retry} disabled={pending !== null}>
            {pending === "retry" ? "Retrying…" : "Retry failed parts"}
          </button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={live.dismissJob}>
            Dismiss
          </button>
        </>
      }
    >
      {job.error && <p>{job.error}</p>}
      {failures.length > 0 && <FailureList errors={failures.slice(0, 5)} detail={detail} />}
    </Notice>
  );
}
