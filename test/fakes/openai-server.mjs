// A fake OpenAI-compatible server for tests, benchmarks and browser tests. It speaks
// the real wire protocol, so the real `openai` SDK is exercised end to end:
//   POST /v1/chat/completions   plain, streamed (SSE) and json_schema structured outputs, with
//                               usage incl. prompt_tokens_details.cached_tokens
//   POST /v1/images/generations b64_json
// and a control API for tests:
//   POST /__control/reset        forget faults, settings and recorded requests
//   POST /__control/config       {latencyMs, chunkDelayMs, reasoningTokens, ignoreOutputCaps,
//                                knowsOnlyMaxTokens}: the last two play providers that ignore
//                                the output cap, or refuse max_completion_tokens for max_tokens
//   POST /__control/faults       {kind, match?, status?, times?}: kind is status | timeout |
//                                truncate | invalid_json | length (a reply cut off at the cap) |
//                                short (a chapter at 40 % of its length) | elsewhere (a digest
//                                whose ending disagrees with its exit contract) | invented (a
//                                digest fact quoting words the chapter does not have) | stranger
//                                (beats that name someone the cast does not have); `match`
//                                is a substring of the request (or a list of them, all present)
//
// Two tricks for the coherence benchmark: every chapter's prose carries a unique fact token
// (CANARY-<chapter>-<random>), and a digest's facts repeat every such token in the chapter it reads.
//   GET  /__control/requests     what was received, in order
//
// Run standalone: node test/fakes/openai-server.mjs [port]
import http from "node:http";
import zlib from "node:zlib";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";

/** A small real PNG (a two-tone gradient), base64, as image models return it. */
const TINY_PNG = (() => {
  const w = 64, h = 96;
  const raw = Buffer.alloc(h * (1 + w * 3));
  for (let y = 0; y < h; y++) {
    raw[y * (1 + w * 3)] = 0;
    for (let x = 0; x < w; x++) raw.set([40 + y, 60 + x, 140], y * (1 + w * 3) + 1 + x * 3);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "ascii");
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]).toString("base64");
})();

const CAST = [
  ["Ada Quill", "A lighthouse keeper's daughter who catalogues storms and distrusts easy answers."],
  ["Bram Holt", "A salvage diver with a ruined knee and a debt he will not name."],
  ["Cora Wynn", "The town archivist, precise, funny, and quietly furious about what was buried."],
  ["Dev Mehta", "A newcomer surveyor whose maps keep showing a street that is not there."],
];
const PLACES = [
  ["The Point Light", "A white tower on the headland, lamp dark for ten years."],
  ["Salt Archive", "A damp records office under the harbour master's house."],
  ["Drowned Street", "The lane that slid into the bay in the flood, visible at the lowest tides."],
];

// Usage is counted like a real provider counts it: with the o200k tokenizer (GPT-4o and the
// o-series), built once when the server starts.
const encoder = new Tiktoken(o200k);
const tokens = (s) => encoder.encode(s).length;
const promptTokensOf = (messages) => 3 + messages.reduce((n, m) => n + 4 + tokens(String(m.content ?? "")), 0);
/** Prose of ordinary English words (about 1.3 tokens a word, as real prose is). */
const words = (n, seed = 0) => {
  const pool = [
    "the", "tide", "lamp", "letter", "salt", "quietly", "doorway", "storm", "voice", "harbour", "kept", "underneath",
    "lighthouse", "she", "whispered", "waited", "weathered", "shoreline", "remembered", "lantern", "afterwards", "distance",
  ];
  return Array.from({ length: n }, (_, i) => pool[(i * 7 + seed) % pool.length]).join(" ");
};

