#!/usr/bin/env node
// `npm run dev`: the whole local set-up on a fresh clone, then `wrangler dev`.
//  1. writes .dev.vars on first run (random SESSION_SECRET, a generated admin password);
//  2. builds the client into dist/client;
//  3. applies the D1 migrations to the local database;
//  4. prints the URL and the admin credentials, and starts wrangler dev on :8787.
// No API key needed: without OPENAI_API_KEY the built-in demo model writes the book.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
const port = process.env.PORT ?? "8787";

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(".dev.vars")) {
  const password = `${randomBytes(9).toString("base64url")}-Aa1!`;
  const example = readFileSync(".dev.vars.example", "utf8");
  writeFileSync(
    ".dev.vars",
    example
      .replace(/^SESSION_SECRET=.*$/m, `SESSION_SECRET=${randomBytes(32).toString("hex")}`)
      .replace(/^ADMIN_PASSWORD=.*$/m, `ADMIN_PASSWORD=${password}`),
  );
  console.log("Wrote .dev.vars with a new session secret and admin password.");
}
const vars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8")
    .split("\n")
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);

run("npx", ["vite", "build", "--logLevel", "warn"]);
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);

const model = vars.OPENAI_API_KEY ? `OpenAI-compatible (${vars.OPENAI_BASE_URL || "api.openai.com"})` : "the built-in demo model (no API key set)";
console.log(`
  NovelApp is starting on http://localhost:${port}
  Admin: ${process.env.ADMIN_USERNAME ?? "admin"} / ${vars.ADMIN_PASSWORD || "(ADMIN_PASSWORD is empty in .dev.vars)"}
  Text generation: ${model}
`);
const child = spawn("npx", ["wrangler", "dev", "--port", port, ...process.argv.slice(2)], { stdio: "inherit", env });
child.on("exit", (code) => process.exit(code ?? 0));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
