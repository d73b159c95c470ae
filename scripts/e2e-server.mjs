#!/usr/bin/env node
// The server Playwright tests run against: a fresh local state, the built client, migrations,
// and `wrangler dev` pointed at the fake OpenAI server (started next to it by playwright.config).
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

const port = process.env.E2E_PORT ?? "8787";
const fakePort = process.env.E2E_FAKE_PORT ?? "8788";
const stripePort = process.env.E2E_STRIPE_PORT ?? "8789";
const state = process.env.E2E_STATE ?? ".e2e-state";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

// A second server (the demo-model one) reuses the first one's client build: it waits for that
// server to answer before starting, so two builds never write dist/client at once.
if (process.env.E2E_AFTER) {
  for (;;) {
    try {
      if ((await fetch(process.env.E2E_AFTER)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
}
rmSync(state, { recursive: true, force: true });
if (!process.env.E2E_AFTER) run("npx", ["vite", "build", "--logLevel", "warn"]);
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
const vars = {
  SESSION_SECRET: "e2e-session-secret",
  ADMIN_PASSWORD: "E2e-Admin-pass1!",
  LLM_PROVIDER: "openai",
  OPENAI_API_KEY: "sk-e2e",
  OPENAI_BASE_URL: `http://127.0.0.1:${fakePort}/v1`,
  // Payments against the fake Stripe server (test/fakes/stripe-server.mjs, started by playwright.config).
  STRIPE_SECRET_KEY: "sk_test_e2e",
  STRIPE_PUBLISHABLE_KEY: "pk_test_e2e",
  STRIPE_WEBHOOK_SECRET: "whsec_test_e2e",
  STRIPE_API_BASE: `http://127.0.0.1:${stripePort}`,
  ...(process.env.E2E_VARS ? JSON.parse(process.env.E2E_VARS) : {}),
};
const child = spawn(
  "npx",
  ["wrangler", "dev", "--port", port, "--ip", "127.0.0.1", "--persist-to", state, ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])],
  { stdio: "inherit", env },
);
child.on("exit", (code) => process.exit(code ?? 0));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