function answerFor(body, opts = {}) {
  const text = (body.messages ?? []).map((m) => m.content).join("\n");
  const name = body.response_format?.json_schema?.name;
  if (name === "story_meta")
    return JSON.stringify({
      characters: CAST.map(([n, d]) => ({ name: n, description: d, example_dialogue: `"I keep a list of what the sea returns," said ${n.split(" ")[0]}.` })),
      locations: PLACES.map(([n, d]) => ({ name: n, description: d })),
    });
  if (name === "chapter_summaries") {
    const n = Number(text.match(/exactly (\d+) chapters/)?.[1] ?? 3);
    return JSON.stringify({
      chapters: Array.from({ length: n }, (_, i) => ({
        title: `Low Tide ${i + 1}`,
        summary: `Chapter ${i + 1}: Ada and Cora follow the next letter to the Salt Archive, where Bram admits what he saw the night of the flood; ${words(40, i)}.`,
      })),
    });
  }
  if (name === "story_arcs")
    return JSON.stringify({ arcs: ["Ada learns to trust what she cannot measure.", "The town admits what the flood covered.", "Bram repays his debt."] });
  if (name === "chapter_guide") {
    const cast = [...text.matchAll(/<character name="([^"]+)"/g)].map((m) => m[1]);
    const places = [...text.matchAll(/<location name="([^"]+)"/g)].map((m) => m[1]);
    return JSON.stringify({
      parts: Array.from({ length: 4 }, (_, i) => ({
        text: `Beat ${i + 1}: ${words(30, i)}.`,
        characters: [...cast.slice(i % Math.max(1, cast.length), (i % Math.max(1, cast.length)) + 2), ...(opts.stranger && i === 0 ? ["Quillon Marsh"] : [])],
        locations: places.slice(0, 1),
      })),
    });
  }
  if (name === "chapter_contracts") {
    const chapters = [...text.matchAll(/<chapter number="(\d+)"/g)].length;
    const cast = [...text.matchAll(/<character name="([^"]+)"/g)].map((m) => m[1]);
    const places = [...text.matchAll(/<location name="([^"]+)"/g)].map((m) => m[1]);
    const state = (i) => {
      const place = places.length ? places[i % places.length] : "the harbour";
      const present = cast.slice(0, 2);
      return {
        place,
        time: `Night ${i + 1}`,
        present,
        states: cast.map((n, j) => ({ name: n, where: j < 2 ? place : places[(i + j) % Math.max(1, places.length)] ?? place, condition: "tired", knows: ["the letter"], has: [] })),
        openThreads: ["Who keeps sending the letters?"],
      };
    };
    return JSON.stringify({ opening: state(0), exits: Array.from({ length: chapters }, (_, i) => state(i + 1)) });
  }
  if (name === "chapter_digest") {
    const chapterText = text.match(/<chapter_text[^>]*>([\s\S]*?)<\/chapter_text>/)?.[1] ?? "";
    const exit = text.match(/<exit>([\s\S]*?)<\/exit>/)?.[1] ?? "";
    const place = exit.match(/<place>([^<]*)<\/place>/)?.[1] ?? "";
    const present = (exit.match(/<present>([^<]*)<\/present>/)?.[1] ?? "").split(",").map((x) => x.trim()).filter(Boolean);
    const states = [...exit.matchAll(/<state name="([^"]+)">at ([^.<]*)/g)].map((m) => ({ name: m[1], where: m[2], condition: "", knows: [], has: [] }));
    const canaries = [...new Set(chapterText.match(/CANARY-\d+-[a-z0-9]+/g) ?? [])];
    // A few facts quoting the chapter's own sentences, as a real reader would.
    const sentences = chapterText.split(/\n\n/).filter((p) => !p.includes("CANARY")).slice(0, 4).map((p) => p.split(/\s+/).slice(0, 8).join(" "));
    const cast = [...text.matchAll(/<characters>([^<]*)<\/characters>/g)].flatMap((m) => m[1].split(";")).map((x) => x.replace(/\(.*\)/, "").trim()).filter(Boolean);
    return JSON.stringify({
      summary: `The chapter moves the story on. ${words(90, canaries.length)}.`,
      ending: { place: opts.elsewhere ? "Somewhere else entirely" : place, time: "", present, lastBeat: "They part for the night." },
      states: (opts.elsewhere ? states.map((st) => ({ ...st, where: "Somewhere else entirely" })) : states).concat(
        cast.filter((n) => !states.some((st) => st.name === n)).map((n) => ({ name: n, where: place, condition: "watchful", knows: ["the letter"], has: ["a lantern"] })),
      ),
      facts: [
        ...sentences.map((q, i) => ({ text: `The chapter establishes detail ${i + 1}: ${q}`, quote: q })),
        ...canaries.map((c) => ({ text: `The ledger records ${c}`, quote: c })),
        ...(opts.invented ? [{ text: "A fact the chapter never states", quote: "words that appear nowhere in the chapter" }] : []),
      ],
      threadsOpened: ["Who keeps sending the letters?"],
      threadsClosed: [],
      firstMeetings: [],
    });
  }
  if (name === "continuity_audit") {
    // Scripted claims: one that quotes the chapter and the bible exactly, one whose quote is not in
    // the chapter, one whose counter-quote is not in the book. Only the first may survive.
    const chapterText = text.match(/<chapter_text[^>]*>([\s\S]*?)<\/chapter_text>/)?.[1] ?? "";
    const real = chapterText.split(/\n\n/)[0]?.split(/\s+/).slice(0, 8).join(" ") ?? "";
    const bible = (text.match(/<description>([^<]+)<\/description>/)?.[1] ?? "").split(/\s+/).slice(0, 5).join(" ");
    return JSON.stringify({
      issues: [
        { category: "characterization", description: "This contradicts how the bible describes the character.", quote: real, contradicts: { chapterNumber: null, quote: bible } },
        { category: "factual_detail", description: "An invented complaint.", quote: "a sentence this chapter never contains", contradicts: { chapterNumber: null, quote: bible } },
        { category: "timeline_plot", description: "A complaint about something the book never says.", quote: real, contradicts: { chapterNumber: null, quote: "words found nowhere in the book" } },
      ],
    });
  }
  if (name) return JSON.stringify({});
  if (/<opening>/.test(text)) return `${words(60, 3)}. The way here had been longer than anyone planned, and it showed.`;
  // It obeys the author: "at least N words" in the instructions is taken at its word.
  const asked = text.match(/at least ([\d,]+) words/i)?.[1];
  const n = asked ? Number(asked.replace(/,/g, "")) : Math.min(3000, Number(text.match(/About (\d+) words/)?.[1] ?? 300));
  const length = opts.short ? Math.round(n * 0.4) : n;
  // The chapter being written is the one whose block is in the user message (the bible's outline names them all).
  const user = (body.messages ?? []).filter((m) => m.role === "user").map((m) => m.content).join("\n");
  const chapter = user.match(/<chapter number="(\d+)"/)?.[1] ?? "0";
  const paragraphs = [];
  for (let i = 0, left = length; left > 0; i++, left -= 80) paragraphs.push(words(Math.min(80, left), i) + ".");
  // The chapter's unique fact, in the middle of its prose.
  paragraphs.splice(Math.floor(paragraphs.length / 2), 0, `The ledger held CANARY-${chapter}-${Math.random().toString(36).slice(2, 8)}.`);
  return paragraphs.join("\n\n");
}

