// The story workspace: a step bar (Details → Characters & places → Outline → Arcs → Beats →
// Chapters → Images → Read), the running job, and the current step. Also "Write the whole book".
import type { ComponentType } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import type { UnitStage } from "../../../shared/stages";
import { Loading, Notice, useTitle } from "../../components/misc";
import { Link, navigate } from "../../router";
import { BookView } from "./BookView";
import type { StepProps } from "./common";
import { JobPanel } from "./JobPanel";
import { dirtySteps, isActive, STEP_NAMES, useLive, useMemory } from "./live";
import { StepArcs } from "./StepArcs";
import { StepBeats } from "./StepBeats";
import { StepCast } from "./StepCast";
import { StepChapters } from "./StepChapters";
import { StepDetails } from "./StepDetails";
import { StepImages } from "./StepImages";
import { StepOutline } from "./StepOutline";

type Slug = "details" | "cast" | "outline" | "arcs" | "beats" | "chapters" | "images";
const STEPS: { slug: Slug; label: string; Component: ComponentType<StepProps>; stages: UnitStage[] }[] = [
  { slug: "details", label: "Details", Component: StepDetails, stages: [] },
  { slug: "cast", label: "Characters & places", Component: StepCast, stages: ["meta"] },
  { slug: "outline", label: "Outline", Component: StepOutline, stages: ["summaries"] },
  { slug: "arcs", label: "Arcs", Component: StepArcs, stages: ["arcs"] },
  { slug: "beats", label: "Beats", Component: StepBeats, stages: ["contracts", "guides"] },
  { slug: "chapters", label: "Chapters", Component: StepChapters, stages: ["chapters", "digests", "boundaries"] },
  { slug: "images", label: "Images", Component: StepImages, stages: ["cover", "chapter_image"] },
];

function complete(slug: Slug, d: StoryDetail): boolean {
  const all = d.chapters.length > 0;
  switch (slug) {
    case "details":
      return !!d.story.title;
    case "cast":
      return d.characters.length + d.locations.length > 0;
    case "outline":
      return all && d.chapters.every((c) => c.summary.trim());
    case "arcs":
      return d.arcs.length > 0;
    case "beats":
      return all && d.chapters.every((c) => c.hasGuide);
    case "chapters":
      return all && d.chapters.every((c) => c.hasContent);
    case "images":
      return !!d.story.coverImageUrl;
  }
}

/** Where to land when no step is named: the first one with work left. */
const firstOpenStep = (d: StoryDetail): Slug => STEPS.find((s) => s.slug !== "details" && !complete(s.slug, d))?.slug ?? "chapters";

function StepBar({ storyId, current, detail, dirty, runningStages }: { storyId: number; current: string; detail: StoryDetail; dirty: string[]; runningStages: UnitStage[] }) {
  const ref = useRef<HTMLElement>(null);
  // On narrow screens the bar scrolls sideways: keep the current step in view.
  useEffect(() => {
    const nav = ref.current;
    const link = nav?.querySelector<HTMLElement>('[aria-current="step"]');
    if (nav && link) nav.scrollLeft = link.offsetLeft - (nav.clientWidth - link.offsetWidth) / 2;
  }, [current]);
  return (
    <nav class="stepbar" aria-label="Story steps" ref={ref}>
      <ol>
        {STEPS.map((s, i) => {
          const done = complete(s.slug, detail);
          const isDirty = dirty.includes(s.slug);
          const running = s.stages.some((st) => runningStages.includes(st));
          return (
            <li key={s.slug} class={`${current === s.slug ? "is-current" : ""}${done ? " is-done" : ""}`}>
              <Link href={`/stories/${storyId}/${s.slug}`} aria-current={current === s.slug ? "step" : undefined}>
                <span class="stepbar-num" aria-hidden="true">
                  {done ? "✓" : i + 1}
                </span>
                <span class="stepbar-label">{s.label}</span>
                {isDirty && (
                  <span class="dirty-dot" title="Unsaved changes">
                    <span class="sr-only">(unsaved changes)</span>
                  </span>
                )}
                {running && (
                  <span class="pulse" title="Generating">
                    <span class="sr-only">(generating)</span>
                  </span>
                )}
                {done && <span class="sr-only">(done)</span>}
              </Link>
            </li>
          );
        })}
        <li>
          <Link href={`/stories/${storyId}/read`}>
            <span class="stepbar-num" aria-hidden="true">
              8
            </span>
            <span class="stepbar-label">Read</span>
          </Link>
        </li>
      </ol>
    </nav>
  );
}

