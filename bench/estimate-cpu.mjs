// Runs bench/estimate-entry.ts, bundled like the Worker bundles it, in a fresh Node process
// (a fresh V8 isolate), and returns its CPU times. workerd's clock does not advance during pure
// CPU work, so the figure is taken from the same code on the same V8 engine under Node.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

export async function measureEstimateCpu() {
  const out = ".bench-estimate.mjs";
  const build = spawnSync("npx", ["esbuild", "bench/estimate-entry.ts", "--bundle", "--format=esm", "--platform=node", "--minify", `--outfile=${out}`, "--log-level=error"], {
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(build.stderr);
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync("node", [out], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    runs.push(JSON.parse(r.stdout));
  }
  rmSync(out);
  runs.sort((a, b) => a.coldMs - b.coldMs);
  return runs[1];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureEstimateCpu());
