// What the book report and a chapter's findings show until the report has loaded: a spinner, or
// the error with a way to try again.
import { Loading, Notice } from "../../components/misc";

export function ReportPending({ error, reload }: { error: Error | null | undefined; reload: () => void }) {
  return error ? (
    <Notice tone="error" actions={<button type="button" class="btn btn-sm" onClick={reload}>Try again</button>}>
      <p>The continuity report could not be loaded: {error.message}</p>
    </Notice>
  ) : (
    <Loading label="Reading the report…" />
  );
}
