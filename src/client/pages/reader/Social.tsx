// What a reader does with someone else's story besides reading it: favourite it and
// report it. Both toggle; neither is offered on one's own story, nor on a story that is not
// public (an admin reading a private or flagged one), where the API would refuse them.
import { useEffect, useRef, useState } from "preact/hooks";
import type { FavoriteState, ReportState, Story, StorySocial } from "../../../shared/api";
import { del, post } from "../../api";
import { Form, FormError, TextArea } from "../../components/Field";
import { useSubmit, type FieldErrors } from "../../components/useSubmit";
import { plural } from "../../format";
import { orToast } from "../../toast";

type Props = { story: Story; social: StorySocial; own: boolean; onChange: (s: StorySocial) => void };

const REASON_MAX = 500;

/** Runs after a change of `dep`, not on the first render: where focus goes once an action is done. */
function useAfterChange(dep: unknown, fn: () => void) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    fn();
  }, [dep]);
}

function FavoriteButton({ story, social, onChange }: Omit<Props, "own">) {
  const busy = useRef(false);
  const [pending, setPending] = useState(false);
  const toggle = orToast(async () => {
    if (busy.current) return;
    busy.current = true;
    setPending(true);
    try {
      const path = `/api/stories/${story.id}/favorite`;
      const r = social.favorited ? await del<FavoriteState>(path) : await post<FavoriteState>(path, {});
      onChange({ ...social, ...r });
    } finally {
      busy.current = false;
      setPending(false);
    }
  });
  return (
    // aria-disabled rather than disabled while it works: a disabled button would drop the focus.
    <button
      type="button"
      class={`btn btn-sm favorite-btn${social.favorited ? " is-on" : ""}`}
      aria-pressed={social.favorited}
      aria-disabled={pending || undefined}
      onClick={toggle}
    >
      <span aria-hidden="true" class="favorite-icon">
        {social.favorited ? "♥" : "♡"}
      </span>
      Favourite
    </button>
  );
}

function ReportControl({ story, social, onChange }: Omit<Props, "own">) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const { fields, error, busy, run, clear } = useSubmit();
  const reportButton = useRef<HTMLButtonElement>(null);
  const withdrawButton = useRef<HTMLButtonElement>(null);
  // Once reported, focus lands on the way back (Withdraw); once withdrawn or cancelled, on Report.
  useAfterChange(social.reported, () => (social.reported ? withdrawButton : reportButton).current?.focus());
  useAfterChange(open, () => {
    if (open) document.getElementById(`report-reason-${story.id}`)?.focus();
    else if (!social.reported) reportButton.current?.focus();
  });

  if (social.reported)
    return (
      <span class="report-state">
        <span role="status" class="small">
          <span aria-hidden="true">⚑ </span>You reported this story.
        </span>
        <button
          type="button"
          ref={withdrawButton}
          class="btn btn-ghost btn-sm"
          onClick={orToast(async () => {
            const r = await del<ReportState>(`/api/stories/${story.id}/flag`);
            onChange({ ...social, ...r });
          })}
        >
          Withdraw report
        </button>
      </span>
    );
  if (!open)
    return (
      <button type="button" ref={reportButton} class="btn btn-ghost btn-sm btn-danger" aria-expanded={false} onClick={() => setOpen(true)}>
        <span aria-hidden="true">⚑ </span>Report…
      </button>
    );
  const check = (): FieldErrors => (reason.trim().length > REASON_MAX ? { reason: `At most ${REASON_MAX} characters` } : {});
  return (
    <Form
      class="report-form card"
      aria-label="Report this story"
      onSubmit={() =>
        run(check(), async () => {
          const r = await post<ReportState>(`/api/stories/${story.id}/flag`, reason.trim() ? { reason: reason.trim() } : {});
          setOpen(false);
          setReason("");
          onChange({ ...social, ...r });
        })
      }
    >
      <p class="report-note small">
        Reports go to the administrators. A story several readers report is hidden until one of them has looked at it. You can withdraw your report later.
      </p>
      <FormError error={error} />
      <TextArea
        id={`report-reason-${story.id}`}
        label="What is wrong with it? (optional)"
        name="reason"
        rows={2}
        value={reason}
        onValue={setReason}
        error={fields.reason}
        maxLength={REASON_MAX}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-danger btn-sm" disabled={busy}>
          {busy ? "Sending…" : "Send report"}
        </button>
        <button
          type="button"
          class="btn btn-ghost btn-sm"
          onClick={() => {
            clear();
            setOpen(false);
          }}
        >
          Cancel
        </button>
      </div>
    </Form>
  );
}

/**
 * The counts every reader sees (favourites in a live region, comments as a link down to them),
 * and, on other people's public stories, the Favourite toggle and the Report action.
 */
export function SocialBar({ story, social, own, onChange }: Props) {
  const canReact = !own && story.shared && !story.flagged;
  return (
    <div class="social-bar">
      <p class="social-counts small">
        {canReact && <FavoriteButton story={story} social={social} onChange={onChange} />}
        <span>
          {!canReact && <span aria-hidden="true">♥ </span>}
          <span aria-live="polite" data-testid="favorites-count">
            {plural(social.favoritesCount, "favourite")}
          </span>
        </span>
        <a href="#comments">{plural(social.commentsCount, "comment")}</a>
      </p>
      {canReact && <ReportControl story={story} social={social} onChange={onChange} />}
      {own && !story.shared && <p class="muted small">Only you can see this story. Share it from its Details step and other readers can find it in Explore.</p>}
      {own && story.flagged && <p class="muted small">This story was hidden after readers reported it; an administrator will review it.</p>}
    </div>
  );
}
