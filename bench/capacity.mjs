#!/usr/bin/env node
// `node bench/capacity.mjs`: the capacity model. From what one book costs each Cloudflare product
// (the `footprint` of bench/results/latest.json, or the targets below), what 10,000, 100,000 and
// 1,000,000 active authors writing two books a month make each product carry, against its
// published limit; which limit is reached first, and at how many authors. docs/SCALE.md explains
// it. Plain arithmetic on Node built-ins: no network, no wrangler, well under a second.
//
//   node bench/capacity.mjs [--figures file.json] [--peak 3] [--horizon 12] [--query-ms 1]
//                           [--unit-wall-s 30] [--book-wall-s 600] [--json]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LATEST = join(ROOT, "bench/results/latest.json");
const OUT = join(ROOT, "bench/results/capacity.json");

// ---------------------------------------------------------------- inputs

/**
 * What one book costs: a 30-chapter book of about 2,500 words a chapter, ten revisions a chapter,
 * written through the whole pipeline. Targets until `npm run bench` measures them.
 */
const DEFAULT_FOOTPRINT = {
  d1BytesPerBook: 60_000, // D1 bytes a book keeps (metadata only: prose and revisions in R2)
  d1JobBytesPerBook: 100_000, // D1 bytes its jobs keep: one row per unit and per charge
  d1WritesPerBook: 900, // D1 statements the consumer runs writing it, all on the primary
  d1ReadsPerBookMonth: 3_000, // queries to read, edit and export it, in the month it is written
  r2ObjectsPerBook: 330, // 30 chapters × 11 versions, plus cover and chapter images
  r2BytesPerBook: 2_500_000,
  r2WritesPerBook: 400, // class A operations (puts, lists)
  r2ReadsPerBookMonth: 2_000, // class B operations (gets); measured: those made writing it
  queueMessagesPerBook: 130,
  userHubCallsPerBook: 1_500, // UserHub calls the consumer makes: events, delta batches, the lock
  cpuMsPerUnit: 40, // Worker CPU per queue unit
  unitsPerBook: 130,
};

/** The book those figures describe (used only to size prose kept in D1, the schema before prose moved to R2). */
const BOOK = { chapters: 30, wordsPerChapter: 2_500, versionsPerChapter: 11, bytesPerWord: 6 };

const BOOKS_PER_AUTHOR_MONTH = 2;
const SCALES = [10_000, 100_000, 1_000_000];
const MONTH_S = 30 * 24 * 3600;
const GB = 1e9;
const TB = 1e12;

/**
 * Cloudflare's published limits (Workers Paid), as read from the pages cited in docs/SCALE.md.
 * Re-check them there before designing around them.
 */
const LIMITS = {
  d1DatabaseBytes: 10 * GB, // "Maximum database size: 10 GB (Workers Paid)", cannot be raised
  d1AccountBytes: 1 * TB, // "Maximum storage per account: 1 TB (Workers Paid)", raisable on request
  d1Databases: 50_000, // "Databases per account: 50,000 (Workers Paid)", raisable on request
  d1BindingsPerWorker: 5_000, // "Maximum bindings per Workers script: approximately 5,000"
  queueMessagesPerSecond: 5_000, // "Per-queue message throughput: 5,000 messages per second"
  queueConsumers: 250, // "Concurrent consumer invocations: 250 (push-based only)"
  connectionsPerInvocation: 6, // Workers: "Simultaneous outgoing connections/request: 6"
  doRequestsPerSecond: 1_000, // Durable Objects FAQ: "soft limit of 1,000 requests per second"
  workerCpuMsMax: 300_000, // Workers: CPU time up to 5 min (cpu_ms), queue consumers likewise
  r2ClassAPerMillion: 4.5, // R2 pricing, Standard storage, USD
  r2ClassBPerMillion: 0.36,
  r2GbMonth: 0.015,
};

