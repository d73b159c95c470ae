// The workspace's data: the story as the server has it (kept current by live events), the job
// running on it, and, separately, the author's unsaved drafts per step. Drafts live outside the
// page component so they survive switching steps and opening the chapter editor; new results
// never overwrite them — the step offers to load the new version instead.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Character, ChapterSummary, GuidePart, Job, JobDetail, JobUnit, Location, StoryDetail } from "../../../shared/api";
import type { ServerEvent } from "../../../shared/events";
import type { UnitStage } from "../../../shared/stages";
import { ApiError, get } from "../../api";
import type { Keyed } from "../../components/ListEditor";
import type { StoryFormValue } from "../../components/StoryForm";
import { countWords } from "../../format";
import { session } from "../../session";
import { store, useStore, type Store } from "../../store";
import { onReconnect, subscribe } from "../../ws";

// ------------------------------------------------------------------ drafts (per story, per step)

/** `aliasText`: the other names as the author is typing them (a comma-separated list). */
export type CastDraft = {
  characters: (Character & Keyed & { aliasText?: string })[];
  locations: (Location & Keyed & { aliasText?: string })[];
};
export type OutlineDraft = { chapters: (Keyed & { id?: number; title: string; summary: string; hasContent: boolean })[]; removed: number };
export type ArcsDraft = { arcs: (Keyed & { text: string })[] };
export type BeatsDraft = { parts: (GuidePart & Keyed)[] };
export type ImagesDraft = { cover?: string; chapters: Record<number, string> };

type StepDrafts = { details: StoryFormValue; cast: CastDraft; outline: OutlineDraft; arcs: ArcsDraft; images: ImagesDraft };
export type StepKey = keyof StepDrafts;
export type Draft<T> = { value: T; base: number };
type StepMemory = { [K in StepKey]?: Draft<StepDrafts[K]> };
export type Memory = StepMemory & {
  beats: Record<number, Draft<BeatsDraft>>;
  /** Bumped when new results for a step arrive from the server. */
  incoming: { details: number; cast: number; outline: number; arcs: number; images: number; beats: Record<number, number> };
};

const memories = new Map<number, Store<Memory>>();
export function memoryOf(storyId: number): Store<Memory> {
  let m = memories.get(storyId);
  if (!m) {
    m = store<Memory>({ beats: {}, incoming: { details: 0, cast: 0, outline: 0, arcs: 0, images: 0, beats: {} } });
    memories.set(storyId, m);
  }
  return m;
}
export const useMemory = (storyId: number) => useStore(memoryOf(storyId));

export const STEP_NAMES: Record<StepKey | "beats", string> = {
  details: "Details",
  cast: "Characters & places",
  outline: "Outline",
  arcs: "Arcs",
  beats: "Beats",
  images: "Images",
};

/** Steps with unsaved edits, for the step bar and the leave warning (image prompts are only inputs). */
export function dirtySteps(m: Memory): (StepKey | "beats")[] {
  const out: (StepKey | "beats")[] = [];
  for (const k of ["details", "cast", "outline", "arcs"] as const) if (m[k]) out.push(k);
  if (Object.keys(m.beats).length) out.push("beats");
  return out;
}

/** One draft the author edits, as the editors see it: a step's, or the beats of one chapter. */
export type DraftSlot<T> = {
  draft: Draft<T> | undefined;
  /** New versions the server has sent so far; more than the draft's base means it is behind. */
  incoming: number;
  set: (value: T) => void;
  drop: () => void;
  /** "Keep my edits": the draft now counts as based on the latest server version. */
  keep: () => void;
};

export function stepDraft<K extends StepKey>(storyId: number, mem: Memory, key: K): DraftSlot<StepDrafts[K]> {
  const update = (f: (m: Memory) => Memory) => memoryOf(storyId).set(f);
  return {
    draft: (mem as StepMemory)[key],
    incoming: mem.incoming[key],
    set: (value) => update((m) => ({ ...m, [key]: { value, base: m[key]?.base ?? m.incoming[key] } })),
    drop: () =>
      update((m) => {
        const next = { ...m };
        delete next[key];
        return next;
      }),
    keep: () => update((m) => (m[key] ? { ...m, [key]: { ...m[key]!, base: m.incoming[key] } } : m)),
  };
}

