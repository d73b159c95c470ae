// Admin, people: every model call, filterable by user, status and stage.
import { useState } from "preact/hooks";
import { UNIT_STAGES } from "../../../shared/stages";
import { qs } from "../../api";
import { Form, Select, TextField } from "../../components/Field";
import type { GenerationPage } from "../../../shared/api";
import { logsOf, StatusAndCost } from "../../components/GenerationLog";
import { Loading } from "../../components/misc";
import { PagesOf, Table, type Paged } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { dateTime, num, usd } from "../../format";

export function GenerationsSection() {
  const [filters, setFilters] = useState({ user: "", status: "", stage: "" });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState(1);
  const { data, error } = useGet<GenerationPage>(`/api/admin/generations${qs({ ...applied, page })}`);
  if (error) return <Unavailable what="Generation logs" error={error} />;
  return (
    <div>
      <Form
        class="inline-form"
        onSubmit={() => {
          setPage(1);
          setApplied({ ...filters, user: filters.user.trim() });
        }}
      >
        <TextField label="User (name or id)" value={filters.user} onValue={(user) => setFilters({ ...filters, user })} />
        <Select
          label="Status"
          value={filters.status}
          onValue={(status) => setFilters({ ...filters, status })}
          options={[
            { value: "", label: "Any" },
            ...["pending", "succeeded", "failed", "cancelled"].map((s) => ({ value: s, label: s })),
          ]}
        />
        <Select
          label="Stage"
          value={filters.stage}
          onValue={(stage) => setFilters({ ...filters, stage })}
          options={[{ value: "", label: "Any" }, ...UNIT_STAGES.map((s) => ({ value: s, label: s }))]}
        />
        <button type="submit" class="btn">
          Filter
        </button>
      </Form>
      {!data ? (
        <Loading />
      ) : logsOf(data).length === 0 ? (
        <p class="muted">No generations match.</p>
      ) : (
        <>
          <Table
            caption="Generation logs"
            columns={[
              "When",
              "User",
              "Unit",
              "Model",
              "Status",
              { label: "Predicted", num: true },
              { label: "Real", num: true },
              { label: "In / cached / out", num: true },
              { label: "Provider", num: true },
            ]}
          >
            {logsOf(data).map((l) => (
              <tr key={l.id}>
                <td>{dateTime(l.createdAt)}</td>
                <td>{l.username ?? "—"}</td>
                <td>
                  {l.unit}
                  {l.storyTitle && <div class="muted small">{l.storyTitle}</div>}
                </td>
                <td>{l.model}</td>
                <StatusAndCost log={l} />
                <td class="num">
                  {l.inputTokens === null || l.inputTokens === undefined
                    ? "—"
                    : `${num(l.inputTokens)} / ${num(l.cachedInputTokens ?? 0)} / ${num(l.outputTokens ?? 0)}`}
                </td>
                <td class="num">
                  {l.providerCostUsd === null || l.providerCostUsd === undefined ? "—" : usd(l.providerCostUsd)}
                </td>
              </tr>
            ))}
          </Table>
          <PagesOf {...data} onPage={setPage} />
        </>
      )}
    </div>
  );
}

// ------------------------------------------------------------------ analytics
