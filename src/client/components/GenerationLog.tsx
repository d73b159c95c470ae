// Generation logs, as the profile (your own) and the admin console (everyone's) list them.
import type { GenerationLog } from "../../shared/api";
import { num } from "../format";

export type { GenerationLog };

/** The list in a page of logs. */
export const logsOf = (p: { generations: GenerationLog[] }): GenerationLog[] => p.generations;

/** The status cell and the predicted and real cost cells of a log's row; a failure's reason shows on hover. */
export function StatusAndCost({ log }: { log: GenerationLog }) {
  return (
    <>
      <td>
        <span class={`badge${log.status === "succeeded" ? " badge-success" : log.status === "failed" ? " badge-error" : ""}`} title={log.errorMessage ?? undefined}>
          {log.status}
        </span>
      </td>
      <td class="num">{num(log.predictedCost)}</td>
      <td class="num">{num(log.realCost)}</td>
    </>
  );
}
