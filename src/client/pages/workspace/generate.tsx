// Estimates and Generate buttons. The button shows the predicted cost from
// GET /api/stories/:id/estimate ("Generate outline · 86 credits"), refreshed when the story
// changes; it starts the job with POST /api/stories/:id/generate and explains refusals.
import { useEffect, useState } from "preact/hooks";
import type { Estimate, EstimateUnit, Job, JobResponse, StoryDetail } from "../../../shared/api";
import type { GenerateInput } from "../../../shared/schemas";
import { missingPrerequisites } from "../../../shared/prerequisites";
import type { BookMode } from "../../../shared/schemas";
import type { Stage, UnitStage } from "../../../shared/stages";
import { ApiError, get, post, qs } from "../../api";
import { num } from "../../format";
import { Link } from "../../router";
import { toast } from "../../toast";

export type { Estimate, EstimateUnit };

/** The API's own prerequisite rules (src/shared), checked here first so we do not ask for a refusal. */
export const missingFor = (stage: Stage, d: StoryDetail | null, chapterIds?: number[]): string[] =>
  d ? missingPrerequisites(stage, d, chapterIds) : [];

export const missingText = (missing: string[]) => {
  const list = missing.length > 2 ? `${missing.slice(0, 2).join(", ")} and ${missing.length - 2} more` : missing.join(" and ");
  return `This step needs ${list} first.`;
};

type EstimateState = { data: Estimate | null; error: ApiError | null; loading: boolean };

export function useEstimate(
  storyId: number,
  stage: Stage,
  opts: { chapterIds?: number[]; regenerate?: boolean; mode?: BookMode; version: number; enabled?: boolean },
): EstimateState {
  const [state, setState] = useState<EstimateState>({ data: null, error: null, loading: false });
  const ids = opts.chapterIds?.join(",");
  const enabled = opts.enabled !== false;
  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    // Bursts of changes (typing, events) settle into one request.
    const t = setTimeout(() => {
      get<Estimate>(`/api/stories/${storyId}/estimate${qs({ stage, chapterIds: ids, regenerate: opts.regenerate ? "true" : undefined, mode: opts.mode })}`, {
        signal: ctrl.signal,
      }).then(
        (data) => setState({ data, error: null, loading: false }),
        (e) => {
          if ((e as Error).name === "AbortError") return;
          setState({ data: null, error: e instanceof ApiError ? e : null, loading: false });
        },
      );
    }, 350);
    return () => {
      clearTimeout(t);
      ctrl.abort();
      setState((s) => (s.loading ? { ...s, loading: false } : s));
    };
  }, [storyId, stage, ids, opts.regenerate, opts.mode, opts.version, enabled]);
  return state;
}

export const costLabel = (credits: number | null | undefined, type: "text" | "image") =>
  credits === null || credits === undefined ? "" : `${num(credits)} ${type === "image" ? "image credit" : "credit"}${credits === 1 ? "" : "s"}`;


/** Starts a job; turns the API's refusals into one readable message (and a link when useful). */
export async function startGeneration(storyId: number, body: GenerateInput): Promise<Job> {
  const { job } = await post<JobResponse>(`/api/stories/${storyId}/generate`, body);
  return job;
}

export function refusalMessage(e: unknown): { text: string; link?: { href: string; label: string } } {
  if (!(e instanceof ApiError)) return { text: "The generation could not be started." };
  if (e.code === "insufficient_credits")
    return { text: `${e.message}`, link: { href: "/billing", label: "Get more credits" } };
  if (e.code === "generation_in_progress") {
    const job = e.data.job as { storyId?: number } | undefined;
    return job?.storyId ? { text: e.message, link: { href: `/stories/${job.storyId}`, label: "See the running job" } } : { text: e.message };
  }
  return { text: e.message };
}

type ButtonProps = {
  storyId: number;
  stage: Stage;
  label: string;
  /** Credits to show, when the caller already has the estimate (per-chapter buttons). */
  credits?: number | null;
  creditType?: "text" | "image";
  estimate?: EstimateState;
  chapterIds?: number[];
  prompt?: string;
  instructions?: string;
  regenerate?: boolean;
  mode?: BookMode;
  busy: boolean;
  missing?: string[];
  onStarted: (job: Job) => void;
  class?: string;
  ariaLabel?: string;
  disabled?: boolean;
  /** Replaces the computed cost text (e.g. text and image credits together). */
  costText?: string;
};

export function GenerateButton(p: ButtonProps) {
  const [starting, setStarting] = useState(false);
  const [problem, setProblem] = useState<ReturnType<typeof refusalMessage> | null>(null);
  const type = p.creditType ?? (p.stage === "cover" || p.stage === "chapter_image" ? "image" : "text");
  const fromEstimate = p.estimate?.data ? p.estimate.data.totals[type] : null;
  const credits = p.credits !== undefined ? p.credits : fromEstimate;
  const missing = p.missing ?? [];
  const estimateError = p.estimate?.error && p.estimate.error.code !== "missing_prerequisites" ? null : p.estimate?.error;
  const blocked = missing.length > 0 || !!estimateError || !!p.disabled;
  const cost = p.costText ?? costLabel(credits, type);
  // Per-item buttons (they get `credits` from a shared estimate) stay short while a job runs.
  const compact = p.credits !== undefined;
  const pricing = !cost && !compact && !!p.estimate?.loading && !missing.length;
  const text = starting
    ? "Starting…"
    : p.busy
      ? compact
        ? p.label
        : `${p.label} · running…`
      : cost
        ? `${p.label} · ${cost}`
        : pricing
          ? `${p.label} · pricing…`
          : p.label;
  return (
    <span class="generate">
      <button
        type="button"
        class={p.class ?? "btn btn-primary"}
        disabled={p.busy || starting || blocked}
        aria-label={p.ariaLabel ? `${p.ariaLabel}${cost ? ` (${cost})` : ""}` : undefined}
        onClick={async () => {
          setStarting(true);
          setProblem(null);
          try {
            const job = await startGeneration(p.storyId, {
              stage: p.stage,
              ...(p.mode ? { mode: p.mode } : {}),
              ...(p.chapterIds ? { chapterIds: p.chapterIds } : {}),
              ...(p.prompt?.trim() ? { prompt: p.prompt.trim() } : {}),
              ...(p.instructions?.trim() ? { instructions: p.instructions.trim() } : {}),
              ...(p.regenerate ? { regenerate: true } : {}),
            });
            p.onStarted(job);
          } catch (e) {
            const r = refusalMessage(e);
            setProblem(r);
            toast(r.text, "error");
          } finally {
            setStarting(false);
          }
        }}
      >
        {text}
      </button>
      {missing.length > 0 && <span class="generate-note">{missingText(missing)}</span>}
      {!missing.length && estimateError && <span class="generate-note">{estimateError.message}</span>}
      {problem && (
        <span class="generate-note generate-problem" role="alert">
          {problem.text} {problem.link && <Link href={problem.link.href}>{problem.link.label}</Link>}
        </span>
      )}
    </span>
  );
}