export function beatsDraft(storyId: number, mem: Memory, chapterId: number): DraftSlot<BeatsDraft> {
  const update = (f: (m: Memory) => Memory["beats"]) =>
    memoryOf(storyId).set((m) => {
      const beats = f(m);
      return beats === m.beats ? m : { ...m, beats };
    });
  const incoming = (m: Memory) => m.incoming.beats[chapterId] ?? 0;
  return {
    draft: mem.beats[chapterId],
    incoming: incoming(mem),
    set: (value) => update((m) => ({ ...m.beats, [chapterId]: { value, base: m.beats[chapterId]?.base ?? incoming(m) } })),
    drop: () =>
      update((m) => {
        const beats = { ...m.beats };
        delete beats[chapterId];
        return beats;
      }),
    keep: () => update((m) => (m.beats[chapterId] ? { ...m.beats, [chapterId]: { ...m.beats[chapterId]!, base: incoming(m) } } : m.beats)),
  };
}

/** Reloading or closing the tab with unsaved drafts in any story asks first. */
window.addEventListener("beforeunload", (e) => {
  if ([...memories.values()].some((m) => dirtySteps(m.get()).length > 0)) {
    e.preventDefault();
    e.returnValue = "";
  }
});
// Drafts belong to whoever wrote them: signing out forgets them.
session.subscribe((s) => {
  if (!s.user) memories.clear();
});

const bump = (storyId: number, f: (i: Memory["incoming"]) => Memory["incoming"]) => {
  const m = memories.get(storyId);
  if (m) m.set((x) => ({ ...x, incoming: f(x.incoming) }));
};

// New results are counted even while the workspace is not on screen (e.g. in the chapter editor).
subscribe((e) => {
  const d = e.data as { storyId?: number };
  if (typeof d.storyId !== "number") return;
  const id = d.storyId;
  switch (e.event) {
    case "meta_generated":
      return bump(id, (i) => ({ ...i, cast: i.cast + 1 }));
    case "summaries_generated":
      return bump(id, (i) => ({ ...i, outline: i.outline + 1 }));
    case "arcs_generated":
      return bump(id, (i) => ({ ...i, arcs: i.arcs + 1 }));
    case "chapter_guide_generated":
      return bump(id, (i) => ({ ...i, beats: { ...i.beats, [e.data.chapterId]: (i.beats[e.data.chapterId] ?? 0) + 1 } }));
    case "image_generated":
      return bump(id, (i) => ({ ...i, images: i.images + 1 }));
  }
});

// ------------------------------------------------------------------ live server state

/** The API always sends aliases; events may leave them out. */
const withAliases = <T extends { aliases?: string[] }>(x: T) => ({ ...x, aliases: x.aliases ?? [] });

export type StageProgress = { done: number; total: number; failed: number };
export type GenError = { jobId: number; stage: UnitStage; chapterId: number | null; error: string };
export type { JobUnit };

export type LiveState = {
  detail: StoryDetail | null;
  loadError: ApiError | null;
  job: Job | null;
  progress: Partial<Record<UnitStage, StageProgress>>;
  errors: GenError[];
  streams: Record<number, string>;
  guides: Record<number, GuidePart[]>;
  /** Names each chapter's newest beats left out because the cast and places do not have them. */
  dropped: Record<number, string[]>;
  /** Bumped whenever the story changes, so estimates refresh. */
  rev: number;
};

export const isActive = (j: Job | null | undefined): boolean => !!j && (j.status === "queued" || j.status === "running");

const progressFromUnits = (units: JobUnit[]) => {
  const p: Partial<Record<UnitStage, StageProgress>> = {};
  for (const u of units) {
    const s = (p[u.stage] ??= { done: 0, total: 0, failed: 0 });
    s.total++;
    if (u.status === "succeeded") s.done++;
    if (u.status === "failed") s.failed++;
  }
  return p;
};

function patchChapters(d: StoryDetail, f: (c: ChapterSummary) => ChapterSummary): StoryDetail {
  return { ...d, chapters: d.chapters.map(f) };
}

