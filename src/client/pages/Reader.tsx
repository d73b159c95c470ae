// The reader: cover, table of contents, one chapter per page with its image, and the reading
// position (chapter and scroll) remembered per story in this browser. Readers of someone else's
// shared story favourite or report it next to its title; everyone who can read a story finds
// its comments under the table of contents, and a link to them at the end of every chapter.
// The author alone also sees each chapter's continuity findings at a glance (docs/CONTINUITY.md).
import { useEffect, useRef, useState } from "preact/hooks";
import type { Chapter, StoryDetail, StorySocial } from "../../shared/api";
import { ApiError, get } from "../api";
import { Markdown } from "../components/Markdown";
import { Loading, Notice, useTitle } from "../components/misc";
import { useGet } from "../components/useGet";
import { num, plural } from "../format";
import { Link, navigate } from "../router";
import { session } from "../session";
import { useStore } from "../store";
import { toast } from "../toast";
import { Comments } from "./reader/Comments";
import { SocialBar } from "./reader/Social";
import { FindingsBadge } from "./continuity/Badge";
import { useReport } from "./continuity/report";

type Position = { n: number; at: number; updated: number };
const KEY = (storyId: number) => `novelapp:read:${storyId}`;
export function readPosition(storyId: number): Position | null {
  try {
    const p = JSON.parse(localStorage.getItem(KEY(storyId)) ?? "null") as Position | null;
    return p && typeof p.n === "number" ? p : null;
  } catch {
    return null;
  }
}
function savePosition(storyId: number, p: Omit<Position, "updated">) {
  try {
    localStorage.setItem(KEY(storyId), JSON.stringify({ ...p, updated: Date.now() }));
  } catch {
    /* private mode: position is not kept */
  }
}