export default function Workspace({ params }: { params: Record<string, string> }) {
  const storyId = Number(params.id);
  if (!Number.isInteger(storyId) || storyId <= 0)
    return (
      <div class="page narrow">
        <h1>Story not found</h1>
        <Link href="/dashboard">Back to my stories</Link>
      </div>
    );
  return <WorkspaceFor key={storyId} storyId={storyId} step={params.step} />;
}

function WorkspaceFor({ storyId, step }: { storyId: number; step?: string }) {
  const live = useLive(storyId);
  const mem = useMemory(storyId);
  const detail = live.detail;
  const dirty = dirtySteps(mem);
  useTitle(detail ? detail.story.title : "Story");

  // Leaving the page with unsaved drafts asks first: see the beforeunload listener in live.ts.
  useEffect(() => {
    if (detail && !step) navigate(`/stories/${storyId}/${firstOpenStep(detail)}`, { replace: true });
  }, [!!detail, step]);

  if (live.loadError)
    return (
      <div class="page narrow">
        <h1>{live.loadError.status === 404 ? "Story not found" : "The story could not be loaded"}</h1>
        <p>{live.loadError.status === 404 ? "It may have been deleted, or it belongs to someone else." : live.loadError.message}</p>
        <Link href="/dashboard">Back to my stories</Link>
      </div>
    );
  if (!detail) return <Loading label="Opening your story…" />;

  const current = step ?? firstOpenStep(detail);
  const def = STEPS.find((s) => s.slug === current);
  const job = isActive(live.job) ? live.job : null;
  const runningStages: UnitStage[] = job?.currentStage ? [job.currentStage] : job && job.stage !== "book" ? [job.stage] : [];
  const props: StepProps = { storyId, live, mem, detail };

  return (
    <div class="page workspace">
      <div class="workspace-head">
        <div>
          <p class="breadcrumb">
            <Link href="/dashboard">My stories</Link> <span aria-hidden="true">/</span>
          </p>
          <h1 class="workspace-title">{detail.story.title}</h1>
        </div>
        <div class="workspace-actions">
          <Link href={`/stories/${storyId}/book`} class={`btn ${current === "book" ? "btn-primary" : ""}`} aria-current={current === "book" ? "page" : undefined}>
            Write the whole book
          </Link>
          <Link href={`/stories/${storyId}/read`} class="btn btn-ghost">
            Read
          </Link>
        </div>
      </div>
      <StepBar storyId={storyId} current={current} detail={detail} dirty={dirty} runningStages={runningStages} />
      {dirty.length > 0 && (
        <p class="dirty-summary" role="status">
          Unsaved changes in {dirty.map((d) => STEP_NAMES[d]).join(", ")}. They are kept while you move between steps.
        </p>
      )}
      {!(current === "book" && live.job?.stage === "book") && <JobPanel live={live} detail={detail} />}
      <div class="step-body">
        {current === "book" ? (
          <BookView {...props} />
        ) : def ? (
          <def.Component {...props} />
        ) : (
          <Notice tone="warning">
            <p>
              There is no step called “{current}”. <Link href={`/stories/${storyId}/details`}>Go to the details</Link>
            </p>
          </Notice>
        )}
      </div>
    </div>
  );
}