function apply(s: LiveState, storyId: number, e: ServerEvent): LiveState {
  const mine = (id: number) => id === storyId;
  switch (e.event) {
    case "job_started": {
      if (!mine(e.data.job.storyId)) return s;
      const retry = s.job?.id === e.data.job.id;
      return {
        ...s,
        job: e.data.job,
        progress: retry ? s.progress : {},
        errors: retry ? s.errors.filter((x) => x.jobId !== e.data.job.id) : [],
        streams: {},
      };
    }
    case "job_progress": {
      if (!mine(e.data.storyId)) return s;
      const job = s.job && s.job.id === e.data.jobId ? { ...s.job, status: "running" as const, currentStage: e.data.stage } : s.job;
      return { ...s, job, progress: { ...s.progress, [e.data.stage]: { done: e.data.done, total: e.data.total, failed: e.data.failed } } };
    }
    case "job_finished":
      if (!mine(e.data.job.storyId)) return s;
      return { ...s, job: e.data.job, streams: {} };
    case "generation_error":
      if (!mine(e.data.storyId)) return s;
      return { ...s, errors: [...s.errors, { jobId: e.data.jobId, stage: e.data.stage, chapterId: e.data.chapterId, error: e.data.error }] };
    case "meta_generated":
      if (!mine(e.data.storyId) || !s.detail) return s;
      return { ...s, rev: s.rev + 1, detail: { ...s.detail, characters: e.data.characters.map(withAliases), locations: e.data.locations.map(withAliases) } };
    case "summaries_generated": {
      if (!mine(e.data.storyId) || !s.detail) return s;
      const byId = new Map(e.data.chapters.map((c) => [c.id, c]));
      const known = new Set(s.detail.chapters.map((c) => c.id));
      const updated = s.detail.chapters.map((c) => {
        const n = byId.get(c.id);
        return n ? { ...c, number: n.number, title: n.title, summary: n.summary } : c;
      });
      const added: ChapterSummary[] = e.data.chapters
        .filter((c) => !known.has(c.id))
        .map((c) => ({ ...c, wordCount: 0, hasContent: false, hasGuide: false, imageUrl: null, imagePrompt: null, stale: false, staleReason: null, hasDigest: false, digestStale: false, guideStale: false, updatedAt: new Date().toISOString() }));
      return { ...s, rev: s.rev + 1, detail: { ...s.detail, chapters: [...updated, ...added].sort((a, b) => a.number - b.number) } };
    }
    case "arcs_generated":
      if (!mine(e.data.storyId) || !s.detail) return s;
      return { ...s, rev: s.rev + 1, detail: { ...s.detail, arcs: e.data.arcs } };
    case "chapter_guide_generated":
      if (!mine(e.data.storyId) || !s.detail) return s;
      return {
        ...s,
        rev: s.rev + 1,
        guides: { ...s.guides, [e.data.chapterId]: e.data.parts },
        dropped: { ...s.dropped, [e.data.chapterId]: e.data.dropped ?? [] },
        detail: patchChapters(s.detail, (c) => (c.id === e.data.chapterId ? { ...c, hasGuide: e.data.parts.length > 0, guideStale: false } : c)),
      };
    case "chapter_delta":
      if (!mine(e.data.storyId)) return s;
      return { ...s, streams: { ...s.streams, [e.data.chapterId]: (s.streams[e.data.chapterId] ?? "") + e.data.text } };
    case "chapter_generated": {
      if (!mine(e.data.storyId) || !s.detail) return s;
      const streams = { ...s.streams };
      delete streams[e.data.chapterId];
      return {
        ...s,
        rev: s.rev + 1,
        streams,
        detail: patchChapters(s.detail, (c) =>
          c.id === e.data.chapterId
            ? { ...c, hasContent: true, stale: false, staleReason: null, digestStale: c.hasDigest, wordCount: countWords(e.data.content), updatedAt: new Date().toISOString() }
            : c,
        ),
      };
    }
    case "digest_generated":
      if (!mine(e.data.storyId) || !s.detail) return s;
      return { ...s, rev: s.rev + 1, detail: patchChapters(s.detail, (c) => (c.id === e.data.chapterId ? { ...c, hasDigest: true, digestStale: false } : c)) };
    case "image_generated":
      if (!mine(e.data.storyId) || !s.detail) return s;
      if (e.data.kind === "cover") return { ...s, rev: s.rev + 1, detail: { ...s.detail, story: { ...s.detail.story, coverImageUrl: e.data.url } } };
      return { ...s, rev: s.rev + 1, detail: patchChapters(s.detail, (c) => (c.id === e.data.chapterId ? { ...c, imageUrl: e.data.url } : c)) };
    default:
      return s;
  }
}

