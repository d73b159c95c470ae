// Admin: stories. Find flagged or spotlighted ones, read why readers reported
// them, put public ones in the spotlight, clear a flag after review, or delete a story.
import { useState } from "preact/hooks";
import type { AdminStory, Story } from "../../../shared/api";
import { post, qs } from "../../api";
import { Select } from "../../components/Field";
import { Loading } from "../../components/misc";
import { ACTIONS, PagesOf, Table, type Paged } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { dateTime, num } from "../../format";
import { Link } from "../../router";
import { orToast, toast } from "../../toast";
import { SearchForm, useSearch } from "./SearchForm";
import { DeleteButton } from "./section";

const FILTERS = [
  { value: "", label: "All stories" },
  { value: "flagged", label: "Flagged" },
  { value: "spotlight", label: "In the spotlight" },
];

const isPublic = (s: Story) => s.shared && !s.flagged;

function StatusBadges({ story: s }: { story: AdminStory }) {
  return (
    <span class="badge-row">
      {s.flagged && <span class="badge badge-error">flagged</span>}
      {s.spotlight && <span class="badge badge-info">spotlight</span>}
      <span class="badge">{s.shared ? "shared" : "private"}</span>
      {s.mature && <span class="badge badge-warning">mature</span>}
    </span>
  );
}

function Reports({ story: s }: { story: AdminStory }) {
  if (!s.recentReports.length) return <span class="muted">—</span>;
  return (
    <ul class="plain-list report-list">
      {s.recentReports.map((r) => (
        <li key={r.userId}>
          <strong>{r.username}</strong> <span class="muted small">{dateTime(r.createdAt)}</span>
          <br />
          {r.reason ? <span class="report-reason">{r.reason}</span> : <span class="muted small">No reason given</span>}
        </li>
      ))}
      {s.reports > s.recentReports.length && <li class="muted small">and {num(s.reports - s.recentReports.length)} earlier</li>}
    </ul>
  );
}

type RowProps = { story: AdminStory; onChange: (s: AdminStory) => void; onUnflagged: (s: AdminStory) => void; onDeleted: () => void };

function StoryRow({ story: s, onChange, onUnflagged, onDeleted }: RowProps) {
  const canSpotlight = s.spotlight || isPublic(s);
  return (
    <tr>
      <th scope="row">
        <Link href={`/stories/${s.id}/read`} data-story-link={s.id}>
          {s.title}
        </Link>
        <div class="muted small">
          by {s.author} {s.authorUnderReview && <span class="badge badge-warning">author under review</span>}
        </div>
      </th>
      <td>
        <StatusBadges story={s} />
      </td>
      <td class="num">{num(s.reports)}</td>
      <td>
        <Reports story={s} />
      </td>
      <td class="row-actions">
        <button
          type="button"
          class="btn btn-ghost btn-sm"
          aria-pressed={s.spotlight}
          disabled={!canSpotlight}
          title={canSpotlight ? undefined : "Only shared stories that are not flagged can be in the spotlight"}
          onClick={orToast(async () => {
            const { story } = await post<{ story: Story }>(`/api/admin/stories/${s.id}/spotlight`, { spotlight: !s.spotlight });
            onChange({ ...s, ...story });
            toast(story.spotlight ? `“${s.title}” is in the spotlight.` : `“${s.title}” left the spotlight.`, "success");
          })}
        >
          <span aria-hidden="true">{s.spotlight ? "★" : "☆"} </span>Spotlight<span class="sr-only"> {s.title}</span>
        </button>
        {s.flagged && (
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            onClick={orToast(async () => {
              const { story } = await post<{ story: Story }>(`/api/admin/stories/${s.id}/unflag`, {});
              onUnflagged({ ...s, ...story, reports: 0, recentReports: [] });
              toast(`“${s.title}” is no longer flagged. It stays private until its author shares it again.`, "success");
              // The button is gone: the keyboard goes back to the story's name in its row.
              requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-story-link="${s.id}"]`)?.focus());
            })}
          >
            Unflag<span class="sr-only"> {s.title}</span>
          </button>
        )}
        <DeleteButton
          path={`/api/admin/stories/${s.id}`}
          label={`Delete story ${s.title}`}
          question={`Delete “${s.title}” with its chapters and images? Its author is told.`}
          done={`“${s.title}” was deleted.`}
          onDeleted={onDeleted}
        />
      </td>
    </tr>
  );
}

export function StoriesSection() {
  const [filter, setFilter] = useState("");
  const search = useSearch();
  const { data, error, loading, setData } = useGet<{ stories: AdminStory[] } & Paged>(
    `/api/admin/stories${qs({ flagged: filter === "flagged" ? "true" : "", spotlight: filter === "spotlight" ? "true" : "", q: search.q, page: search.page })}`,
  );
  const edit = (fn: (list: AdminStory[]) => AdminStory[], removed = 0) => setData((d) => d && { ...d, stories: fn(d.stories), total: d.total - removed });
  if (error) return <Unavailable what="Story moderation" error={error} />;
  return (
    <div>
      <SearchForm label="Search stories" search={search} placeholder="Title or author" maxLength={100}>
        <Select
          label="Show"
          value={filter}
          onValue={(f) => {
            search.setPage(1);
            setFilter(f);
          }}
          options={FILTERS}
        />
      </SearchForm>
      <p class="muted small">
        A story is flagged and unshared when five verified readers, from five addresses, report it. Whether its author goes under review is yours to decide
        in Users. Unflag clears its reports; it stays private until its author shares it again.
      </p>
      {!data ? (
        <Loading />
      ) : data.stories.length === 0 ? (
        <p class="muted">{filter === "flagged" ? "No flagged stories. Nothing to review." : "No stories match."}</p>
      ) : (
        <>
          <div class={loading ? "is-stale" : undefined}>
            <Table caption="Stories, newest first" columns={["Story", "Status", { label: "Reports", num: true }, "Recent reports", ACTIONS]}>
              {data.stories.map((s) => (
                <StoryRow
                  key={s.id}
                  story={s}
                  onChange={(next) => edit((list) => list.map((x) => (x.id === next.id ? next : x)))}
                  onUnflagged={(next) =>
                    edit((list) => {
                      // The author leaves review unless another of their stories is still flagged (as far as this page shows).
                      const stillFlagged = list.some((x) => x.id !== next.id && x.userId === next.userId && x.flagged);
                      return list.map((x) => (x.id === next.id ? next : x)).map((x) => (x.userId === next.userId && !stillFlagged ? { ...x, authorUnderReview: false } : x));
                    })
                  }
                  onDeleted={() => edit((list) => list.filter((x) => x.id !== s.id), 1)}
                />
              ))}
            </Table>
          </div>
          <PagesOf {...data} onPage={search.setPage} />
        </>
      )}
    </div>
  );
}
