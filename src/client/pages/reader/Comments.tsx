// Comments on a story, newest first, for everyone who can read it: write one, edit or
// delete your own; admins delete any. Comments are plain text (what you type is what others
// see). The story's author is notified of new comments; their open reader refreshes the list.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Comment, CommentPage, Story } from "../../../shared/api";
import { del, patch, post, qs } from "../../api";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Form, FormError, TextArea } from "../../components/Field";
import { Loading } from "../../components/misc";
import { PagesOf } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { useSubmit, type FieldErrors } from "../../components/useSubmit";
import { dateTime, num } from "../../format";
import { useLocation } from "../../router";
import { session } from "../../session";
import { useStore } from "../../store";
import { orToast } from "../../toast";
import { on } from "../../ws";

const MAX = 4000;

function check(body: string): FieldErrors {
  if (!body.trim()) return { body: "Write something first" };
  if (body.trim().length > MAX) return { body: `At most ${MAX} characters` };
  return {};
}

function NewComment({ storyId, onPosted }: { storyId: number; onPosted: (c: Comment) => void }) {
  const [body, setBody] = useState("");
  const { fields, error, busy, run } = useSubmit();
  return (
    <Form
      class="comment-form"
      onSubmit={() =>
        run(check(body), async () => {
          const { comment } = await post<{ comment: Comment }>(`/api/stories/${storyId}/comments`, { body: body.trim() });
          setBody("");
          onPosted(comment);
        })
      }
    >
      <FormError error={error} />
      <TextArea
        label="Add a comment"
        name="body"
        rows={3}
        value={body}
        onValue={setBody}
        error={fields.body}
        maxLength={MAX}
        hint="Plain text. Everyone who can read this story sees it, and its author is told."
      />
      <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
        {busy ? "Posting…" : "Post comment"}
      </button>
    </Form>
  );
}

type ItemProps = {
  comment: Comment;
  storyAuthorId: number;
  canEdit: boolean;
  canDelete: boolean;
  onSaved: (c: Comment) => void;
  onDeleted: () => void;
};

