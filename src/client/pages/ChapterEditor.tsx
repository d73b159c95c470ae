// The chapter editor: Markdown with a live preview, autosave, revision history with restore,
// "regenerate this chapter" with optional instructions, and the chapter's continuity findings
// (docs/CONTINUITY.md), each shown in the text on request. A regenerated version never
// overwrites unsaved typing: it is offered instead.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Chapter, Job, Revision, StoryDetail } from "../../shared/api";
import { ApiError, get, messageOf, patch, post } from "../api";
import { TextArea, TextField } from "../components/Field";
import { Markdown } from "../components/Markdown";
import { ConfirmButton } from "../components/ConfirmButton";
import { Loading, Notice, useTitle } from "../components/misc";
import { countWords, dateTime, num } from "../format";
import { addLeaveGuard, Link } from "../router";
import { orToast, toast } from "../toast";
import { on, onReconnect, subscribe } from "../ws";
import { GenerateButton, missingFor, useEstimate } from "./workspace/generate";
import { StreamBox } from "./workspace/StepChapters";
import { isActive } from "./workspace/live";
import { MemoryPanel } from "./chapter/Memory";
import { ChapterFindings } from "./continuity/Findings";
import { markQuote, selectInTextarea, unmark } from "./continuity/locate";
import { loadReport } from "./continuity/report";

type SaveState = "saved" | "dirty" | "saving" | "error";
const AUTOSAVE_MS = 1500;

export default function ChapterEditor({ params }: { params: Record<string, string> }) {
  const storyId = Number(params.id);
  const chapterId = Number(params.chapterId);
  return <Editor key={`${storyId}/${chapterId}`} storyId={storyId} chapterId={chapterId} />;
}

