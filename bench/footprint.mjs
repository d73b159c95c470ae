// The footprint figures of `npm run bench` (docs/SCALE.md): what one 30-chapter book with ten
// revisions per chapter keeps in D1 and R2, read from the local files `wrangler dev` persists,
// the D1 round trips of the routes an author uses most (their Server-Timing header), and the
// story read's throughput against a route that only checks the session.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForJob } from "./jobs.mjs";
import { compareRoutes } from "./load.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The book's own rows; job records (units, charges, canons) are counted apart. */
const BOOK_TABLES = ["stories", "story_tags", "characters", "locations", "story_arcs", "chapters", "chapter_revisions", "chapter_digests", "chapter_checks", "finding_dismissals"];
const JOB_TABLES = ["generation_jobs", "generation_logs", "job_canons", "credit_ledger"];

// Python's sqlite3 reads the files (Node 20 has no SQLite): dbstat gives every table's and
// index's stored bytes, each index counted with its table.
const PY = `
import sqlite3, json, sys, shutil, os
out = {}
for path in sys.argv[2:]:
    c = sqlite3.connect(path)
    owner = dict(c.execute("select name, tbl_name from sqlite_master where type in ('table', 'index')"))
    if sys.argv[1] == "d1":
        for name, payload in c.execute("select name, sum(payload) from dbstat group by name"):
            t = owner.get(name, name)
            out[t] = out.get(t, 0) + (payload or 0)
    elif "_mf_objects" in owner:
        prefix = os.environ["PREFIX"]
        n, size = c.execute("select count(*), coalesce(sum(size), 0) from _mf_objects where key like ? || '%'", (prefix,)).fetchone()
        out["objects"] = out.get("objects", 0) + n
        out["bytes"] = out.get("bytes", 0) + size
print(json.dumps(out))
`;

/** Copies of the SQLite files under `dir` (with their WAL), so reading them never disturbs workerd. */
function snapshot(dir) {
  const tmp = mkdtempSync(join(tmpdir(), "novel-footprint-"));
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".sqlite") && e.name !== "metadata.sqlite") {
        const copy = join(tmp, `${files.length}.sqlite`);
        copyFileSync(p, copy);
        for (const ext of ["-wal", "-shm"]) if (existsSync(p + ext)) copyFileSync(p + ext, copy + ext);
        files.push(copy);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return { files, done: () => rmSync(tmp, { recursive: true, force: true }) };
}

function python(kind, dir, env = {}) {
  const snap = snapshot(dir);
  try {
    const r = spawnSync("python3", ["-c", PY, kind, ...snap.files], { encoding: "utf8", env: { ...process.env, ...env } });
    if (r.status !== 0) return null;
    return JSON.parse(r.stdout);
  } catch {
    return null;
  } finally {
    snap.done();
  }
}