function CommentItem({ comment, storyAuthorId, canEdit, canDelete, onSaved, onDeleted }: ItemProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(comment.body);
  const { fields, error, busy, run, clear } = useSubmit();
  const editButton = useRef<HTMLButtonElement>(null);
  const fieldId = `comment-edit-${comment.id}`;
  const wasEditing = useRef(false);
  // Into the text box when editing starts; back to Edit when it ends.
  useEffect(() => {
    if (editing) document.getElementById(fieldId)?.focus();
    else if (wasEditing.current) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const stop = () => {
    clear();
    setEditing(false);
  };
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      <p class="comment-head">
        <strong>{comment.author}</strong>
        {comment.userId === storyAuthorId && <span class="badge">author</span>}
        <time class="muted small" dateTime={comment.createdAt}>
          {dateTime(comment.createdAt)}
        </time>
        {comment.updatedAt && (
          <span class="muted small" title={`Edited ${dateTime(comment.updatedAt)}`}>
            (edited)
          </span>
        )}
      </p>
      {editing ? (
        <Form
          class="comment-form"
          aria-label="Edit your comment"
          onSubmit={() =>
            run(check(draft), async () => {
              const { comment: saved } = await patch<{ comment: Comment }>(`/api/comments/${comment.id}`, { body: draft.trim() });
              onSaved(saved);
              setEditing(false);
            })
          }
        >
          <FormError error={error} />
          <TextArea id={fieldId} label="Your comment" name="body" rows={3} value={draft} onValue={setDraft} error={fields.body} maxLength={MAX} />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-sm" disabled={busy}>
              {busy ? "Saving…" : "Save"}
            </button>
            <button type="button" class="btn btn-ghost btn-sm" onClick={stop}>
              Cancel
            </button>
          </div>
        </Form>
      ) : (
        <p class="comment-body">{comment.body}</p>
      )}
      {!editing && (canEdit || canDelete) && (
        <div class="card-actions">
          {canEdit && (
            <button
              type="button"
              ref={editButton}
              class="btn btn-ghost btn-sm"
              onClick={() => {
                setDraft(comment.body);
                setEditing(true);
              }}
            >
              Edit<span class="sr-only"> your comment</span>
            </button>
          )}
          {canDelete && (
            <ConfirmButton
              class="btn btn-ghost btn-sm btn-danger"
              label={`Delete comment by ${comment.author}`}
              question="Delete this comment?"
              onConfirm={orToast(async () => {
                await del(`/api/comments/${comment.id}`);
                onDeleted();
              })}
            >
              Delete
            </ConfirmButton>
          )}
        </div>
      )}
    </li>
  );
}

/** The comments section; `own` is true on the viewer's own story, whose new comments arrive live. */
export function Comments({ story, own, onCount }: { story: Story; own: boolean; onCount: (n: number) => void }) {
  const { user } = useStore(session);
  const [page, setPage] = useState(1);
  const { data, error, loading, setData, reload } = useGet<CommentPage>(`/api/stories/${story.id}/comments${qs({ page })}`);
  const [announce, setAnnounce] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const { hash } = useLocation();

  useEffect(() => {
    if (data) onCount(data.total);
  }, [data?.total]);
  // Someone commented on this (own) story: the notification's toast says so, the list shows it.
  useEffect(() => (own ? on("notification", () => reload()) : undefined), [own]);
  // Arriving at #comments (a notification's link, the counts above, the end of a chapter).
  const ready = !!data;
  useEffect(() => {
    if (hash === "#comments" && ready) heading.current?.focus();
  }, [hash, ready]);

  const focusHeading = () => requestAnimationFrame(() => heading.current?.focus());
  const update = (fn: (d: CommentPage) => CommentPage) => setData((d) => d && fn(d));

  return (
    <section id="comments" class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title" tabIndex={-1} ref={heading}>
        Comments {data && <span class="muted">({num(data.total)})</span>}
      </h2>
      <p class="sr-only" role="status">
        {announce}
      </p>
      <NewComment
        storyId={story.id}
        onPosted={(c) => {
          setAnnounce("Your comment was posted.");
          if (page === 1) update((d) => ({ ...d, comments: [c, ...d.comments].slice(0, d.pageSize), total: d.total + 1 }));
          else setPage(1);
        }}
      />
      {error ? (
        <Unavailable what="Comments" error={error} />
      ) : !data ? (
        <Loading label="Loading comments…" />
      ) : data.comments.length === 0 ? (
        <p class="muted">No comments yet. Be the first to say what you think.</p>
      ) : (
        <>
          <ol class={`comment-list${loading ? " is-stale" : ""}`} aria-label="Comments, newest first">
            {data.comments.map((c) => (
              <CommentItem
                key={c.id}
                comment={c}
                storyAuthorId={story.userId}
                canEdit={c.userId === user?.id}
                canDelete={c.userId === user?.id || !!user?.isAdmin}
                onSaved={(saved) => {
                  setAnnounce("Your comment was saved.");
                  update((d) => ({ ...d, comments: d.comments.map((x) => (x.id === saved.id ? saved : x)) }));
                }}
                onDeleted={() => {
                  setAnnounce("The comment was deleted.");
                  update((d) => ({ ...d, comments: d.comments.filter((x) => x.id !== c.id), total: d.total - 1 }));
                  // The list closes up: a later page's first comment moves onto this one.
                  if (data.comments.length === 1 && page > 1) setPage(page - 1);
                  else reload();
                  focusHeading();
                }}
              />
            ))}
          </ol>
          {data.total > data.pageSize && (
            <PagesOf
              {...data}
              prev="Newer"
              next="Older"
              noun="comments"
              onPage={(p) => {
                setPage(p);
                focusHeading();
              }}
            />
          )}
        </>
      )}
    </section>
  );
}