function Editor({ storyId, chapterId }: { storyId: number; chapterId: number }) {
  const [detail, setDetail] = useState<StoryDetail | null>(null);
  const [chapter, setChapter] = useState<Chapter | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [title, setTitle] = useState("");
  const [content, setContent] = useState("");
  const [state, setState] = useState<SaveState>("saved");
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [mode, setMode] = useState<"write" | "split" | "preview">(() => (matchMedia("(min-width: 1100px)").matches ? "split" : "write"));
  const [revisions, setRevisions] = useState<Revision[] | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [previewRev, setPreviewRev] = useState<Revision | null>(null);
  const [instructions, setInstructions] = useState("");
  const [job, setJob] = useState<Job | null>(null);
  const [stream, setStream] = useState<string | null>(null);
  const [incoming, setIncoming] = useState<{ title: string; content: string } | null>(null);
  const [genError, setGenError] = useState<string | null>(null);
  const [rev, setRev] = useState(0);
  /** The quote of the finding the author chose, marked in the preview until the text changes. */
  const [marked, setMarked] = useState<{ quote: string; n: number } | null>(null);
  const previewRef = useRef<HTMLElement>(null);

  // What the server has: the base for "dirty", and what autosave compares against.
  const saved = useRef({ title: "", content: "" });
  const latest = useRef({ title, content });
  latest.current = { title, content };
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const saving = useRef<Promise<void> | null>(null);

  useTitle(chapter ? `Chapter ${chapter.number}${chapter.title ? `: ${chapter.title}` : ""}` : "Chapter");

  const load = async () => {
    try {
      const [d, c] = await Promise.all([get<StoryDetail>(`/api/stories/${storyId}`), get<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapterId}`)]);
      setDetail(d);
      setChapter(c.chapter);
      saved.current = { title: c.chapter.title, content: c.chapter.content ?? "" };
      setTitle(c.chapter.title);
      setContent(c.chapter.content ?? "");
      setState("saved");
    } catch (e) {
      if (e instanceof ApiError) setLoadError(e);
    }
  };

  const loadRevisions = orToast(async () => {
    setRevisions((await get<{ revisions: Revision[] }>(`/api/stories/${storyId}/chapters/${chapterId}/revisions`)).revisions);
  });

  const save = async (): Promise<void> => {
    if (saving.current) await saving.current;
    const now = latest.current;
    if (now.title === saved.current.title && now.content === saved.current.content) {
      setState("saved");
      return;
    }
    setState("saving");
    const body: { title?: string; content?: string } = {};
    if (now.title !== saved.current.title) body.title = now.title;
    if (now.content !== saved.current.content) body.content = now.content;
    const run = (async () => {
      try {
        const { chapter: c } = await patch<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapterId}`, body);
        saved.current = { title: body.title ?? saved.current.title, content: body.content ?? saved.current.content };
        setChapter(c);
        setSavedAt(new Date());
        // A save checks the chapter again (docs/CONTINUITY.md): show what it found.
        void loadReport(storyId);
        const l = latest.current;
        setState(l.title === saved.current.title && l.content === saved.current.content ? "saved" : "dirty");
        if (showHistoryRef.current) loadRevisions();
      } catch (e) {
        setState("error");
        toast(`Not saved: ${messageOf(e)}`, "error");
      }
    })();
    saving.current = run;
    await run;
    saving.current = null;
  };
  const showHistoryRef = useRef(showHistory);
  showHistoryRef.current = showHistory;

  const edit = (next: { title?: string; content?: string }) => {
    if (next.title !== undefined) setTitle(next.title);
    if (next.content !== undefined) {
      setContent(next.content);
      setMarked(null);
    }
    setState("dirty");
    clearTimeout(timer.current);
    timer.current = setTimeout(save, AUTOSAVE_MS);
  };

  useEffect(() => {
    load();
    // The story's running job, if it is this one's.
    get<{ jobs: Job[] }>(`/api/stories/${storyId}/jobs`).then(
      ({ jobs }) => jobs[0] && isActive(jobs[0]) && setJob(jobs[0]),
      () => {},
    );
    const offs = [
      subscribe((e) => {
        if (e.event === "job_started" && e.data.job.storyId === storyId) {
          setJob(e.data.job);
          setGenError(null);
        }
        if (e.event === "job_finished" && e.data.job.storyId === storyId) {
          setJob(e.data.job);
          setStream(null);
          setRev((r) => r + 1);
        }
      }),
      on("chapter_delta", (d) => d.chapterId === chapterId && setStream((s) => (s ?? "") + d.text)),
      on("chapter_generated", (d) => {
        if (d.chapterId !== chapterId) return;
        setStream(null);
        const l = latest.current;
        const dirty = l.title !== saved.current.title || l.content !== saved.current.content;
        if (dirty) setIncoming({ title: d.title, content: d.content });
        else {
          saved.current = { title: d.title, content: d.content };
          setTitle(d.title);
          setContent(d.content);
          setState("saved");
          toast("The new version is loaded. The previous one is in the history.", "success");
        }
        if (showHistoryRef.current) loadRevisions();
      }),
      on("generation_error", (d) => d.chapterId === chapterId && setGenError(d.error)),
      on("digest_generated", (d) => {
        if (d.chapterId === chapterId) get<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapterId}`).then((c) => setChapter(c.chapter), () => {});
      }),
      onReconnect(() => get<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapterId}`).then((c) => setChapter(c.chapter), () => {})),
    ];
    const warn = (e: BeforeUnloadEvent) => {
      const l = latest.current;
      if (l.title !== saved.current.title || l.content !== saved.current.content) {
        e.preventDefault();
        e.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", warn);
    // In-app navigation saves what is pending instead of asking.
    const unguard = addLeaveGuard(() => {
      clearTimeout(timer.current);
      void save();
      return true;
    });
    return () => {
      offs.forEach((off) => off());
      window.removeEventListener("beforeunload", warn);
      unguard();
      clearTimeout(timer.current);
    };
  }, []);

  const busy = isActive(job);
  const missing = missingFor("chapters", detail, [chapterId]);
  const estimate = useEstimate(storyId, "chapters", { chapterIds: [chapterId], version: rev, enabled: !!detail && !busy && !missing.length });

  // The chosen quote, marked in the preview; a change of the text renders it afresh, unmarked.
  useEffect(() => {
    const root = previewRef.current;
    if (!root) return;
    if (!marked) return unmark(root);
    const first = markQuote(root, marked.quote);
    if (!first) return;
    first.scrollIntoView({ block: "center" });
    // Without a textarea on screen, the mark is where the reader's focus goes.
    if (mode === "preview") {
      first.tabIndex = -1;
      first.focus({ preventScroll: true });
    }
  }, [marked, mode]);

  /** Shows a finding's quoted words: selected in the textarea, marked in the preview. */
  const locate = (quote: string) => {
    const at = latest.current.content.indexOf(quote);
    if (at < 0) {
      toast("Those words are not in the text any more: it changed since it was checked.", "info");
      return;
    }
    setMarked((m) => ({ quote, n: (m?.n ?? 0) + 1 }));
    const ta = document.getElementById("chapter-text");
    if (ta instanceof HTMLTextAreaElement) selectInTextarea(ta, at, at + quote.length);
  };

  /** After a rename rewrote the prose on the server: its text, unless the author typed meanwhile. */
  const reloadText = orToast(async () => {
    const { chapter: c } = await get<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapterId}`);
    setChapter(c);
    const l = latest.current;
    if (l.title !== saved.current.title || l.content !== saved.current.content) setIncoming({ title: c.title, content: c.content ?? "" });
    else {
      saved.current = { title: c.title, content: c.content ?? "" };
      setTitle(c.title);
      setContent(c.content ?? "");
      setState("saved");
    }
  });

  if (loadError)
    return (
      <div class="page narrow">
        <h1>{loadError.status === 404 ? "Chapter not found" : "The chapter could not be loaded"}</h1>
        <p>{loadError.message}</p>
        <Link href={`/stories/${storyId}/chapters`}>Back to the chapters</Link>
      </div>
    );
  if (!chapter || !detail) return <Loading label="Opening the chapter…" />;

  const idx = detail.chapters.findIndex((c) => c.id === chapterId);
  const prev = idx > 0 ? detail.chapters[idx - 1] : undefined;
  const next = idx >= 0 ? detail.chapters[idx + 1] : undefined;
  const words = countWords(content);
  const statusText =
    state === "saving" ? "Saving…" : state === "dirty" ? "Unsaved changes" : state === "error" ? "Not saved — retry with Save" : savedAt ? `Saved at ${savedAt.toLocaleTimeString()}` : "Saved";

  return (
    <div class="page editor-page">
      <p class="breadcrumb">
        <Link href="/dashboard">My stories</Link> <span aria-hidden="true">/</span> <Link href={`/stories/${storyId}/chapters`}>{detail.story.title}</Link>{" "}
        <span aria-hidden="true">/</span> Chapter {chapter.number}
      </p>
      <div class="editor-head">
        <h1>
          Chapter {chapter.number}
          {chapter.title ? `: ${chapter.title}` : ""}
        </h1>
        <div class="editor-nav">
          {prev && (
            <Link href={`/stories/${storyId}/chapters/${prev.id}`} class="btn btn-ghost btn-sm">
              ← Chapter {prev.number}
            </Link>
          )}
          {next && (
            <Link href={`/stories/${storyId}/chapters/${next.id}`} class="btn btn-ghost btn-sm">
              Chapter {next.number} →
            </Link>
          )}
          <Link href={`/stories/${storyId}/read/${chapter.number}`} class="btn btn-ghost btn-sm">
            Read
          </Link>
        </div>
      </div>
      {chapter.summary && <p class="muted">{chapter.summary}</p>}
      {chapter.stale && (
        <Notice tone="warning">
          <p>{chapter.staleReason} Rewrite it to follow the story as it is now, or keep your text.</p>
        </Notice>
      )}
      {incoming && (
        <Notice
          tone="info"
          role="status"
          title="A new version of this chapter was written while you were editing."
          actions={
            <>
              <button
                type="button"
                class="btn btn-sm"
                onClick={() => {
                  saved.current = { title: incoming.title, content: incoming.content };
                  setTitle(incoming.title);
                  setContent(incoming.content);
                  setState("saved");
                  setIncoming(null);
                  clearTimeout(timer.current);
                }}
              >
                Load the new version
              </button>
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => setIncoming(null)}>
                Keep my text
              </button>
            </>
          }
        >
          <p>Your text is untouched. Keeping it saves it over the new version (which stays in the history).</p>
        </Notice>
      )}

      <div class="editor-toolbar">
        <div class="segmented" role="group" aria-label="View">
          {(["write", "split", "preview"] as const).map((m) => (
            <button key={m} type="button" class={`seg${mode === m ? " is-on" : ""}`} aria-pressed={mode === m} onClick={() => setMode(m)}>
              {m === "write" ? "Write" : m === "split" ? "Side by side" : "Preview"}
            </button>
          ))}
        </div>
        <span class={`save-state state-${state}`} role="status" aria-live="polite">
          {statusText}
        </span>
        <span class="muted small">{num(words)} words</span>
        <button type="button" class="btn btn-sm" onClick={() => (clearTimeout(timer.current), save())} disabled={state === "saved" || state === "saving"}>
          Save
        </button>
        <button
          type="button"
          class="btn btn-ghost btn-sm"
          aria-expanded={showHistory}
          aria-controls="history"
          onClick={() => {
            setShowHistory(!showHistory);
            if (!showHistory) loadRevisions();
          }}
        >
          History
        </button>
      </div>

      <div class={`editor-grid mode-${mode}`}>
        <div class="editor-main">
          {mode !== "preview" && (
            <>
              <TextField label="Chapter title" value={title} onValue={(t) => edit({ title: t })} maxLength={200} />
              <TextArea
                id="chapter-text"
                label="Chapter text (Markdown)"
                class="editor-text"
                value={content}
                onValue={(c) => edit({ content: c })}
                rows={24}
                hint="Markdown: *italic*, **bold**, # heading, > quote, - list, --- scene break. Saved automatically as you type."
                onKeyDown={(e) => {
                  if ((e.ctrlKey || e.metaKey) && e.key === "s") {
                    e.preventDefault();
                    clearTimeout(timer.current);
                    save();
                  }
                }}
                onBlur={() => {
                  if (state === "dirty") {
                    clearTimeout(timer.current);
                    save();
                  }
                }}
              />
            </>
          )}
          {mode !== "write" && (
            <section class="preview card" aria-label="Preview" ref={previewRef}>
              {content.trim() ? <Markdown source={content} /> : <p class="muted">Nothing written yet.</p>}
            </section>
          )}
        </div>
        <aside class="editor-side">
          <ChapterFindings
            storyId={storyId}
            detail={detail}
            chapter={chapter}
            busy={busy}
            onLocate={locate}
            onStory={setDetail}
            beforeRename={async () => {
              clearTimeout(timer.current);
              await save();
            }}
            onRenamed={reloadText}
            onStarted={(j) => {
              setJob(j);
              setGenError(null);
            }}
          />
          <section class="card" aria-labelledby="regen-title">
            <h2 id="regen-title">{chapter.hasContent ? "Rewrite this chapter" : "Write this chapter"}</h2>
            <TextArea
              label="Instructions (optional)"
              rows={3}
              value={instructions}
              onValue={setInstructions}
              maxLength={4000}
              hint="For example: more dialogue, end on a cliffhanger, slower pace."
            />
            <GenerateButton
              storyId={storyId}
              stage="chapters"
              chapterIds={[chapterId]}
              label={chapter.hasContent ? "Rewrite chapter" : "Write chapter"}
              instructions={instructions}
              estimate={estimate}
              missing={missing}
              busy={busy}
              onStarted={(j) => {
                setJob(j);
                setGenError(null);
              }}
            />
            {busy && job?.stage !== "chapters" && <p class="muted small">Another generation is running on this story.</p>}
            {genError && (
              <Notice tone="error" title="The chapter could not be written.">
                <p>{genError}</p>
              </Notice>
            )}
            {stream !== null && (
              <div class="stream-block">
                <p class="stream-title">New version, as it is written (your text above is not touched):</p>
                <StreamBox text={stream} label="The new version as it is written" />
              </div>
            )}
          </section>
          <MemoryPanel storyId={storyId} chapter={chapter} busy={busy} onChanged={setChapter} onStarted={setJob} />
          {chapter.imageUrl && (
            <figure class="card editor-figure">
              <img src={chapter.imageUrl} alt={`Illustration for chapter ${chapter.number}`} />
            </figure>
          )}
          {chapter.guide.length > 0 && (
            <section class="card" aria-labelledby="beats-title">
              <h2 id="beats-title">Beats</h2>
              <ol class="beats-summary">
                {chapter.guide.map((b, i) => (
                  <li key={i}>
                    {b.text}
                    {(b.characters.length > 0 || b.locations.length > 0) && <span class="muted small"> — {[...b.characters, ...b.locations].join(", ")}</span>}
                  </li>
                ))}
              </ol>
            </section>
          )}
        </aside>
      </div>

      {showHistory && (
        <section id="history" class="card history" aria-labelledby="history-title">
          <h2 id="history-title">Revision history</h2>
          <p class="muted small">The last ten versions of this chapter. Restoring one keeps the current text as a version too.</p>
          {!revisions ? (
            <Loading />
          ) : revisions.length === 0 ? (
            <p class="muted">No earlier versions yet.</p>
          ) : (
            <ol class="revisions">
              {revisions.map((r) => (
                <li key={r.id} class="revision">
                  <span>
                    <strong>{r.source === "generated" ? "Generated" : "Edited"}</strong> · {dateTime(r.createdAt)} · {num(r.wordCount)} words
                  </span>
                  <span class="revision-actions">
                    <button type="button" class="btn btn-ghost btn-sm" aria-pressed={previewRev?.id === r.id} onClick={() => setPreviewRev(previewRev?.id === r.id ? null : r)}>
                      {previewRev?.id === r.id ? "Hide" : "Preview"}
                    </button>
                    <ConfirmButton
                      class="btn btn-sm"
                      label={`Restore the version of ${dateTime(r.createdAt)}`}
                      question="Replace the current text with this version?"
                      confirm="Restore"
                      onConfirm={orToast(async () => {
                        if (saving.current) await saving.current;
                        const { chapter: c } = await post<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapterId}/revisions/${r.id}/restore`);
                        clearTimeout(timer.current);
                        saved.current = { title: c.title, content: c.content ?? "" };
                        setChapter(c);
                        setTitle(c.title);
                        setContent(c.content ?? "");
                        setState("saved");
                        setPreviewRev(null);
                        void loadReport(storyId);
                        toast("Version restored.", "success");
                        loadRevisions();
                      })}
                    >
                      Restore
                    </ConfirmButton>
                  </span>
                  {previewRev?.id === r.id && <Markdown source={r.content} class="prose revision-preview" />}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}
