#!/usr/bin/env node
// CI check that worker-configuration.d.ts matches wrangler.toml. `wrangler types --check` would
// also read a developer's .dev.vars (secrets), so generate with no env file and compare bodies.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const tmp = ".types-check.d.ts";
const r = spawnSync("npx", ["wrangler", "types", tmp, "--strict-vars=false", "--env-file", "/dev/null"], {
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  encoding: "utf8",
});
if (r.status !== 0) {
  console.error(r.stdout, r.stderr);
  process.exit(1);
}
const body = (f) => readFileSync(f, "utf8").split("\n").slice(2).join("\n");
const same = body(tmp) === body("worker-configuration.d.ts");
rmSync(tmp);
if (!same) {
  console.error("worker-configuration.d.ts is out of date: run `npm run types` and commit it.");
  process.exit(1);
}
console.log("worker-configuration.d.ts is up to date.");
