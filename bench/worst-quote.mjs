// Runs bench/worst-quote-entry.ts, bundled like the Worker bundles it, in a fresh Node process,
// and returns the CPU time of the worst-case whole-book quote (the median of three runs).
// workerd's clock does not advance during pure CPU work, so the figure is taken from the same
// code on the same V8 engine under Node. Target: under 200 ms (SECURITY.md).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

export async function measureWorstQuoteCpu() {
  const out = ".bench-worst-quote.mjs";
  const build = spawnSync("npx", ["esbuild", "bench/worst-quote-entry.ts", "--bundle", "--format=esm", "--platform=node", "--minify", `--outfile=${out}`, "--log-level=error"], {
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(build.stderr);
  const runs = [];
  try {
    for (let i = 0; i < 3; i++) {
      const r = spawnSync("node", [out], { encoding: "utf8", timeout: 120_000 });
      if (r.status !== 0) throw new Error(r.stderr || `worst-case quote did not finish (${r.signal ?? r.status})`);
      runs.push(JSON.parse(r.stdout));
    }
  } finally {
    rmSync(out, { force: true });
  }
  runs.sort((a, b) => a.cpuMs - b.cpuMs);
  return runs[1];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureWorstQuoteCpu());