export async function startFakeOpenAi({ port = 0, host = "127.0.0.1" } = {}) {
  const defaults = () => ({ latencyMs: 0, chunkDelayMs: 0, reasoningTokens: undefined, ignoreOutputCaps: false, knowsOnlyMaxTokens: false, faults: [], requests: [], prefixes: new Map() });
  const state = defaults();
  const hanging = new Set();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /** Cached tokens the way OpenAI reports them: the shared prefix with an earlier prompt of the same cache key, in 128-token steps from 1024. */
  function cachedTokens(body) {
    const serial = (body.messages ?? []).map((m) => `${m.role}\n${m.content}`).join("\n");
    const key = body.prompt_cache_key ?? "";
    let best = 0;
    for (const prev of state.prefixes.get(key) ?? []) {
      let i = 0;
      const max = Math.min(prev.length, serial.length);
      while (i < max && prev.charCodeAt(i) === serial.charCodeAt(i)) i++;
      best = Math.max(best, i);
    }
    state.prefixes.set(key, [...(state.prefixes.get(key) ?? []), serial].slice(-20));
    const t = tokens(serial.slice(0, best));
    return t >= 1024 ? Math.floor(t / 128) * 128 : 0;
  }

  function takeFault(raw, body) {
    // `match`: a substring of the request, or several that must all be in it. Each is looked
    // for in the raw JSON body and in the decoded text of the last user message.
    const user = String((body?.messages ?? []).findLast?.((m) => m.role === "user")?.content ?? body?.prompt ?? "");
    const i = state.faults.findIndex((f) => !f.match || [f.match].flat().every((m) => raw.includes(m) || user.includes(m)));
    if (i < 0) return null;
    const f = state.faults[i];
    if (--f.times <= 0) state.faults.splice(i, 1);
    return f;
  }

  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  async function chat(req, res, body, raw) {
    const fault = takeFault(raw, body);
    if (state.latencyMs) await sleep(state.latencyMs);
    if (fault?.kind === "status")
      return json(res, fault.status ?? 500, { error: { message: `Injected ${fault.status ?? 500}`, type: "server_error", code: null } }, { "retry-after-ms": "20" });
    if (fault?.kind === "timeout") {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (state.knowsOnlyMaxTokens && body.max_completion_tokens !== undefined)
      return json(res, 400, { error: { message: "Unrecognized request argument supplied: max_completion_tokens", type: "invalid_request_error", param: null, code: null } });
    let content = fault?.kind === "invalid_json" ? "Sure! Here is your JSON: {not json" : answerFor(body, { short: fault?.kind === "short", elsewhere: fault?.kind === "elsewhere", invented: fault?.kind === "invented", stranger: fault?.kind === "stranger" });
    const promptTokens = promptTokensOf(body.messages ?? []);
    const reasoning = state.reasoningTokens ?? (/^o\d/.test(body.model ?? "") ? 64 : 0);
    // The output cap counts reasoning tokens too; a reply that reaches it stops there.
    const cap = body.max_completion_tokens ?? body.max_tokens;
    let finish = "stop";
    if (fault?.kind === "length") {
      content = content.slice(0, Math.floor(content.length / 2));
      finish = "length";
    } else if (cap && !state.ignoreOutputCaps && tokens(content) + reasoning > cap) {
      content = encoder.decode(encoder.encode(content).slice(0, Math.max(0, cap - reasoning)));
      finish = "length";
    }
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: tokens(content) + reasoning,
      total_tokens: promptTokens + tokens(content) + reasoning,
      prompt_tokens_details: { cached_tokens: cachedTokens(body) },
      completion_tokens_details: { reasoning_tokens: reasoning },
    };
    const id = `chatcmpl-${state.requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream)
      return json(res, 200, {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: finish, logprobs: null }],
        usage,
      });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (obj) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
    const chunk = (delta, finish = null) => ({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] });
    send(chunk({ role: "assistant", content: "" }));
    const pieces = content.match(/[\s\S]{1,400}/g) ?? [""];
    for (let i = 0; i < pieces.length; i++) {
      if (fault?.kind === "truncate" && i >= Math.max(1, Math.floor(pieces.length / 2))) return res.end(); // cut mid-chapter
      if (state.chunkDelayMs) await sleep(state.chunkDelayMs);
      send(chunk({ content: pieces[i] }));
    }
    send(chunk({}, finish));
    if (body.stream_options?.include_usage) send({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage });
    res.write("data: [DONE]\n\n");
    res.end();
  }

  async function images(req, res, body, raw) {
    const fault = takeFault(raw, body);
    if (state.latencyMs) await sleep(state.latencyMs);
    if (fault?.kind === "status")
      return json(res, fault.status ?? 500, { error: { message: `Injected ${fault.status ?? 500}`, type: "server_error" } }, { "retry-after-ms": "20" });
    json(res, 200, { created: Math.floor(Date.now() / 1000), data: [{ b64_json: TINY_PNG, revised_prompt: body.prompt }] });
  }

  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const part of req) raw += part;
    const body = raw ? JSON.parse(raw) : {};
    try {
      if (req.url === "/__control/reset") {
        Object.assign(state, defaults());
        return json(res, 200, { ok: true });
      }
      if (req.url === "/__control/config") {
        Object.assign(state, body);
        return json(res, 200, { ok: true });
      }
      if (req.url === "/__control/faults") {
        state.faults.push({ times: 1, ...body });
        return json(res, 200, { ok: true });
      }
      if (req.url === "/__control/requests") return json(res, 200, { requests: state.requests });
      state.requests.push({ path: req.url, body, at: Date.now(), authorization: req.headers.authorization ?? null });
      if (req.method === "POST" && req.url?.endsWith("/chat/completions")) return await chat(req, res, body, raw);
      if (req.method === "POST" && req.url?.endsWith("/images/generations")) return await images(req, res, body, raw);
      json(res, 404, { error: { message: `No fake for ${req.method} ${req.url}` } });
    } catch (e) {
      json(res, 500, { error: { message: String(e) } });
    }
  });
  await new Promise((r) => server.listen(port, host, r));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    state,
    close: () =>
      new Promise((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fake = await startFakeOpenAi({ port: Number(process.argv[2] ?? 8788) });
  console.log(`fake OpenAI listening on ${fake.url}`);
}