/** CPU milliseconds all workerd processes have used so far (Linux /proc), or null where there is none. */
function workerdCpuMs() {
  try {
    const pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
    let ticks = 0;
    let found = false;
    for (const pid of pids) {
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (name !== "workerd") continue;
      // After the name: state, ppid, … utime is field 14 and stime field 15 of the whole line.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    }
    // USER_HZ is 100 on Linux.
    return found ? ticks * 10 : null;
  } catch {
    return null;
  }
}

const sum = (bytes, tables) => tables.reduce((n, t) => n + (bytes[t] ?? 0), 0);

export async function measureFootprint({ api, base, state, cookie, fakeUrl, log }) {
  const out = {};
  await fetch(`${fakeUrl}/__control/config`, { method: "POST", body: JSON.stringify({ latencyMs: 0 }) });
  const before = python("d1", join(state, "v3", "d1"));
  const { story, chapters } = await api("POST", "/api/stories", {
    title: "Footprint book",
    details: "A cartographer maps a coast that redraws itself every night, and one of the new bays holds her brother's boat.",
    tags: ["mystery"],
    chaptersCount: 30,
    targetChapterWords: 2500,
  });
  const jobs = [];
  const logFrom = log().length;
  const cpuBefore = workerdCpuMs();
  const run = async (body) => {
    const { job } = await api("POST", `/api/stories/${story.id}/generate`, body);
    const done = await waitForJob(api, job.id, { log });
    if (done.status !== "succeeded") throw new Error(`footprint ${body.stage} ended ${done.status}: ${done.error}`);
    jobs.push(done);
  };
  await run({ stage: "book", mode: "parallel" });
  // Ten more drafts of every chapter: each keeps the one before as a revision.
  for (let i = 0; i < 10; i++) await run({ stage: "chapters", mode: "parallel", regenerate: true });
  const after = python("d1", join(state, "v3", "d1"));
  if (before && after) {
    const delta = Object.fromEntries(Object.keys(after).map((t) => [t, after[t] - (before[t] ?? 0)]));
    out.d1BytesPerBook = sum(delta, BOOK_TABLES);
    out.d1JobBytesPerBook = sum(delta, JOB_TABLES);
    out.d1BytesByTable = Object.fromEntries(BOOK_TABLES.map((t) => [t, delta[t] ?? 0]));
  }
  const r2 = python("r2", join(state, "v3", "r2"), { PREFIX: `stories/${story.id}/` });
  if (r2) {
    out.r2ObjectsPerBook = r2.objects;
    out.r2BytesPerBook = r2.bytes;
  }
  out.unitsPerBook = jobs.reduce((n, j) => n + j.unitsTotal, 0);
  // What the consumer's batches say they cost (src/queues/cost.ts, one line a batch): messages
  // delivered, D1 statements and rows written, UserHub calls, R2 operations by class. A batch logs
  // its line once all its messages are done, a moment after the job its last unit finished.
  const lines = () => [...log().slice(logFrom).matchAll(/queue batch (\{.*\})/g)].map((m) => JSON.parse(m[1]));
  for (const start = Date.now(); Date.now() - start < 15_000 && lines().reduce((n, b) => n + b.messages, 0) < out.unitsPerBook; ) await sleep(200);
  const batches = lines();
  // workerd's own CPU while it wrote the book, over its units: an upper bound of a unit's Worker
  // CPU, since the same process also ran the local D1, R2 and Durable Object, and the job polls.
  if (cpuBefore !== null) {
    const cpuAfter = workerdCpuMs();
    if (cpuAfter !== null) out.cpuMsPerUnit = Math.round((cpuAfter - cpuBefore) / out.unitsPerBook);
  }
  out.queueMessagesPerBook = batches.reduce((n, b) => n + b.messages, 0);
  out.d1WritesPerBook = batches.reduce((n, b) => n + b.d1.statements, 0);
  out.userHubCallsPerBook = batches.reduce((n, b) => n + b.hubCalls, 0);
  out.d1RowsWrittenPerBook = batches.reduce((n, b) => n + b.d1.rowsWritten, 0);
  out.r2WritesPerBook = batches.reduce((n, b) => n + b.r2ClassA, 0);
  // Class B while writing it: the checks and prompts read earlier chapters' prose.
  out.r2ReadsPerBookMonth = batches.reduce((n, b) => n + b.r2ClassB, 0);

  // The D1 round trips of each route, as its Server-Timing header says.
  const chapterId = chapters[0].id;
  const headers = { cookie, origin: base, "content-type": "application/json" };
  const routes = [
    ["GET", "/api/auth/session"],
    ["GET", "/api/stories"],
    ["GET", `/api/stories/${story.id}`],
    ["GET", `/api/stories/${story.id}/chapters/${chapterId}`],
    ["GET", `/api/stories/${story.id}/chapters/${chapterId}/revisions`],
    ["GET", `/api/stories/${story.id}/continuity`],
    ["GET", `/api/stories/${story.id}/estimate?stage=chapters`],
    ["GET", `/api/jobs/${jobs[0].id}`],
    ["GET", `/api/stories/${story.id}/jobs`],
    ["GET", `/api/stories/${story.id}/social`],
    ["GET", "/api/me"],
    ["GET", "/api/me/generations"],
    ["GET", "/api/explore"],
    ["GET", "/api/billing/catalog"],
    ["GET", "/api/admin/pricing"],
    ["PATCH", `/api/stories/${story.id}`, { title: "Footprint book, renamed" }],
    ["PATCH", `/api/stories/${story.id}/chapters/${chapterId}`, { content: "The author's own words, saved from the editor, long enough to count." }],
  ];
  out.roundTrips = [];
  for (const [method, path, body] of routes) {
    const res = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    await res.arrayBuffer();
    const timing = res.headers.get("server-timing") ?? "";
    const [, trips, statements] = (/d1;desc="(\d+) round trips?, (\d+) statements?"/.exec(timing) ?? []).map(Number);
    out.roundTrips.push({ route: `${method} ${path.replace(/\/\d+/g, "/:id").replace(/\?.*/, "")}`, status: res.status, trips: trips ?? NaN, statements: statements ?? NaN });
  }

  // Story read against the session check alone: both cost one round trip now.
  const storyPath = `${base}/api/stories/${story.id}`;
  const sessionPath = `${base}/api/auth/session`;
  const cmp = await compareRoutes(sessionPath, storyPath, { headers: { cookie }, count: /answer;desc="kept"/ });
  out.sessionRps = cmp.aRps;
  out.storyReadRps = cmp.bRps;
  out.readSessionRatio = cmp.ratio;
  out.readSessionSpread = [cmp.low, cmp.high];
  out.keptShare = cmp.countedShare;
  return out;
}
