// The dashboard (my stories, my favourites, the latest news) and the New story form.
import { useState } from "preact/hooks";
import type { NewsItem, Story, StoryDetail, StoryPage } from "../../shared/api";
import { del, messageOf, post, qs } from "../api";
import { ConfirmButton } from "../components/ConfirmButton";
import { EmptyState } from "../components/EmptyState";
import { Markdown } from "../components/Markdown";
import { Loading, Notice, useTitle } from "../components/misc";
import { PublicStoryCard, StoryThumb } from "../components/StoryCard";
import { emptyStoryForm, StoryForm, useStorySubmit, type StoryBody } from "../components/StoryForm";
import { PagesOf } from "../components/Table";
import { Unavailable } from "../components/Unavailable";
import { useGet } from "../components/useGet";
import { date, num, plural } from "../format";
import { Link, navigate, useLocation } from "../router";
import { session } from "../session";
import { useStore } from "../store";
import { orToast, toast } from "../toast";

function StoryCard({ story, onDeleted }: { story: Story; onDeleted: () => void }) {
  return (
    <li class="story-card card">
      <Link href={`/stories/${story.id}`} class="story-cover-link" tabIndex={-1} aria-hidden="true">
        <StoryThumb story={story} />
      </Link>
      <div class="story-card-body">
        <h2 class="story-card-title">
          <Link href={`/stories/${story.id}`}>{story.title}</Link>
        </h2>
        <p class="muted small">
          {plural(story.chaptersCount, "chapter")} · about {num(story.targetChapterWords)} words each · updated {date(story.updatedAt)}
        </p>
        {story.tags.length > 0 && (
          <ul class="tags" aria-label="Tags">
            {story.tags.map((t) => (
              <li key={t} class="tag">
                {t}
              </li>
            ))}
          </ul>
        )}
        <div class="card-actions">
          <Link href={`/stories/${story.id}`} class="btn btn-sm">
            Open workspace
          </Link>
          <Link href={`/stories/${story.id}/read`} class="btn btn-ghost btn-sm">
            Read
          </Link>
          <ConfirmButton
            class="btn btn-ghost btn-sm btn-danger"
            label={`Delete ${story.title}`}
            question="Delete this story and everything in it?"
            onConfirm={orToast(async () => {
              await del(`/api/stories/${story.id}`);
              toast(`“${story.title}” was deleted.`, "success");
              onDeleted();
            })}
          >
            Delete
          </ConfirmButton>
        </div>
      </div>
    </li>
  );
}

/** Stories by others the user favourited, most recently favourited first. */
function Favourites() {
  const [page, setPage] = useState(1);
  const { data, error } = useGet<StoryPage>(`/api/me/favorites${qs({ page })}`);
  return (
    <section class="dashboard-section" aria-labelledby="favourites-title">
      <h2 id="favourites-title">Favourites</h2>
      {error ? (
        <Unavailable what="Favourites" error={error} />
      ) : !data ? (
        <Loading label="Loading your favourites…" />
      ) : data.stories.length === 0 ? (
        <p class="muted">
          Stories you favourite while reading are kept here. <Link href="/explore">Find some in Explore</Link>.
        </p>
      ) : (
        <>
          <ul class="story-grid">
            {data.stories.map((s) => (
              <PublicStoryCard key={s.id} story={s} inFavorites />
            ))}
          </ul>
          {data.total > data.pageSize && <PagesOf {...data} onPage={setPage} noun="favourites" />}
        </>
      )}
    </section>
  );
}

const NEWS_SHOWN = 3;

/** The latest published news, newest first; older items behind a button. */
function NewsPanel({ news }: { news: NewsItem[] }) {
  const [all, setAll] = useState(false);
  return (
    <aside class="card news-panel" aria-labelledby="news-title">
      <h2 id="news-title">News</h2>
      <ul class="plain-list news-list">
        {(all ? news : news.slice(0, NEWS_SHOWN)).map((n) => (
          <li key={n.id} class="news-item">
            <h3>{n.title}</h3>
            <p class="muted small">
              <time dateTime={n.createdAt}>{date(n.createdAt)}</time>
            </p>
            <Markdown source={n.body} class="prose news-body" headingShift={3} />
          </li>
        ))}
      </ul>
      {news.length > NEWS_SHOWN && (
        <button type="button" class="btn btn-ghost btn-sm" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? "Show only the latest" : `Show ${plural(news.length - NEWS_SHOWN, "older item")}`}
        </button>
      )}
    </aside>
  );
}

export function Dashboard() {
  useTitle("My stories");
  const { user } = useStore(session);
  const { search } = useLocation();
  const { data, error, setData } = useGet<{ stories: Story[] }>("/api/stories");
  const stories = data?.stories;
  // News is a side note: if it cannot be had, the panel is simply not there.
  const news = useGet<{ news: NewsItem[] }>("/api/news", () => {}).data?.news ?? [];
  return (
    <div class="page">
      <div class="page-head">
        <h1>My stories</h1>
        <Link href="/stories/new" class="btn btn-primary">
          New story
        </Link>
      </div>
      {search.get("welcome") && user && (
        <Notice tone="success" title={`Welcome, ${user.username}!`}>
          <p>
            You have {num(user.credits.text)} text credits and {num(user.credits.image)} image credits to start with. Create a story, then let NovelApp
            suggest its characters, outline and chapters — every step shows its price before you run it.
          </p>
        </Notice>
      )}
      <div class={`dashboard${news.length ? " has-news" : ""}`}>
        <div class="dashboard-main">
          {!!error && <Notice tone="error">{messageOf(error)}</Notice>}
          {!stories && !error && <Loading label="Loading your stories…" />}
          {stories && stories.length === 0 && (
            <EmptyState title="No stories yet">
              <p>Start with a title and a few lines about your idea. You can change everything later.</p>
              <Link href="/stories/new" class="btn btn-primary">
                Create your first story
              </Link>
            </EmptyState>
          )}
          {stories && stories.length > 0 && (
            <ul class="story-grid">
              {stories.map((s) => (
                <StoryCard key={s.id} story={s} onDeleted={() => setData((d) => d && { stories: d.stories.filter((x) => x.id !== s.id) })} />
              ))}
            </ul>
          )}
          <Favourites />
        </div>
        {news.length > 0 && <NewsPanel news={news} />}
      </div>
    </div>
  );
}

export function NewStory() {
  useTitle("New story");
  const [value, setValue] = useState(emptyStoryForm);
  const submit = useStorySubmit();
  const create = async (body: StoryBody) => {
    const detail = await post<StoryDetail>("/api/stories", body);
    toast(`“${detail.story.title}” is ready. Next: its characters and places.`, "success");
    navigate(`/stories/${detail.story.id}/cast`, { replace: true });
  };
  return (
    <div class="page narrow">
      <p class="breadcrumb">
        <Link href="/dashboard">My stories</Link> <span aria-hidden="true">/</span> New story
      </p>
      <h1>New story</h1>
      <p class="lead-sm">Tell NovelApp what you have in mind. Only the title is required; the more you say, the closer the first drafts will be.</p>
      <div class="card">
        <StoryForm
          value={value}
          onChange={setValue}
          submit={submit}
          onSave={create}
          submitLabel="Create story"
          actions={
            <Link href="/dashboard" class="btn btn-ghost">
              Cancel
            </Link>
          }
        />
      </div>
    </div>
  );
}