const USAGE = `node bench/capacity.mjs [options]
  --figures <file>    per-book figures: {"footprint": {...}} or the bare keys (overrides latest.json)
  --peak <x>          peak hour as a multiple of the average hour (default 3)
  --horizon <months>  months of writing a store must hold before it counts as "full" (default 12)
  --query-ms <ms>     average D1 query duration; a database runs 1000/ms queries a second (default 1)
  --unit-wall-s <s>   wall time of one queue unit, mostly the model call (default 30)
  --book-wall-s <s>   wall time to write one whole book (default 600)
  --json              print the JSON instead of the tables`;

let args;
try {
  args = parseArgs({
    options: {
      figures: { type: "string" },
      peak: { type: "string", default: "3" },
      horizon: { type: "string", default: "12" },
      "query-ms": { type: "string", default: "1" },
      "unit-wall-s": { type: "string", default: "30" },
      "book-wall-s": { type: "string", default: "600" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (e) {
  console.error(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const positive = (name) => {
  const v = Number(args[name]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} must be a positive number, not ${JSON.stringify(args[name])}`);
    process.exit(2);
  }
  return v;
};
const PEAK = positive("peak");
const HORIZON = positive("horizon");
const QUERY_MS = positive("query-ms");
const UNIT_WALL_S = positive("unit-wall-s");
const BOOK_WALL_S = positive("book-wall-s");

/** The figures and where each came from: the --figures file, the bench's latest run, or a default. */
function loadFigures() {
  const read = (file) => {
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      console.error(`Cannot read ${file}: ${e.message}`);
      process.exit(2);
    }
  };
  let from = null;
  let given = null;
  if (args.figures) {
    const json = read(resolve(args.figures));
    given = json && typeof json.footprint === "object" ? json.footprint : json;
    from = args.figures;
  } else if (existsSync(LATEST)) {
    const json = read(LATEST);
    if (json && typeof json.footprint === "object" && json.footprint) {
      given = json.footprint;
      from = "bench/results/latest.json";
    }
  }
  const footprint = { ...DEFAULT_FOOTPRINT };
  const source = Object.fromEntries(Object.keys(footprint).map((k) => [k, "default"]));
  for (const [k, v] of Object.entries(given ?? {})) {
    if (!(k in footprint)) {
      console.error(`Ignoring unknown figure "${k}" in ${from}`);
      continue;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      console.error(`Figure "${k}" in ${from} must be a number ≥ 0, not ${JSON.stringify(v)}`);
      process.exit(2);
    }
    footprint[k] = v;
    source[k] = from;
  }
  const measured = Object.values(source).filter((s) => s !== "default").length;
  const note =
    measured === 0
      ? `No measured figures (${args.figures ? `${args.figures} has none` : `bench/results/latest.json ${existsSync(LATEST) ? "has no `footprint`" : "does not exist"}`}): using the built-in defaults, which are targets, not measurements.`
      : measured < Object.keys(footprint).length
        ? `Figures from ${from}; the ones it lacks are the built-in defaults (targets).`
        : `Figures from ${from}.`;
  return { footprint, source, note };
}

/** Design constants, read from wrangler.toml so the model follows the configuration. */
function loadDesign() {
  let toml = "";
  try {
    toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  } catch {}
  const num = (re, fallback) => {
    const m = toml.match(re);
    return m ? Number(m[1]) : fallback;
  };
  return {
    batchSize: num(/\[\[queues\.consumers\]\][^[]*?max_batch_size\s*=\s*(\d+)/, 32), // generation queue
    cpuMsConfigured: num(/^cpu_ms\s*=\s*(\d+)/m, 30_000),
    fanOut: num(/^GENERATION_CONCURRENCY\s*=\s*"(\d+)"/m, 8), // units of one job running at once
    deltaIntervalMs: 250, // src/queues/deltas.ts: one UserHub call per 250 ms per user per isolate
  };
}

// ---------------------------------------------------------------- the model

const { footprint: F, source, note } = loadFigures();
/** Everything a book adds to D1: its own rows and its jobs' records. */
const D1_BYTES = F.d1BytesPerBook + F.d1JobBytesPerBook;
const D = loadDesign();
const booksPerMonth = (n) => n * BOOKS_PER_AUTHOR_MONTH;
const perSecondAtPeak = (perMonth) => (perMonth / MONTH_S) * PEAK;
const d1QueriesPerSecond = 1000 / QUERY_MS;
const inFlightCapacity = LIMITS.queueConsumers * Math.min(D.batchSize, LIMITS.connectionsPerInvocation);

/**
 * Each row: what one product carries, as a function of the number of authors (`load`), against
 * `limit`. `kind` says how the two compare: a rate (reached when the load at peak equals the limit),
 * a store (reached when the horizon's writing fills it), or a cost (no limit, only a bill).
 * Rows whose load does not grow with authors (`perObject`) are reached by no number of authors.
 */
const rows = [
  {
    id: "d1-db-size",
    product: "D1",
    what: "one database: data added per month",
    kind: "store",
    unit: "bytes",
    load: (n) => booksPerMonth(n) * D1_BYTES,
    limit: LIMITS.d1DatabaseBytes,
    limitText: "10 GB per database (cannot be raised)",
  },
  {
    id: "d1-db-queries",
    product: "D1",
    what: "one database: writes + reads a second at peak (no replicas)",
    kind: "rate",
    load: (n) => perSecondAtPeak(booksPerMonth(n) * (F.d1WritesPerBook + F.d1ReadsPerBookMonth)),
    limit: d1QueriesPerSecond,
    limitText: `~${fmtInt(d1QueriesPerSecond)} queries/s (serial, ${QUERY_MS} ms a query)`,
  },
  {
    id: "d1-db-writes",
    product: "D1",
    what: "one database: writes a second at peak (reads on replicas)",
    kind: "rate",
    load: (n) => perSecondAtPeak(booksPerMonth(n) * F.d1WritesPerBook),
    limit: d1QueriesPerSecond,
    limitText: `~${fmtInt(d1QueriesPerSecond)} queries/s (serial, ${QUERY_MS} ms a query)`,
  },
  {
    id: "d1-account-size",
    product: "D1",
    what: "account: data added per month, all databases",
    kind: "store",
    unit: "bytes",
    load: (n) => booksPerMonth(n) * D1_BYTES,
    limit: LIMITS.d1AccountBytes,
    limitText: "1 TB per account (raisable on request)",
  },
  {
    id: "queue-throughput",
    product: "Queues",
    what: "one queue: messages a second at peak",
    kind: "rate",
    load: (n) => perSecondAtPeak(booksPerMonth(n) * F.queueMessagesPerBook),
    limit: LIMITS.queueMessagesPerSecond,
    limitText: "5,000 messages/s per queue",
  },
  {
    id: "queue-in-flight",
    product: "Queues",
    what: `one queue: units in flight at peak (${UNIT_WALL_S} s a unit)`,
    kind: "rate",
    load: (n) => perSecondAtPeak(booksPerMonth(n) * F.unitsPerBook) * UNIT_WALL_S,
    limit: inFlightCapacity,
    limitText: `${fmtInt(inFlightCapacity)} (250 consumers × ${Math.min(D.batchSize, LIMITS.connectionsPerInvocation)} open connections)`,
  },
  {
    id: "r2-storage",
    product: "R2",
    what: "data added per month",
    kind: "cost",
    unit: "bytes",
    load: (n) => booksPerMonth(n) * F.r2BytesPerBook,
    cost: (n) => HORIZON * booksPerMonth(n) * (F.r2BytesPerBook / GB) * LIMITS.r2GbMonth,
    costText: `a month after ${HORIZON} months`,
    limitText: "no storage limit; $0.015/GB-month",
  },
  {
    id: "r2-objects",
    product: "R2",
    what: "objects added per month",
    kind: "cost",
    load: (n) => booksPerMonth(n) * F.r2ObjectsPerBook,
    limitText: "unlimited objects per bucket",
  },
  {
    id: "r2-class-a",
    product: "R2",
    what: "class A operations per month",
    kind: "cost",
    load: (n) => booksPerMonth(n) * F.r2WritesPerBook,
    cost: (n) => (booksPerMonth(n) * F.r2WritesPerBook * LIMITS.r2ClassAPerMillion) / 1e6,
    costText: "a month",
    peak: (n) => perSecondAtPeak(booksPerMonth(n) * F.r2WritesPerBook),
    limitText: "no published rate limit (1 write/s per key); $4.50/million",
  },
  {
    id: "r2-class-b",
    product: "R2",
    what: "class B operations per month",
    kind: "cost",
    load: (n) => booksPerMonth(n) * F.r2ReadsPerBookMonth,
    cost: (n) => (booksPerMonth(n) * F.r2ReadsPerBookMonth * LIMITS.r2ClassBPerMillion) / 1e6,
    costText: "a month",
    peak: (n) => perSecondAtPeak(booksPerMonth(n) * F.r2ReadsPerBookMonth),
    limitText: "no published rate limit; $0.36/million",
  },
  {
    id: "do-per-object",
    product: "Durable Objects",
    what: "UserHub of one author writing a book: requests/s",
    kind: "rate",
    perObject: true,
    // Average over the book, and the burst the code allows: every unit the job runs at once
    // streaming from its own isolate, each flushing deltas once per interval.
    load: () => Math.max(F.userHubCallsPerBook / BOOK_WALL_S, D.fanOut * (1000 / D.deltaIntervalMs)),
    average: () => F.userHubCallsPerBook / BOOK_WALL_S,
    limit: LIMITS.doRequestsPerSecond,
    limitText: "~1,000 requests/s per object (soft)",
  },
  {
    id: "worker-cpu",
    product: "Workers",
    what: `CPU of one consumer invocation (${D.batchSize} units)`,
    kind: "rate",
    unit: "ms",
    perObject: true,
    load: () => D.batchSize * F.cpuMsPerUnit,
    limit: Math.min(D.cpuMsConfigured, LIMITS.workerCpuMsMax),
    limitText: `${fmtInt(Math.min(D.cpuMsConfigured, LIMITS.workerCpuMsMax))} ms (cpu_ms; at most 5 min)`,
  },
];

/** Authors at which a row's limit is reached (Infinity when no number of authors reaches it). */
function reachedAt(r) {
  if (r.kind === "cost" || r.perObject) return r.perObject && r.load() >= r.limit ? 0 : Infinity;
  const perAuthor = r.load(1);
  const need = r.kind === "store" ? r.limit / HORIZON : r.limit;
  return perAuthor > 0 ? need / perAuthor : Infinity;
}

/** Months until a store fills at `n` authors. */
const monthsToFill = (r, n) => r.limit / r.load(n);

const results = rows.map((r) => ({
  id: r.id,
  product: r.product,
  what: r.what,
  kind: r.kind,
  limit: r.limit ?? null,
  limitText: r.limitText,
  reachedAtAuthors: Number.isFinite(reachedAt(r)) ? Math.round(reachedAt(r)) : null,
  scales: SCALES.map((n) => {
    const load = r.load(n);
    const s = { authors: n, load };
    if (r.kind === "store") s.monthsToFill = monthsToFill(r, n);
    if (r.kind === "rate") s.headroom = r.limit / load;
    if (r.cost) s.costUsd = r.cost(n);
    if (r.peak) s.peakPerSecond = r.peak(n);
    if (r.average) s.average = r.average();
    return s;
  }),
}));

const ranked = results
  .filter((r) => r.reachedAtAuthors !== null)
  .sort((a, b) => a.reachedAtAuthors - b.reachedAtAuthors);
const first = ranked[0];

// ---------------------------------------------------------------- what the design does then

/**
 * Shards: enough databases that, after the horizon, each is at most half full and at most half
 * busy at peak with its writes (reads go to replicas through the Sessions API).
 */
const SHARD_FILL = 0.5;
const SHARD_BUSY = 0.5;
function shardPlan(n, bytesPerBook) {
  const bytes = HORIZON * booksPerMonth(n) * bytesPerBook;
  const writes = perSecondAtPeak(booksPerMonth(n) * F.d1WritesPerBook);
  const shards = Math.max(
    1,
    Math.ceil(bytes / (SHARD_FILL * LIMITS.d1DatabaseBytes)),
    Math.ceil(writes / (SHARD_BUSY * d1QueriesPerSecond)),
  );
  return {
    authors: n,
    shards,
    bytesAfterHorizon: bytes,
    perShardBytes: bytes / shards,
    perShardWritesAtPeak: writes / shards,
    perShardMonthsToFill: LIMITS.d1DatabaseBytes / ((booksPerMonth(n) * bytesPerBook) / shards),
    overAccountStorage: bytes > LIMITS.d1AccountBytes,
    overDatabases: shards > LIMITS.d1Databases,
    overBindings: shards > LIMITS.d1BindingsPerWorker,
    queues: Math.max(1, Math.ceil(results.find((r) => r.id === "queue-in-flight").scales.find((s) => s.authors === n).load / inFlightCapacity)),
  };
}
const shards = SCALES.map((n) => shardPlan(n, D1_BYTES));

// Before migration 0005 each chapter's prose and its last ten revisions sat in D1 (chapters.content,
// chapter_revisions.content). What that does to the first limit, unless the footprint already
// counts it (a measured D1 figure of at least the prose's size).
const proseBytes = BOOK.chapters * BOOK.wordsPerChapter * BOOK.versionsPerChapter * BOOK.bytesPerWord;
const proseAlreadyCounted = F.d1BytesPerBook >= proseBytes;
const proseD1Bytes = proseAlreadyCounted ? D1_BYTES : D1_BYTES + proseBytes;
const proseInD1 = {
  proseBytesPerBook: proseBytes,
  alreadyCounted: proseAlreadyCounted,
  d1BytesPerBook: proseD1Bytes,
  reachedAtAuthors: Math.round(LIMITS.d1DatabaseBytes / HORIZON / (BOOKS_PER_AUTHOR_MONTH * proseD1Bytes)),
  scales: SCALES.map((n) => ({
    authors: n,
    bytesPerMonth: booksPerMonth(n) * proseD1Bytes,
    monthsToFillDatabase: LIMITS.d1DatabaseBytes / (booksPerMonth(n) * proseD1Bytes),
    monthsToFillAccount: LIMITS.d1AccountBytes / (booksPerMonth(n) * proseD1Bytes),
    shards: shardPlan(n, proseD1Bytes),
  })),
};

// ---------------------------------------------------------------- output

const assumptions = {
  booksPerAuthorMonth: BOOKS_PER_AUTHOR_MONTH,
  monthDays: 30,
  peakHourFactor: PEAK,
  horizonMonths: HORIZON,
  d1QueryMs: QUERY_MS,
  unitWallSeconds: UNIT_WALL_S,
  bookWallSeconds: BOOK_WALL_S,
  shardFill: SHARD_FILL,
  shardBusy: SHARD_BUSY,
  readsCounted: "reads of a book in the month it is written; older books' reads are not counted",
  design: D,
  book: BOOK,
};
const report = {
  at: new Date().toISOString(),
  note,
  footprint: F,
  source,
  assumptions,
  limits: LIMITS,
  rows: results,
  order: ranked.map((r) => ({ id: r.id, product: r.product, what: r.what, reachedAtAuthors: r.reachedAtAuthors })),
  firstLimit: first ? { id: first.id, product: first.product, what: first.what, limit: first.limitText, reachedAtAuthors: first.reachedAtAuthors } : null,
  shards,
  proseInD1,
};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(report, null, 2));

if (args.json) {
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}

function fmtInt(x) {
  return Math.round(x).toLocaleString("en-US");
}
function fmtNum(x) {
  if (x === 0) return "0";
  if (x >= 100) return fmtInt(x);
  if (x >= 10) return x.toFixed(1).replace(/\.0$/, "");
  if (x >= 1) return x.toFixed(2).replace(/\.?0+$/, "");
  return x.toPrecision(2);
}
function fmtCount(x) {
  if (x >= 1e9) return `${fmtNum(x / 1e9)} B`;
  if (x >= 1e6) return `${fmtNum(x / 1e6)} M`;
  return fmtNum(x);
}
function fmtBytes(x) {
  if (x >= TB) return `${fmtNum(x / TB)} TB`;
  if (x >= GB) return `${fmtNum(x / GB)} GB`;
  if (x >= 1e6) return `${fmtNum(x / 1e6)} MB`;
  if (x >= 1e3) return `${fmtNum(x / 1e3)} KB`;
  return `${fmtInt(x)} B`;
}
function fmtMonths(m) {
  if (m >= 24) return `${fmtNum(m / 12)} years`;
  if (m >= 1) return `${fmtNum(m)} months`;
  if (m * 30 >= 1) return `${fmtNum(m * 30)} days`;
  return `${fmtNum(m * 30 * 24)} hours`;
}
const fmtScale = (n) => (n >= 1e6 ? `${fmtNum(n / 1e6)}M` : n >= 1e3 ? `${fmtNum(n / 1e3)}k` : fmtInt(n));
const fmtUsd = (x) => `$${fmtInt(x)}`;
const fmtHeadroom = (h) => (h >= 1 ? `×${fmtNum(h)}` : `**×${fmtNum(h)}**`);

function loadCell(r, s) {
  const row = rows.find((x) => x.id === r.id);
  if (row.unit === "bytes") return fmtBytes(s.load);
  if (row.unit === "ms") return `${fmtInt(s.load)} ms`;
  if (r.kind === "cost") return fmtCount(s.load);
  if (r.id === "do-per-object") return `${fmtNum(s.average)} avg, ≤ ${fmtNum(s.load)} burst`;
  return fmtNum(s.load);
}
function headroomCell(r) {
  if (r.kind === "store") return r.scales.map((s) => `full in ${fmtMonths(s.monthsToFill)}`).join(" / ");
  if (r.kind === "rate") {
    if (rows.find((x) => x.id === r.id).perObject) return `${fmtHeadroom(r.scales[0].headroom)} at every scale`;
    return r.scales.map((s) => fmtHeadroom(s.headroom)).join(" / ");
  }
  const parts = [];
  if (r.scales[0].costUsd !== undefined) parts.push(`${r.scales.map((s) => fmtUsd(s.costUsd)).join(" / ")} ${rows.find((x) => x.id === r.id).costText}`);
  if (r.scales[0].peakPerSecond !== undefined) parts.push(`${r.scales.map((s) => fmtNum(s.peakPerSecond)).join(" / ")} ops/s at peak`);
  return parts.join("; ") || "—";
}
function reachedCell(r) {
  if (r.kind === "cost") return "—";
  if (r.reachedAtAuthors === null) return "never (does not grow with authors)";
  return `${fmtInt(r.reachedAtAuthors)} authors${r.kind === "store" ? ` (full within ${HORIZON} months)` : ""}`;
}

function table(header, body) {
  const w = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(w[i])).join(" | ")} |`;
  return [line(header), `|${w.map((n) => "-".repeat(n + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

const out = [];
out.push("# Capacity model", "");
out.push(note, "");
out.push(
  `${fmtInt(SCALES[0])} / ${fmtInt(SCALES[1])} / ${fmtInt(SCALES[2])} active authors, ${BOOKS_PER_AUTHOR_MONTH} books each a month (30-day month); ` +
    `peak hour = ${PEAK}× the average hour; stores count as full when ${HORIZON} months of writing fill them; ` +
    `D1 query ${QUERY_MS} ms; queue unit ${UNIT_WALL_S} s wall; book ${BOOK_WALL_S} s wall.`,
  "",
);
out.push(
  table(
    ["product", "what it carries", "10k authors", "100k authors", "1M authors", "limit", "headroom (10k / 100k / 1M)", "limit reached at"],
    results.map((r) => [r.product, r.what, ...r.scales.map((s) => loadCell(r, s)), r.limitText, headroomCell(r), reachedCell(r)]),
  ),
  "",
);
out.push("Limits in the order authors reach them:", "");
for (const [i, r] of ranked.entries()) out.push(`${i + 1}. ${r.product}, ${r.what}: ${fmtInt(r.reachedAtAuthors)} authors`);
out.push("");
if (first) {
  const row = results.find((r) => r.id === first.id);
  const when =
    row.kind === "store"
      ? `: from ${fmtInt(first.reachedAtAuthors)} authors on, ${HORIZON} months of writing fill it; it fills in ${row.scales.map((s) => `${fmtMonths(s.monthsToFill)} at ${fmtScale(s.authors)}`).join(", ")} authors`
      : `: reached at ${fmtInt(first.reachedAtAuthors)} authors`;
  out.push(`**First limit hit: ${first.product}, ${first.what}, against ${first.limitText}${when}.**`, "");
}
out.push("Then: shard D1 (one database per group of authors; reads on replicas), more queues where units in flight need them:", "");
out.push(
  table(
    ["authors", "D1 databases", "data per database after horizon", "writes/s per database at peak", "one fills from empty in", "generation queues", "notes"],
    shards.map((s) => [
      fmtInt(s.authors),
      fmtInt(s.shards),
      fmtBytes(s.perShardBytes),
      fmtNum(s.perShardWritesAtPeak),
      fmtMonths(s.perShardMonthsToFill),
      fmtInt(s.queues),
      [
        s.overAccountStorage ? `${fmtBytes(s.bytesAfterHorizon)} of D1: raise the 1 TB account limit` : "",
        s.overBindings ? "more than ~5,000 bindings per Worker" : "",
        s.overDatabases ? "more than 50,000 databases" : "",
      ].filter(Boolean).join("; ") || "within limits",
    ]),
  ),
  "",
);
out.push(
  proseAlreadyCounted
    ? `The D1 figure (${fmtBytes(D1_BYTES)} a book) already counts the prose.`
    : `Had prose stayed in D1 (the schema before migration 0005: ${BOOK.chapters} chapters × ${fmtInt(BOOK.wordsPerChapter)} words × ${BOOK.versionsPerChapter} versions × ~${BOOK.bytesPerWord} bytes a word = ${fmtBytes(proseBytes)} a book more), ` +
        `a book keeps ${fmtBytes(proseD1Bytes)} of D1: one database fills in ${proseInD1.scales.map((s) => `${fmtMonths(s.monthsToFillDatabase)} at ${fmtScale(s.authors)}`).join(", ")} authors ` +
        `(within ${HORIZON} months from ${fmtInt(proseInD1.reachedAtAuthors)} authors on), the 1 TB account in ${proseInD1.scales.map((s) => `${fmtMonths(s.monthsToFillAccount)} at ${fmtScale(s.authors)}`).join(", ")}, ` +
        `and sharding needs ${proseInD1.scales.map((s) => fmtInt(s.shards.shards)).join(" / ")} databases${proseInD1.scales.some((s) => s.shards.overBindings) ? ` (more than the ~${fmtInt(LIMITS.d1BindingsPerWorker)} one Worker can bind)` : ""}. Prose belongs in R2.`,
  "",
);
out.push(`Written to ${OUT.slice(ROOT.length + 1)}.`);
console.log(out.join("\n"));
