// Admin pricing: token costs, action modifiers, per-stage models and predicted output tokens,
// with a live example of what a chapter (and a cast, and an image) would cost under the draft.
import { useEffect, useState } from "preact/hooks";
import type { PricingTables, TokenCost } from "../../../shared/api";
import { get, patch, post } from "../../api";
import { Form, FormError, Select, TextField } from "../../components/Field";
import { Loading, Notice } from "../../components/misc";
import { Table } from "../../components/Table";
import { Unavailable } from "../../components/Unavailable";
import { FIX_FIELDS, useSubmit } from "../../components/useSubmit";
import { num } from "../../format";
import { toast } from "../../toast";

type PricingData = PricingTables;

const COST_FIELDS: [keyof TokenCost, string, string][] = [
  ["costPerCredit", "USD per credit", "standard"],
  ["costPer1mInput", "USD per 1M input tokens", "standard"],
  ["costPer1mOutput", "USD per 1M output tokens", "standard"],
  ["o1CostPerCredit", "USD per credit", "reasoning"],
  ["o1CostPer1mInput", "USD per 1M input tokens", "reasoning"],
  ["o1CostPer1mOutput", "USD per 1M output tokens", "reasoning"],
  ["dallEPricePerImage", "USD per image", "image"],
];

type Draft = { cost: Record<string, string>; modifiers: Record<string, string>; stages: Record<string, { model: string; tier: string; predictedOutputTokens: string }> };

const toDraft = (p: PricingData): Draft => ({
  cost: Object.fromEntries(Object.entries(p.tokenCost).map(([k, v]) => [k, String(v)])),
  modifiers: Object.fromEntries(p.creditConfig.map((m) => [m.action, String(m.modifier)])),
  stages: Object.fromEntries(p.stages.map((s) => [s.stage, { model: s.model, tier: s.tier, predictedOutputTokens: String(s.predictedOutputTokens) }])),
});

function validate(d: Draft) {
  const f: Record<string, string> = {};
  const positive = (v: string) => v.trim() !== "" && Number.isFinite(Number(v)) && Number(v) > 0;
  for (const [k, v] of Object.entries(d.cost)) if (!positive(v)) f[`tokenCost.${k}`] = "A positive number";
  for (const [k, v] of Object.entries(d.modifiers)) if (!positive(v) || Number(v) > 10_000) f[`modifier.${k}`] = "A positive number up to 10000";
  for (const [k, s] of Object.entries(d.stages)) {
    if (!s.model.trim()) f[`stage.${k}.model`] = "Required";
    const n = Number(s.predictedOutputTokens);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) f[`stage.${k}.predictedOutputTokens`] = "A whole number";
  }
  return f;
}

function toPatch(d: Draft) {
  return {
    tokenCost: Object.fromEntries(Object.entries(d.cost).map(([k, v]) => [k, Number(v)])),
    creditConfig: Object.entries(d.modifiers).map(([action, v]) => ({ action, modifier: Number(v) })),
    stages: Object.entries(d.stages).map(([stage, s]) => ({ stage, model: s.model.trim(), tier: s.tier, predictedOutputTokens: Number(s.predictedOutputTokens) })),
  };
}

function Example({ ex }: { ex: PricingTables["examples"][keyof PricingTables["examples"]] }) {
  if (ex.kind === "image")
    return (
      <div class="example">
        <p class="example-label">{ex.label}</p>
        <p class="example-total">{num(ex.total)} image credits</p>
        <p class="muted small">
          ${ex.pricePerImage} × modifier {ex.modifier} = {num(ex.perImage)}
        </p>
      </div>
    );
  return (
    <div class="example">
      <p class="example-label">{ex.label}</p>
      <p class="example-total" data-testid="example-total">
        {num(ex.total)} credits
      </p>
      <p class="muted small">
        In: {num(ex.inputTokens)} tokens ÷ {ex.inputTokensPerCredit} per credit = {num(ex.baseInput)} × {ex.inputModifier} = {num(ex.modifiedInput)}
        <br />
        Out: {num(ex.outputTokens)} tokens ÷ {ex.outputTokensPerCredit} per credit = {num(ex.baseOutput)} × {ex.outputModifier} = {num(ex.modifiedOutput)}
      </p>
    </div>
  );
}

