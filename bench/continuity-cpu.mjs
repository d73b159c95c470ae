// Runs bench/continuity-entry.ts, bundled like the Worker bundles it, in a fresh Node process
// (a fresh V8 isolate), and returns the median of three runs. workerd's clock does not advance
// during pure CPU work, so the figure is taken from the same code on the same V8 engine under Node.
// Target: a 100-chapter, 250,000-word book checks in under 1,000 ms.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

export async function measureContinuityCpu() {
  const out = ".bench-continuity.mjs";
  const build = spawnSync("npx", ["esbuild", "bench/continuity-entry.ts", "--bundle", "--format=esm", "--platform=node", "--minify", `--outfile=${out}`, "--log-level=error"], {
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(build.stderr);
  const runs = [];
  try {
    for (let i = 0; i < 3; i++) {
      const r = spawnSync("node", [out], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
      runs.push(JSON.parse(r.stdout));
    }
  } finally {
    rmSync(out, { force: true });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[1];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureContinuityCpu());
