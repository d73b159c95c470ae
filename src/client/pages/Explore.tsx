// Explore: everyone's public stories. The admins' spotlight on top, then search, tag
// filter, sort and pages. What is shown lives in the address (?q=&tags=&sort=&page=), so Back,
// reload and shared links show the same list; the API leaves out mature stories for readers who
// have not asked for them.
import { useEffect, useRef, useState } from "preact/hooks";
import type { PublicStory, StoryPage } from "../../shared/api";
import { get, qs } from "../api";
import { EmptyState } from "../components/EmptyState";
import { Form, Select, TextField } from "../components/Field";
import { Loading, useTitle } from "../components/misc";
import { PublicStoryCard } from "../components/StoryCard";
import { PagesOf } from "../components/Table";
import { Unavailable } from "../components/Unavailable";
import { useGet } from "../components/useGet";
import { num } from "../format";
import { Link, navigate, useLocation } from "../router";
import { session } from "../session";
import { useStore } from "../store";

const SORTS = [
  { value: "recent", label: "Recently updated" },
  { value: "favorites", label: "Most favourited" },
  { value: "chapters", label: "Most chapters written" },
];

type Query = { q: string; tags: string[]; sort: string; page: number };

const splitTags = (s: string) =>
  s
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

function readQuery(search: URLSearchParams): Query {
  const sort = search.get("sort") ?? "";
  return {
    q: search.get("q") ?? "",
    tags: splitTags(search.get("tags") ?? ""),
    sort: SORTS.some((s) => s.value === sort) ? sort : "recent",
    page: Math.max(1, Math.floor(Number(search.get("page"))) || 1),
  };
}

/** The page's address for a query; defaults are left out so the plain list is plain /explore. */
const exploreUrl = (q: Query) =>
  `/explore${qs({ q: q.q, tags: q.tags.join(","), sort: q.sort === "recent" ? "" : q.sort, page: q.page > 1 ? q.page : "" })}`;

