// Feedback to the NovelApp team, linked from the footer. Admins read it in the console.
import { useEffect, useRef, useState } from "preact/hooks";
import { post } from "../api";
import { Form, FormError, TextArea } from "../components/Field";
import { Notice, useTitle } from "../components/misc";
import { useSubmit, type FieldErrors } from "../components/useSubmit";
import { Link } from "../router";

const MAX = 4000;
const FIELD_ID = "feedback-message";

function check(message: string): FieldErrors {
  if (!message.trim()) return { message: "Write a few words first" };
  if (message.trim().length > MAX) return { message: `At most ${MAX} characters` };
  return {};
}

export default function Feedback() {
  useTitle("Send feedback");
  const [message, setMessage] = useState("");
  const [sent, setSent] = useState(false);
  const { fields, error, busy, run } = useSubmit();
  const thanks = useRef<HTMLDivElement>(null);
  const first = useRef(true);
  // Focus follows the page's state: the thanks once sent, the message box when writing again.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (sent) thanks.current?.focus();
    else document.getElementById(FIELD_ID)?.focus();
  }, [sent]);
  return (
    <div class="page narrow">
      <p class="breadcrumb">
        <Link href="/dashboard">My stories</Link> <span aria-hidden="true">/</span> Feedback
      </p>
      <h1>Send feedback</h1>
      <p class="lead-sm">Something broken, confusing or missing? Tell the NovelApp team; every message is read.</p>
      {sent ? (
        <div tabIndex={-1} ref={thanks} class="focus-target">
          <Notice
            tone="success"
            role="status"
            title="Thank you for your feedback!"
            actions={
              <button type="button" class="btn btn-sm" onClick={() => setSent(false)}>
                Send more
              </button>
            }
          >
            <p>Your message is with the team.</p>
          </Notice>
        </div>
      ) : (
        <Form
          class="card"
          onSubmit={() =>
            run(check(message), async () => {
              await post("/api/feedback", { message: message.trim() });
              setMessage("");
              setSent(true);
            })
          }
        >
          <FormError error={error} />
          <TextArea
            id={FIELD_ID}
            label="Your message"
            name="message"
            rows={7}
            value={message}
            onValue={setMessage}
            error={fields.message}
            maxLength={MAX}
            hint="Plain text. Please leave out passwords and payment details."
          />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? "Sending…" : "Send feedback"}
            </button>
            <Link href="/dashboard" class="btn btn-ghost">
              Cancel
            </Link>
          </div>
        </Form>
      )}
    </div>
  );
}
