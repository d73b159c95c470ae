// Admin, money: a period's revenue, provider cost, credits charged, margin and prediction error per stage.
import { useState } from "preact/hooks";
import type { Analytics } from "../../../shared/api";
import { qs } from "../../api";
import { Form, TextField } from "../../components/Field";
import { Loading } from "../../components/misc";
import { Stat } from "../../components/Stat";
import { Table } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { useGet } from "../../components/useGet";
import { num, usd } from "../../format";


const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function AnalyticsSection() {
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * 86400_000)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [applied, setApplied] = useState({ from, to });
  const { data, error } = useGet<Analytics>(`/api/admin/analytics${qs(applied)}`);
  if (error) return <Unavailable what="Analytics" error={error} />;
  const pct = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${Math.round(x * 1000) / 10}%`);
  return (
    <div>
      {/* The browser's own check stays on: it refuses a half-typed date. */}
      <Form class="inline-form" noValidate={false} onSubmit={() => setApplied({ from, to })}>
        <TextField label="From" type="date" value={from} onValue={setFrom} />
        <TextField label="To" type="date" value={to} onValue={setTo} />
        <button type="submit" class="btn">
          Show
        </button>
      </Form>
      {!data ? (
        <Loading />
      ) : (
        <>
          <div class="stat-row">
            <Stat value={usd(data.revenueUsd)} label={`revenue (${data.purchases} purchases)`} />
            <Stat value={usd(data.providerCostUsd)} label="provider cost" />
            <Stat value={usd(data.marginUsd)} label="margin" neg={data.marginUsd < 0} />
            <Stat value={num(data.creditsCharged.text)} label="text credits charged" />
            <Stat value={num(data.creditsCharged.image)} label="image credits charged" />
          </div>
          {data.usage && (
            <p class="muted">
              {num(data.usage.calls)} calls · {num(data.usage.inputTokens)} input tokens ({num(data.usage.cachedInputTokens)}{" "}
              cached) · {num(data.usage.outputTokens)} output tokens ({num(data.usage.reasoningTokens)} reasoning)
            </p>
          )}
          <h3>Prediction error by stage</h3>
          {data.predictionError.length === 0 ? (
            <p class="muted">No generations in this period.</p>
          ) : (
            <Table
              columns={[
                "Stage",
                ...["Calls", "Predicted", "Charged", "Bias", "Mean abs. error"].map((label) => ({ label, num: true })),
              ]}
            >
              {data.predictionError.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{s.stage}</th>
                  <td class="num">{num(s.units)}</td>
                  <td class="num">{num(s.predicted)}</td>
                  <td class="num">{num(s.actual)}</td>
                  <td class="num">{pct(s.bias)}</td>
                  <td class="num">{pct(s.meanAbsError)}</td>
                </tr>
              ))}
            </Table>
          )}
        </>
      )}
    </div>
  );
}

// ------------------------------------------------------------------ site settings