export function PricingSection() {
  const [data, setData] = useState<PricingData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [preview, setPreview] = useState<PricingData["examples"] | null>(null);
  const { fields, error: formError, busy, run, clear } = useSubmit({ invalid: FIX_FIELDS });
  useEffect(() => {
    get<PricingData>("/api/admin/pricing").then((p) => {
      setData(p);
      setDraft(toDraft(p));
      setPreview(p.examples ?? null);
    }, setError);
  }, []);

  // The live example follows the draft (debounced), computed by the server's own formula.
  useEffect(() => {
    if (!draft || Object.keys(validate(draft)).length) return;
    const t = setTimeout(() => {
      post<PricingData>("/api/admin/pricing/preview", toPatch(draft)).then(
        (p) => setPreview(p.examples ?? null),
        () => {},
      );
    }, 400);
    return () => clearTimeout(t);
  }, [draft]);

  if (error) return <Unavailable what="The pricing API" error={error} />;
  if (!data || !draft) return <Loading />;
  const live = Object.keys(validate(draft)).length === 0;
  const save = () =>
    run(validate(draft), async () => {
      const p = await patch<PricingData>("/api/admin/pricing", toPatch(draft));
      setData(p);
      setDraft(toDraft(p));
      setPreview(p.examples ?? null);
      toast("Pricing saved. New quotes use it from now on.", "success");
    });
  const setCost = (k: string, v: string) => setDraft({ ...draft, cost: { ...draft.cost, [k]: v } });
  return (
    <Form onSubmit={save} class="admin-pricing">
      <div class="pricing-layout">
        <div>
          <FormError error={formError} />
          {(["standard", "reasoning", "image"] as const).map((tier) => (
            <fieldset class="card" key={tier}>
              <legend>{tier === "standard" ? "Standard models" : tier === "reasoning" ? "Reasoning models" : "Images"}</legend>
              <div class="grid-3">
                {COST_FIELDS.filter((c) => c[2] === tier).map(([k, label]) => (
                  <TextField key={k} label={label} inputMode="decimal" value={draft.cost[k] ?? ""} onValue={(v) => setCost(k, v)} error={fields[`tokenCost.${k}`]} />
                ))}
              </div>
            </fieldset>
          ))}
          <fieldset class="card">
            <legend>Modifiers (credits × modifier)</legend>
            <div class="grid-4">
              {data.creditConfig.map((m) => (
                <TextField
                  key={m.action}
                  label={m.action}
                  inputMode="decimal"
                  value={draft.modifiers[m.action] ?? ""}
                  onValue={(v) => setDraft({ ...draft, modifiers: { ...draft.modifiers, [m.action]: v } })}
                  error={fields[`modifier.${m.action}`]}
                />
              ))}
            </div>
          </fieldset>
          <fieldset class="card">
            <legend>Stages</legend>
            <Table columns={["Stage", "Model", "Price tier", "Predicted output tokens"]}>
              {data.stages.map((s) => {
                const d = draft.stages[s.stage]!;
                const set = (patchRow: Partial<typeof d>) => setDraft({ ...draft, stages: { ...draft.stages, [s.stage]: { ...d, ...patchRow } } });
                return (
                  <tr key={s.stage}>
                    <th scope="row">{s.stage}</th>
                    <td>
                      <TextField label={<span class="sr-only">Model for {s.stage}</span>} value={d.model} onValue={(model) => set({ model })} error={fields[`stage.${s.stage}.model`]} />
                    </td>
                    <td>
                      <Select
                        label={<span class="sr-only">Price tier for {s.stage}</span>}
                        value={d.tier}
                        onValue={(tier) => set({ tier })}
                        options={[
                          { value: "standard", label: "standard" },
                          { value: "reasoning", label: "reasoning" },
                        ]}
                      />
                    </td>
                    <td>
                      <TextField
                        label={<span class="sr-only">Predicted output tokens for {s.stage}</span>}
                        inputMode="numeric"
                        value={d.predictedOutputTokens}
                        onValue={(predictedOutputTokens) => set({ predictedOutputTokens })}
                        error={fields[`stage.${s.stage}.predictedOutputTokens`]}
                      />
                    </td>
                  </tr>
                );
              })}
            </Table>
          </fieldset>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? "Saving…" : "Save pricing"}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => (setDraft(toDraft(data)), clear())}>
              Reset
            </button>
          </div>
        </div>
        <aside class="card examples" aria-live="polite" aria-labelledby="ex-title">
          <h3 id="ex-title">What it costs{live ? "" : " (fix the fields to update)"}</h3>
          {preview?.chapter && <Example ex={preview.chapter} />}
          {preview?.meta && <Example ex={preview.meta} />}
          {preview?.image && <Example ex={preview.image} />}
          {!preview && <Notice tone="info">No example from the server.</Notice>}
        </aside>
      </div>
    </Form>
  );
}
