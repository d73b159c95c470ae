// The coherence figures of `npm run bench` (docs/MEMORY.md): a 12-chapter book written in each mode
// against the fake model at a fixed latency. The fake plants a unique fact token in every chapter's
// prose (CANARY-<chapter>-<random>) and its digests repeat the tokens they find, so memory can be
// traced from one chapter's prose into later chapters' prompts.
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { waitForJob } from "./jobs.mjs";

const enc = new Tiktoken(o200k);

/** What a provider's prefix cache sees: a structured-output schema comes before the messages. */
const prefixText = (b) =>
  (b.response_format?.json_schema ? JSON.stringify(b.response_format.json_schema) : "") + b.messages.map((m) => `${m.role}\n${m.content}`).join("\n");

/**
 * The share of per-chapter prompt tokens (beats and prose) a provider could serve from its prefix
 * cache: for each prompt, the longest prefix it shares with an earlier prompt of the same book,
 * schema included (so beats prompts share with beats prompts, prose with prose), over all tokens.
 */
function cacheableShare(requests) {
  const prose = requests.map((r) => r.body).filter((b) => b.stream || b.response_format?.json_schema?.name === "chapter_guide");
  const seen = [];
  let cached = 0;
  let total = 0;
  for (const b of prose) {
    const text = prefixText(b);
    let best = 0;
    for (const prev of seen) {
      let i = 0;
      const max = Math.min(prev.length, text.length);
      while (i < max && prev.charCodeAt(i) === text.charCodeAt(i)) i++;
      best = Math.max(best, i);
    }
    seen.push(text);
    cached += enc.encode(text.slice(0, best)).length;
    total += enc.encode(text).length;
  }
  return total ? cached / total : 0;
}

export async function measureCoherence({ api, fakeUrl, latencyMs, chapters = 12 }) {
  const out = {};
  const control = (path, body) => fetch(`${fakeUrl}/__control/${path}`, { method: "POST", body: JSON.stringify(body ?? {}) });
  for (const mode of ["parallel", "hybrid", "sequential"]) {
    await control("reset");
    await control("config", { latencyMs });
    const { story } = await api("POST", "/api/stories", {
      title: `Coherence, ${mode}`,
      details: "A keeper on a remote island finds letters from a drowned town, and every letter names someone still alive.",
      tags: ["mystery"],
      chaptersCount: chapters,
      targetChapterWords: 1200,
    });
    const quote = await api("GET", `/api/stories/${story.id}/estimate?stage=book&mode=${mode}`);
    const t0 = Date.now();
    const { job } = await api("POST", `/api/stories/${story.id}/generate`, { stage: "book", mode });
    const j = await waitForJob(api, job.id);
    if (j.status !== "succeeded") throw new Error(`${mode} book ended ${j.status}: ${j.error}`);
    const wall = (Date.now() - t0) / 1000;
    const requests = (await (await fetch(`${fakeUrl}/__control/requests`)).json()).requests;
    const detail = await api("GET", `/api/stories/${story.id}`);
    const texts = await Promise.all(detail.chapters.map((c) => api("GET", `/api/stories/${story.id}/chapters/${c.id}`)));
    const r = { wall, calls: requests.length, cacheShare: cacheableShare(requests), quoteOff: j.actualCost / quote.totals.text - 1 };
    if (mode === "sequential") {
      // Every chapter's fact tokens, looked for in the prompt of every later chapter.
      const prompts = requests.map((x) => x.body).filter((b) => b.stream).map((b) => JSON.stringify(b.messages));
      let expected = 0;
      let found = 0;
      texts.forEach(({ chapter }, k) => {
        for (const token of chapter.content.match(/CANARY-\d+-[a-z0-9]+/g) ?? [])
          for (let later = k + 1; later < prompts.length; later++) {
            expected++;
            if (prompts[later].includes(token)) found++;
          }
      });
      r.canary = expected ? found / expected : 0;
    }
    if (mode === "hybrid") {
      // After planning, each chapter's entry must be the previous chapter's exit.
      r.contractMismatches = texts.slice(1).filter(({ chapter }, i) => JSON.stringify(chapter.entry) !== JSON.stringify(texts[i].chapter.exit)).length;
    }
    out[mode] = r;
    console.log(`  ${mode} book of ${chapters}: ${wall.toFixed(1)} s, ${requests.length} calls, cacheable ${r.cacheShare.toFixed(3)}, charge vs quote ${(r.quoteOff * 100).toFixed(1)} %`);
  }
  out.hybridRatio = out.hybrid.wall / out.parallel.wall;
  out.sequentialRatio = out.sequential.wall / out.parallel.wall;
  return out;
}

const pct = (x) => `${(x * 100).toFixed(1)} %`;

/** The rows of the second table. */
export function coherenceRows(c, { chapters, latencyMs, concurrency }) {
  const within = (x) => Math.abs(x) <= 0.15;
  return [
    [`canary propagation, sequential (${chapters} chapters)`, pct(c.sequential.canary), "100 %", c.sequential.canary === 1],
    ["contract mismatches after planning, hybrid", String(c.hybrid.contractMismatches), "0", c.hybrid.contractMismatches === 0],
    ["wall time, hybrid / parallel", `${c.hybridRatio.toFixed(2)} (${c.hybrid.wall.toFixed(1)} / ${c.parallel.wall.toFixed(1)} s)`, "≤ 2.5", c.hybridRatio <= 2.5],
    [
      "wall time, sequential / parallel",
      `${c.sequentialRatio.toFixed(2)} (${c.sequential.wall.toFixed(1)} s; ${latencyMs} ms a call, concurrency ${concurrency})`,
      "reported",
    ],
    [
      "cacheable share of chapter-prompt tokens: parallel / hybrid / sequential",
      ["parallel", "hybrid", "sequential"].map((m) => c[m].cacheShare.toFixed(3)).join(" / "),
      "≥ 0.70",
      ["parallel", "hybrid", "sequential"].every((m) => c[m].cacheShare >= 0.7),
    ],
    [
      "charge vs quote: parallel / hybrid / sequential",
      ["parallel", "hybrid", "sequential"].map((m) => pct(c[m].quoteOff)).join(" / "),
      "within ±15 %",
      ["parallel", "hybrid", "sequential"].every((m) => within(c[m].quoteOff)),
    ],
  ];
}