const sameTag = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Tag names starting with what is typed, for the tag field's suggestions; asked for after a pause. */
function useTagSuggestions(prefix: string) {
  const [tags, setTags] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    const t = setTimeout(() => {
      get<{ tags: string[] }>(`/api/tags${qs({ q: prefix.trim() })}`).then(
        (r) => current && setTags(r.tags),
        () => {
          /* suggestions are a convenience: without them the field still works */
        },
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [prefix]);
  return tags;
}

function Spotlight() {
  // Without the spotlight, Explore is still Explore: a failure only hides the strip.
  const { data } = useGet<{ stories: PublicStory[] }>("/api/explore/spotlight", () => {});
  if (!data?.stories.length) return null;
  return (
    <section class="spotlight" aria-labelledby="spotlight-title">
      <h2 id="spotlight-title">
        <span aria-hidden="true">★ </span>Spotlight
      </h2>
      <p class="muted small">Picked by the NovelApp team.</p>
      <ul class="spotlight-strip">
        {data.stories.map((s) => (
          <PublicStoryCard key={s.id} story={s} compact />
        ))}
      </ul>
    </section>
  );
}

export default function Explore() {
  useTitle("Explore");
  const { user } = useStore(session);
  const { search } = useLocation();
  const query = readQuery(search);
  const filtered = !!query.q || query.tags.length > 0;
  const go = (patch: Partial<Query>) => navigate(exploreUrl({ ...query, page: 1, ...patch }));

  const { data, error, loading } = useGet<StoryPage>(
    `/api/explore${qs({ q: query.q, tags: query.tags.join(","), sort: query.sort, page: query.page })}`,
  );

  const [text, setText] = useState(query.q);
  useEffect(() => setText(query.q), [query.q]);
  const [tag, setTag] = useState("");
  const suggestions = useTagSuggestions(tag).filter((t) => !query.tags.some((x) => sameTag(x, t)));

  const resultsTitle = useRef<HTMLHeadingElement>(null);
  const showPage = (page: number) => {
    navigate(exploreUrl({ ...query, page }));
    // The new page starts at its heading, for the eye and for the keyboard.
    requestAnimationFrame(() => resultsTitle.current?.focus());
  };
  const addTag = (t: string) => {
    const name = t.trim();
    if (name && !query.tags.some((x) => sameTag(x, name))) go({ tags: [...query.tags, name] });
  };

  const total = data?.total ?? 0;
  return (
    <div class="page explore">
      <div class="page-head">
        <div>
          <h1>Explore</h1>
          <p class="lead-sm">Stories other authors have shared. Open one to read it, favourite it or leave a comment.</p>
        </div>
      </div>

      {/* The front of Explore: when a search, a tag or a later page is asked for, the results come first. */}
      {!filtered && query.page === 1 && <Spotlight />}

      <Form
        class="inline-form explore-filters"
        role="search"
        aria-label="Stories"
        onSubmit={() => {
          const name = tag.trim();
          const tags = name && !query.tags.some((x) => sameTag(x, name)) ? [...query.tags, name] : query.tags;
          setTag("");
          go({ q: text.trim(), tags });
        }}
      >
        <TextField label="Search" type="search" value={text} onValue={setText} placeholder="Title or description" maxLength={100} />
        <TextField
          label="Tag"
          value={tag}
          onValue={setTag}
          list="explore-tag-suggestions"
          autoComplete="off"
          maxLength={40}
          placeholder="e.g. mystery"
        />
        <datalist id="explore-tag-suggestions">
          {suggestions.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <Select label="Sort by" value={query.sort} onValue={(sort) => go({ sort })} options={SORTS} />
        <button type="submit" class="btn btn-primary">
          Search
        </button>
      </Form>

      {query.tags.length > 0 && (
        <div class="filter-chips">
          <span class="muted small">With every one of these tags:</span>
          <ul class="tags" aria-label="Tag filters">
            {query.tags.map((t) => (
              <li key={t} class="tag chip">
                {t}
                <button
                  type="button"
                  class="chip-remove"
                  aria-label={`Remove tag filter ${t}`}
                  onClick={() => go({ tags: query.tags.filter((x) => x !== t) })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => go({ tags: [] })}>
            Clear tags
          </button>
        </div>
      )}
      {user && !user.showMature && (
        <p class="muted small">
          Stories marked mature are hidden. <Link href="/profile">Show them</Link> from your profile.
        </p>
      )}

      <section aria-labelledby="results-title" class="explore-results">
        <div class="card-head">
          <h2 id="results-title" tabIndex={-1} ref={resultsTitle}>
            {filtered ? "Results" : "All shared stories"}
          </h2>
          <p class="muted small" role="status">
            {data && !loading ? `${num(total)} ${total === 1 ? "story" : "stories"}` : loading && data ? "Searching…" : ""}
          </p>
        </div>
        {error ? (
          <Unavailable what="Explore" error={error} />
        ) : !data ? (
          <Loading label="Finding stories…" />
        ) : data.stories.length === 0 ? (
          filtered ? (
            <EmptyState title="No stories match">
              <p>Try fewer words, another tag, or clear the search.</p>
              <button type="button" class="btn" onClick={() => navigate("/explore")}>
                Clear search and tags
              </button>
            </EmptyState>
          ) : (
            <EmptyState title={query.page > 1 ? "No stories on this page" : "Nothing shared yet"}>
              <p>Shared stories show up here. Share one of yours from its Details step.</p>
              <Link href="/dashboard" class="btn">
                Go to my stories
              </Link>
            </EmptyState>
          )
        ) : (
          <>
            <ul class={`story-grid${loading ? " is-stale" : ""}`} aria-busy={loading}>
              {data.stories.map((s) => (
                <PublicStoryCard key={s.id} story={s} onTag={addTag} />
              ))}
            </ul>
            {data.total > data.pageSize && <PagesOf {...data} onPage={showPage} noun={total === 1 ? "story" : "stories"} />}
          </>
        )}
      </section>
    </div>
  );
}
