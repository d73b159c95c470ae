// Admin, community: what users send from the footer.
import { useState } from "preact/hooks";
import type { FeedbackItem } from "../../../shared/api";
import { qs } from "../../api";
import { Loading } from "../../components/misc";
import { ACTIONS, PagesOf, Table, type Paged } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { dateTime } from "../../format";
import { DeleteButton } from "./section";

export function FeedbackSection() {
  const [page, setPage] = useState(1);
  const { data, error, reload } = useGet<{ feedback: FeedbackItem[] } & Paged>(`/api/admin/feedback${qs({ page })}`);
  if (error) return <Unavailable what="Feedback" error={error} />;
  if (!data) return <Loading />;
  if (data.feedback.length === 0) return <p class="muted">No feedback. Users send it from the link in every page's footer.</p>;
  return (
    <div>
      <Table caption="Feedback, newest first" columns={["Received", "From", "Message", ACTIONS]}>
        {data.feedback.map((f) => (
          <tr key={f.id}>
            <td class="nowrap">{dateTime(f.createdAt)}</td>
            <td>{f.username ?? <span class="muted">deleted user</span>}</td>
            <td class="feedback-message">{f.message}</td>
            <td class="row-actions">
              <DeleteButton
                path={`/api/admin/feedback/${f.id}`}
                label={`Delete feedback from ${f.username ?? "a deleted user"} sent ${dateTime(f.createdAt)}`}
                question="Delete this message?"
                onDeleted={reload}
              />
            </td>
          </tr>
        ))}
      </Table>
      <PagesOf {...data} onPage={setPage} />
    </div>
  );
}
