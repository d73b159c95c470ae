// Generation logs, as the profile (your own) and the admin console (everyone's) list them.
import { num } from "../format";

export type GenerationLog = {
  id: number;
  jobId?: number | null;
  storyId?: number | null;
  storyTitle?: string | null;
  unit?: string;
  stage?: string;
  generationType?: string;
  model?: string;
  status: string;
  predictedCost: number;
  realCost: number | null;
  creditType?: "text" | "image";
  inputTokens?: number | null;
  outputTokens?: number | null;
  cachedInputTokens?: number | null;
  errorMessage?: string | null;
  error?: string | null;
  createdAt: string;
};

/** The list in a page of logs, whatever the endpoint calls it. */
export const logsOf = <T = GenerationLog,>(p: { generations?: T[]; logs?: T[]; items?: T[] }): T[] => p.generations ?? p.logs ?? p.items ?? [];

/** The status cell and the predicted and real cost cells of a log's row; a failure's reason shows on hover. */
export function StatusAndCost({ log }: { log: GenerationLog }) {
  return (
    <>
      <td>
        <span class={`badge${log.status === "succeeded" ? " badge-success" : log.status === "failed" ? " badge-error" : ""}`} title={log.errorMessage ?? log.error ?? undefined}>
          {log.status}
        </span>
      </td>
      <td class="num">{num(log.predictedCost)}</td>
      <td class="num">{num(log.realCost)}</td>
    </>
  );
}