export type Live = LiveState & {
  busy: boolean;
  reload: () => Promise<void>;
  setDetail: (d: StoryDetail) => void;
  startJob: (job: Job) => void;
  retried: (job: Job) => void;
  loadGuide: (chapterId: number, force?: boolean) => Promise<void>;
  setGuide: (chapterId: number, parts: GuidePart[]) => void;
  dismissJob: () => void;
  /** Forgets the dropped names of the beats (the author saw them). */
  clearDropped: () => void;
};

export function useLive(storyId: number): Live {
  const [s, setS] = useState<LiveState>({ detail: null, loadError: null, job: null, progress: {}, errors: [], streams: {}, guides: {}, dropped: {}, rev: 0 });
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  const alive = useRef(true);

  const reload = useCallback(async () => {
    try {
      const detail = await get<StoryDetail>(`/api/stories/${storyId}`);
      if (alive.current) setS((x) => ({ ...x, detail, loadError: null, rev: x.rev + 1 }));
    } catch (e) {
      if (alive.current && e instanceof ApiError) setS((x) => (x.detail ? x : { ...x, loadError: e }));
    }
  }, [storyId]);

  const loadJob = useCallback(async () => {
    try {
      const { jobs } = await get<{ jobs: Job[] }>(`/api/stories/${storyId}/jobs`);
      const latest = jobs[0];
      if (!latest) return;
      // Show a running job, or the last one if it left failures to retry.
      if (!isActive(latest) && latest.status !== "partial" && latest.status !== "failed") return;
      const { job, units } = await get<JobDetail>(`/api/jobs/${latest.id}`);
      if (!alive.current) return;
      const errors = units.filter((u) => u.status === "failed").map((u) => ({ jobId: job.id, stage: u.stage, chapterId: u.chapterId, error: u.error ?? "Failed" }));
      setS((x) => (x.job && x.job.id !== job.id ? x : { ...x, job, progress: progressFromUnits(units), errors }));
    } catch {
      /* the job panel is a nicety; the story itself loaded */
    }
  }, [storyId]);

  useEffect(() => {
    alive.current = true;
    reload();
    loadJob();
    const unsub = subscribe((e) => {
      setS((x) => apply(x, storyId, e));
      // After a run, read the whole story once more: stale flags and counts are computed server-side.
      const finished = e.event === "job_finished" && e.data.job.storyId === storyId;
      const outline = e.event === "summaries_generated" && e.data.storyId === storyId;
      if (finished || outline) {
        clearTimeout(reloadTimer.current);
        reloadTimer.current = setTimeout(reload, 300);
      }
    });
    const unre = onReconnect(() => {
      reload();
      loadJob();
    });
    return () => {
      alive.current = false;
      clearTimeout(reloadTimer.current);
      unsub();
      unre();
    };
  }, [storyId]);

  const loadGuide = useCallback(
    async (chapterId: number, force = false) => {
      if (!force && s.guides[chapterId]) return;
      try {
        const { chapter } = await get<{ chapter: { guide: GuidePart[] } }>(`/api/stories/${storyId}/chapters/${chapterId}`);
        if (alive.current) setS((x) => ({ ...x, guides: { ...x.guides, [chapterId]: chapter.guide } }));
      } catch {
        /* shown as not loaded */
      }
    },
    [storyId, s.guides],
  );

  return {
    ...s,
    busy: isActive(s.job),
    reload,
    setDetail: (detail) => setS((x) => ({ ...x, detail, rev: x.rev + 1 })),
    // The job_started event may have arrived before the HTTP answer: then it is already newer.
    startJob: (job) => setS((x) => (x.job?.id === job.id ? x : apply(x, storyId, { event: "job_started", data: { job } }))),
    retried: (job) => setS((x) => apply(x, storyId, { event: "job_started", data: { job } })),
    loadGuide,
    setGuide: (chapterId, parts) => setS((x) => ({ ...x, rev: x.rev + 1, guides: { ...x.guides, [chapterId]: parts } })),
    dismissJob: () => setS((x) => (isActive(x.job) ? x : { ...x, job: null, errors: [], progress: {} })),
    clearDropped: () => setS((x) => ({ ...x, dropped: {} })),
  };
}