async function download(storyId: number, format: "epub" | "md", title: string) {
  try {
    const res = await fetch(`/api/stories/${storyId}/export?format=${format}`, { credentials: "same-origin" });
    if (!res.ok) {
      toast(res.status === 404 ? "Export is not available on this server yet." : `The export failed (${res.status}).`, "error");
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = `${title.replace(/[^\w\- ]+/g, "").trim() || "book"}.${format}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch {
    toast("The export could not be downloaded.", "error");
  }
}

export default function Reader({ params }: { params: Record<string, string> }) {
  const storyId = Number(params.id);
  const n = params.n ? Number(params.n) : null;
  const [detail, setDetail] = useState<StoryDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    get<StoryDetail>(`/api/stories/${storyId}`).then(setDetail, (e) => e instanceof ApiError && setError(e));
  }, [storyId]);
  // Counts and the viewer's marks; without them the story still reads, only the buttons are missing.
  const social = useGet<StorySocial>(`/api/stories/${storyId}/social`, () => {});
  const { user } = useStore(session);
  useTitle(detail ? (n ? `${detail.story.title} · Chapter ${n}` : detail.story.title) : "Reader");
  if (error)
    return (
      <div class="page narrow">
        <h1>{error.status === 404 ? "Story not found" : "The story could not be loaded"}</h1>
        <p>{error.message}</p>
      </div>
    );
  if (!detail) return <Loading label="Opening the book…" />;
  const own = detail.story.userId === user?.id;
  return n ? (
    <ChapterPage key={n} detail={detail} n={n} own={own} social={social.data} />
  ) : (
    <Contents detail={detail} own={own} social={social.data} onSocial={(s) => social.setData(s)} />
  );
}

type ContentsProps = { detail: StoryDetail; own: boolean; social: StorySocial | null; onSocial: (s: StorySocial) => void };

function Contents({ detail, own, social, onSocial }: ContentsProps) {
  const { story, chapters } = detail;
  const pos = readPosition(story.id);
  const resume = pos ? chapters.find((c) => c.number === pos.n) : undefined;
  const firstWritten = chapters.find((c) => c.hasContent);
  const words = chapters.reduce((s, c) => s + c.wordCount, 0);
  // The report is the author's own: nobody else may ask for it.
  const { report } = useReport(story.id, own);
  return (
    <div class="page reader reader-contents">
      <div class="reader-cover-block">
        {story.coverImageUrl ? (
          <img src={story.coverImageUrl} alt={`Cover of ${story.title}`} class="reader-cover" />
        ) : (
          <div class="reader-cover cover-placeholder" aria-hidden="true">
            <span>{story.title}</span>
          </div>
        )}
        <div class="reader-meta">
          <h1>{story.title}</h1>
          <p class="muted">by {story.author}</p>
          {story.details && <p class="reader-blurb">{story.details.length > 400 ? `${story.details.slice(0, 400)}…` : story.details}</p>}
          <p class="muted small">
            {chapters.length} chapters · {num(words)} words
          </p>
          {social && <SocialBar story={story} social={social} own={own} onChange={onSocial} />}
          <div class="form-actions">
            {resume ? (
              <Link href={`/stories/${story.id}/read/${resume.number}`} class="btn btn-primary">
                Continue reading: chapter {resume.number}
              </Link>
            ) : firstWritten ? (
              <Link href={`/stories/${story.id}/read/${firstWritten.number}`} class="btn btn-primary">
                Start reading
              </Link>
            ) : null}
            <button type="button" class="btn btn-ghost" onClick={() => download(story.id, "epub", story.title)}>
              Download EPUB
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => download(story.id, "md", story.title)}>
              Download Markdown
            </button>
            {own && (
              <Link href={`/stories/${story.id}`} class="btn btn-ghost">
                Edit
              </Link>
            )}
          </div>
        </div>
      </div>
      {!firstWritten && (
        <Notice tone="info">
          <p>
            No chapter is written yet.{" "}
            {own && (
              <>
                <Link href={`/stories/${story.id}/chapters`}>Write them in the workspace</Link>.
              </>
            )}
          </p>
        </Notice>
      )}
      <nav aria-label="Table of contents" class="toc">
        <h2>Contents</h2>
        <ol>
          {chapters.map((c) => (
            <li key={c.id} class={c.hasContent ? "" : "is-empty"}>
              {c.hasContent ? (
                <Link href={`/stories/${story.id}/read/${c.number}`}>
                  <span class="toc-num">{c.number}</span> {c.title || `Chapter ${c.number}`}
                </Link>
              ) : (
                <span>
                  <span class="toc-num">{c.number}</span> {c.title || `Chapter ${c.number}`} <span class="muted small">(not written yet)</span>
                </span>
              )}
              {resume?.id === c.id && <span class="badge">You are here</span>}
              {own && c.hasContent && <FindingsBadge chapter={report?.chapters.find((r) => r.chapterId === c.id)} />}
            </li>
          ))}
        </ol>
      </nav>
      <Comments story={story} own={own} onCount={(commentsCount) => social && commentsCount !== social.commentsCount && onSocial({ ...social, commentsCount })} />
    </div>
  );
}

function ChapterPage({ detail, n, own, social }: { detail: StoryDetail; n: number; own: boolean; social: StorySocial | null }) {
  const { story, chapters } = detail;
  const summary = chapters.find((c) => c.number === n);
  const [chapter, setChapter] = useState<Chapter | null>(null);
  const [error, setError] = useState<string | null>(null);
  const restored = useRef(false);
  const { report } = useReport(story.id, own);
  useEffect(() => {
    if (!summary) return;
    get<{ chapter: Chapter }>(`/api/stories/${story.id}/chapters/${summary.id}`).then(
      (r) => setChapter(r.chapter),
      (e) => setError(e instanceof ApiError ? e.message : "The chapter could not be loaded."),
    );
  }, [summary?.id]);

  // Remember where the reader is: this chapter, and how far down it.
  useEffect(() => {
    if (!chapter) return;
    const pos = readPosition(story.id);
    if (!restored.current) {
      restored.current = true;
      if (pos && pos.n === n && pos.at > 0)
        requestAnimationFrame(() => {
          const max = document.documentElement.scrollHeight - innerHeight;
          window.scrollTo(0, Math.round(pos.at * max));
        });
      else savePosition(story.id, { n, at: 0 });
    }
    let t: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      clearTimeout(t);
      t = setTimeout(() => {
        const max = document.documentElement.scrollHeight - innerHeight;
        savePosition(story.id, { n, at: max > 0 ? Math.min(1, scrollY / max) : 0 });
      }, 200);
    };
    addEventListener("scroll", onScroll, { passive: true });
    return () => {
      clearTimeout(t);
      removeEventListener("scroll", onScroll);
    };
  }, [chapter]);

  // Arrow keys turn pages when focus is not in a field.
  const prev = chapters.filter((c) => c.number < n && c.hasContent).pop();
  const next = chapters.find((c) => c.number > n && c.hasContent);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || (e.target as HTMLElement).closest("input, textarea, select, [contenteditable]")) return;
      if (e.key === "ArrowRight" && next) navigate(`/stories/${story.id}/read/${next.number}`);
      if (e.key === "ArrowLeft" && prev) navigate(`/stories/${story.id}/read/${prev.number}`);
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [prev?.number, next?.number]);

  if (!summary)
    return (
      <div class="page narrow">
        <h1>No chapter {n}</h1>
        <Link href={`/stories/${story.id}/read`}>Back to the contents</Link>
      </div>
    );
  const pager = (
    <nav class="pager" aria-label="Chapters">
      {prev ? (
        <Link href={`/stories/${story.id}/read/${prev.number}`} class="btn btn-ghost" rel="prev">
          ← Chapter {prev.number}
        </Link>
      ) : (
        <span />
      )}
      <Link href={`/stories/${story.id}/read`} class="btn btn-ghost">
        Contents
      </Link>
      {next ? (
        <Link href={`/stories/${story.id}/read/${next.number}`} class="btn btn-ghost" rel="next">
          Chapter {next.number} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
  return (
    <article class="page reader reader-chapter" aria-labelledby="chapter-title">
      <p class="breadcrumb">
        <Link href={`/stories/${story.id}/read`}>{story.title}</Link> <span aria-hidden="true">/</span> Chapter {n} of {chapters.length}
      </p>
      <header class="chapter-header">
        <p class="eyebrow">Chapter {n}</p>
        <h1 id="chapter-title">{summary.title || `Chapter ${n}`}</h1>
        {own && summary.hasContent && (
          <p class="reader-owner small">
            <FindingsBadge chapter={report?.chapters.find((r) => r.chapterId === summary.id)} />{" "}
            <Link href={`/stories/${story.id}/chapters/${summary.id}`}>Edit this chapter</Link>
          </p>
        )}
      </header>
      {summary.imageUrl && (
        <figure class="chapter-figure">
          <img src={summary.imageUrl} alt={`Illustration for chapter ${n}`} class="chapter-image" />
        </figure>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      {!chapter && !error && <Loading label="Loading the chapter…" />}
      {chapter && (chapter.content ? <Markdown source={chapter.content} class="prose reading" /> : <p class="muted">This chapter is not written yet.</p>)}
      {chapter && pager}
      {chapter && (
        <p class="chapter-comments">
          {!next && <span class="muted">That is all there is so far. </span>}
          <Link href={`/stories/${story.id}/read#comments`}>
            {social?.commentsCount ? `Read the ${plural(social.commentsCount, "comment")} or add yours` : "Comment on this story"}
          </Link>
        </p>
      )}
    </article>
  );
}
