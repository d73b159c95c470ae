// Admin, community: the news on everyone's dashboard, written, edited, published or taken back, deleted.
import { useState } from "preact/hooks";
import type { NewsItem } from "../../../shared/api";
import { patch, post, qs } from "../../api";
import { Checkbox, Form, FormError, TextArea, TextField } from "../../components/Field";
import { Loading } from "../../components/misc";
import { ACTIONS, PagesOf, Table, type Paged } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { useSubmit, type FieldErrors } from "../../components/useSubmit";
import { dateTime } from "../../format";
import { orToast, toast } from "../../toast";
import { DeleteButton, EditButton, useRowEditor } from "./section";

type NewsDraft = { title: string; body: string; published: boolean };
export const LIMITS = { title: 200, body: 20_000 };

function checkNews(v: NewsDraft): FieldErrors {
  const f: FieldErrors = {};
  if (!v.title.trim()) f.title = "Give it a title";
  else if (v.title.trim().length > LIMITS.title) f.title = `At most ${LIMITS.title} characters`;
  if (!v.body.trim()) f.body = "Write the news itself";
  else if (v.body.trim().length > LIMITS.body) f.body = `At most ${LIMITS.body} characters`;
  return f;
}

/** The news form, for a new item and for editing one in place. */
function NewsForm({
  initial,
  submitLabel,
  onSave,
  onCancel,
  label,
}: {
  initial: NewsDraft;
  submitLabel: string;
  onSave: (v: NewsDraft) => Promise<void>;
  onCancel?: () => void;
  label: string;
}) {
  const [v, setV] = useState(initial);
  const { fields, error, busy, run } = useSubmit();
  return (
    <Form
      class="news-form"
      aria-label={label}
      onSubmit={() => run(checkNews(v), () => onSave({ title: v.title.trim(), body: v.body.trim(), published: v.published }))}
    >
      <FormError error={error} />
      <TextField
        label="Title"
        name="title"
        value={v.title}
        onValue={(title) => setV({ ...v, title })}
        error={fields.title}
        maxLength={LIMITS.title}
      />
      <TextArea
        label="Text"
        name="body"
        rows={5}
        value={v.body}
        onValue={(body) => setV({ ...v, body })}
        error={fields.body}
        hint="Markdown: *italic*, **bold**, lists, links. Shown on every user's dashboard."
      />
      <Checkbox
        label="Published"
        hint="Unpublished news is kept here as a draft."
        checked={v.published}
        onChecked={(published) => setV({ ...v, published })}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </Form>
  );
}

const BLANK_NEWS: NewsDraft = { title: "", body: "", published: true };

export function NewsSection() {
  const [page, setPage] = useState(1);
  const { data, error, setData, reload } = useGet<{ news: NewsItem[] } & Paged>(`/api/admin/news${qs({ page })}`);
  const rows = useRowEditor();
  // A fresh New form after each post.
  const [formKey, setFormKey] = useState(0);
  const replace = (n: NewsItem) => setData((d) => d && { ...d, news: d.news.map((x) => (x.id === n.id ? n : x)) });
  if (error) return <Unavailable what="News administration" error={error} />;
  const columns = ["Title", "Status", "Posted", ACTIONS];
  return (
    <div>
      {!data ? (
        <Loading />
      ) : data.news.length === 0 ? (
        <p class="muted">No news yet. What you post below appears on every user's dashboard.</p>
      ) : (
        <>
          <Table caption="News, newest first" columns={columns}>
            {data.news.map((n) => [
              <tr key={n.id}>
                <th scope="row">
                  {n.title}
                  <div class="muted small clamp-2">{n.body}</div>
                </th>
                <td>{n.published ? <span class="badge badge-success">published</span> : <span class="badge">draft</span>}</td>
                <td>{dateTime(n.createdAt)}</td>
                <td class="row-actions">
                  <EditButton id={n.id} rows={rows} label="Edit" name={n.title} />
                  <button
                    type="button"
                    class="btn btn-ghost btn-sm"
                    onClick={orToast(async () => {
                      const { news } = await patch<{ news: NewsItem }>(`/api/admin/news/${n.id}`, { published: !n.published });
                      replace(news);
                      toast(news.published ? `“${n.title}” is published.` : `“${n.title}” is a draft again.`, "success");
                    })}
                  >
                    {n.published ? "Unpublish" : "Publish"}
                    <span class="sr-only"> {n.title}</span>
                  </button>
                  <DeleteButton
                    path={`/api/admin/news/${n.id}`}
                    label={`Delete news ${n.title}`}
                    question="Delete this news item?"
                    done={`“${n.title}” was deleted.`}
                    onDeleted={reload}
                  />
                </td>
              </tr>,
              rows.editing === n.id && (
                <tr key={`edit-${n.id}`} class="subrow">
                  <td colSpan={columns.length}>
                    <NewsForm
                      label={`Edit ${n.title}`}
                      initial={{ title: n.title, body: n.body, published: n.published }}
                      submitLabel="Save"
                      onSave={async (v) => {
                        const { news } = await patch<{ news: NewsItem }>(`/api/admin/news/${n.id}`, v);
                        replace(news);
                        toast("Saved.", "success");
                        rows.close(n.id);
                      }}
                      onCancel={() => rows.close(n.id)}
                    />
                  </td>
                </tr>
              ),
            ])}
          </Table>
          <PagesOf {...data} onPage={setPage} />
        </>
      )}
      <div class="card">
        <h3>New news item</h3>
        <NewsForm
          key={formKey}
          label="New news item"
          initial={BLANK_NEWS}
          submitLabel="Post news"
          onSave={async (v) => {
            await post("/api/admin/news", v);
            toast(v.published ? "News posted." : "Draft saved.", "success");
            setFormKey((k) => k + 1);
            setPage(1);
            reload();
          }}
        />
      </div>
    </div>
  );
}
