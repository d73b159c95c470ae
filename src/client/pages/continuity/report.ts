// The continuity report of a story (docs/CONTINUITY.md) as the pages see it: one shared copy per
// story, fetched when a page asks for it and fetched again when the server says a chapter was
// checked (`chapter_checked`), after a reconnect, and after the author acts on a finding. Only the
// owner may read a report (others get 404), so callers pass `enabled` accordingly.
import { useEffect } from "preact/hooks";
import type { ContinuityReport, Finding, FindingType, Severity } from "../../../shared/continuity";
import { ApiError, get, post } from "../../api";
import { session } from "../../session";
import { store, useStore, type Store } from "../../store";
import { on, onReconnect } from "../../ws";

export type ChapterReport = ContinuityReport["chapters"][number];
export type Counts = Record<Severity, number>;
type State = { report: ContinuityReport | null; error: ApiError | null; loading: boolean };

type Entry = { state: Store<State>; watchers: number; seq: number; timer?: ReturnType<typeof setTimeout> };
const entries = new Map<number, Entry>();
const entryOf = (storyId: number): Entry => {
  let e = entries.get(storyId);
  if (!e) {
    e = { state: store<State>({ report: null, error: null, loading: false }), watchers: 0, seq: 0 };
    entries.set(storyId, e);
  }
  return e;
};

/** Replaces the story's report with what the server just said (only the newest answer wins). */
export async function loadReport(storyId: number): Promise<void> {
  const e = entryOf(storyId);
  const seq = ++e.seq;
  e.state.set((s) => ({ ...s, loading: true }));
  try {
    const report = await get<ContinuityReport>(`/api/stories/${storyId}/continuity`);
    if (seq === e.seq) e.state.set({ report, error: null, loading: false });
  } catch (err) {
    if (seq === e.seq) e.state.set((s) => ({ ...s, error: err instanceof ApiError ? err : null, loading: false }));
  }
}

/** Sets the report from an answer that carries it (POST /continuity). */
export function setReport(storyId: number, report: ContinuityReport) {
  const e = entryOf(storyId);
  e.seq++;
  e.state.set({ report, error: null, loading: false });
}

/** A recheck of the whole book sends one event per chapter: they settle into one request. */
function soon(storyId: number) {
  const e = entries.get(storyId);
  if (!e || e.watchers === 0) return;
  clearTimeout(e.timer);
  e.timer = setTimeout(() => void loadReport(storyId), 250);
}
on("chapter_checked", (d) => soon(d.storyId));
onReconnect(() => entries.forEach((_, id) => soon(id)));
// Reports belong to whoever is signed in.
session.subscribe((s) => {
  if (!s.user) entries.clear();
});

/** The story's report, loaded on first use and kept current while mounted. */
export function useReport(storyId: number, enabled = true) {
  const e = entryOf(storyId);
  const state = useStore(e.state);
  useEffect(() => {
    if (!enabled) return;
    e.watchers++;
    void loadReport(storyId);
    return () => {
      e.watchers--;
    };
  }, [storyId, enabled]);
  return { ...state, reload: () => loadReport(storyId) };
}

// ------------------------------------------------------------------ reading a report

export const countsOf = (findings: Finding[]): Counts => {
  const c: Counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (!f.dismissed) c[f.severity]++;
  return c;
};

const SEVERITY_WORDS: Record<Severity, [string, string]> = { error: ["error", "errors"], warning: ["warning", "warnings"], info: ["note", "notes"] };
/** "2 errors, 1 warning"; "" when there is nothing. */
export const countsText = (c: Counts) =>
  (["error", "warning", "info"] as const)
    .filter((s) => c[s] > 0)
    .map((s) => `${c[s]} ${SEVERITY_WORDS[s][c[s] === 1 ? 0 : 1]}`)
    .join(", ");

export const SEVERITY_LABEL: Record<Severity, string> = { error: "Error", warning: "Warning", info: "Note" };

/** What each check is called for an author (docs/CONTINUITY.md, "What each check looks for"). */
export const TYPE_LABEL: Record<FindingType, string> = {
  name_clash: "Two characters share a name",
  unknown_name: "A name nobody listed",
  ambiguous_name: "A name that could be two people",
  missing_character: "A planned character who never appears",
  unplanned_character: "A character not in the beats",
  beat_missing: "A beat the chapter does not tell",
  repeated_text: "Repeated text",
  length: "Length",
  format_leak: "Left-over formatting or notes",
  premature_introduction: "A character who appears too early",
  contradiction: "Contradiction",
};

/** The report with one finding replaced (e.g. now dismissed), its counts worked out again. */
export function withFinding(r: ContinuityReport, f: Finding): ContinuityReport {
  const swap = (list: Finding[]) => list.map((x) => (x.id === f.id ? f : x));
  const book = swap(r.book.findings);
  const chapters = r.chapters.map((c) => ({ ...c, findings: swap(c.findings) }));
  const all = [...book, ...chapters.flatMap((c) => c.findings)];
  const byType: ContinuityReport["book"]["metrics"]["byType"] = {};
  for (const x of all) if (!x.dismissed) byType[x.type] = (byType[x.type] ?? 0) + 1;
  return { book: { findings: book, metrics: { ...r.book.metrics, bySeverity: countsOf(all), byType } }, chapters };
}

// ------------------------------------------------------------------ acting on it

/** Marks a finding as not a problem; it stays so until the words it quotes change. */
export async function dismissFinding(storyId: number, findingId: string): Promise<void> {
  const { finding } = await post<{ finding: Finding }>(`/api/stories/${storyId}/continuity/${findingId}/dismiss`, {});
  const e = entryOf(storyId);
  const r = e.state.get().report;
  if (r) e.state.set((s) => ({ ...s, report: withFinding(r, finding) }));
}

/** Checks the whole book now and shows the result. */
export async function recheckBook(storyId: number): Promise<ContinuityReport> {
  const report = await post<ContinuityReport>(`/api/stories/${storyId}/continuity`, {});
  setReport(storyId, report);
  return report;
}
