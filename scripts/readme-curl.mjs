#!/usr/bin/env node
// Runs the README's admin `curl` examples against a local `wrangler dev` with a real admin API
// token, and fails unless every request answers 2XX. Ids the examples name ($USER_ID, $STORY_ID…)
// are made first through the API. The same server also checks what a crawler and a generated
// client fetch: /robots.txt is a real robots file, and the served /api/openapi.json lints clean.
// Port: README_PORT (8797).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { lintDocument } from "./lint-openapi.mjs";

const root = path.join(import.meta.dirname, "..");
const port = process.env.README_PORT ?? "8797";
const base = `http://127.0.0.1:${port}`;
const state = path.join(root, ".readme-state");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
const ADMIN_PASSWORD = "Readme-Admin-pass1!";
const PASSWORD = "Readme-pass1!";

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env, cwd: root });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
};

/** The README's ```sh blocks that call the admin API. */
export function adminExamples(readme) {
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /\$NOVEL\/api\/admin\//.test(b));
}

async function api(method, url, { token, cookie, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  // A browser sends Origin with a cookie; the CSRF check refuses a cookie write without it.
  if (cookie) Object.assign(headers, { cookie, origin: base });
  const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return { json, cookie: res.headers.get("set-cookie")?.match(/novel_session=[^;]+/)?.[0] };
}

async function waitForServer(child) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("wrangler dev exited");
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("wrangler dev did not start");
}

let ip = 0;
async function newUser(name) {
  const username = `${name}${Date.now().toString(36)}`;
  const reg = await fetch(`${base}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `198.51.100.${++ip}` },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
  });
  if (reg.status !== 201) throw new Error(`register ${username}: ${reg.status} ${await reg.text()}`);
  const { user } = await reg.json();
  return { id: user.id, cookie: reg.headers.get("set-cookie").match(/novel_session=[^;]+/)[0] };
}

/** Everything the examples refer to, made the way a person would. */
async function fixtures(token) {
  const alice = await newUser("alice");
  const other = await newUser("bob");
  const story = (cookie, title) =>
    api("POST", "/api/stories", { cookie, body: { title, chaptersCount: 2, shared: true, tags: ["sci-fi"] } }).then((r) => r.json.story.id);
  const STORY_ID = await story(alice.cookie, "The Orchard at the End of the Line");
  const OTHER_STORY_ID = await story(alice.cookie, "A Second Draft");
  await api("POST", "/api/feedback", { cookie: alice.cookie, body: { message: "Love the chapter art." } });
  const { json: fb } = await api("GET", "/api/admin/feedback", { token });
  const created = async (url, body, key) => (await api("POST", url, { token, body })).json[key].id;
  return {
    USER_ID: alice.id,
    OTHER_USER_ID: other.id,
    STORY_ID,
    OTHER_STORY_ID,
    FEEDBACK_ID: fb.feedback[0].id,
    ROLE_ID: await created("/api/admin/roles", { name: `Patron ${Date.now() % 1000}`, priceUsd: 5 }, "role"),
    PACKAGE_ID: await created("/api/admin/packages", { name: "Starter", creditType: "text", credits: 1000, priceUsd: 1 }, "package"),
    TAG_ID: await created("/api/admin/tags", { name: "cyberpunk" }, "tag"),
    NEWS_ID: await created("/api/admin/news", { title: "Welcome", body: "Hello, readers." }, "news"),
  };
}

/** Every `curl` in a block fails the block unless it answers 2XX; the answers are printed. */
const CURL_CHECK = `
curl() {
  local out code
  out=$(mktemp)
  code=$(command curl -sS -o "$out" -w '%{http_code}' "$@") || { rm -f "$out"; echo "curl failed: $*" >&2; return 1; }
  head -c 300 "$out"; echo
  rm -f "$out"
  case "$code" in 2*) echo "  -> $code" ;; *) echo "  -> $code: curl $*" >&2; return 1 ;; esac
}
set -e
`;

async function main() {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const blocks = adminExamples(readme);
  const areas = ["pricing", "users", "credits", "roles", "packages", "tags", "news", "feedback", "stories", "site", "analytics", "generations"];
  const missing = areas.filter((a) => !blocks.some((b) => b.includes(`/api/admin/${a}`) || (a === "credits" && b.includes("/credits"))));
  if (missing.length) throw new Error(`The README has no curl example for: ${missing.join(", ")}`);

  rmSync(state, { recursive: true, force: true });
  spawnSync("npx", ["vite", "build", "--logLevel", "warn"], { stdio: "inherit", env, cwd: root });
  run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  const vars = { SESSION_SECRET: "readme-session-secret", ADMIN_PASSWORD, LLM_PROVIDER: "demo", OPENAI_API_KEY: "" };
  const child = spawn(
    "npx",
    ["wrangler", "dev", "--port", port, "--ip", "127.0.0.1", "--persist-to", state, ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])],
    { stdio: ["ignore", "ignore", "inherit"], env, cwd: root, detached: true },
  );
  let failures = 0;
  try {
    await waitForServer(child);

    const robots = await fetch(`${base}/robots.txt`);
    const text = await robots.text();
    if (!robots.ok || !/^text\/plain/.test(robots.headers.get("content-type") ?? "") || !/^User-agent:/m.test(text)) {
      console.error(`/robots.txt: ${robots.status} ${robots.headers.get("content-type")}\n${text.slice(0, 200)}`);
      failures++;
    } else console.log("/robots.txt: a robots file");

    if (lintDocument(await (await fetch(`${base}/api/openapi.json`)).json())) failures++;

    const { cookie } = await api("POST", "/api/auth/login", { body: { login: "admin", password: ADMIN_PASSWORD } });
    const { json } = await api("POST", "/api/me/tokens", { cookie, body: { name: "README examples" } });
    const ids = await fixtures(json.token.token);
    const blockEnv = { ...env, NOVEL: base, TOKEN: json.token.token, ...Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, String(v)])) };
    for (const block of blocks) {
      const title = block.split("\n").find((l) => l.startsWith("# "))?.slice(2) ?? block.slice(0, 60);
      console.log(`\n== ${title}`);
      const r = spawnSync("bash", ["-c", CURL_CHECK + block.replace(/^export NOVEL=.*$/m, "")], { stdio: "inherit", env: blockEnv });
      if (r.status !== 0) failures++;
    }
  } finally {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    rmSync(state, { recursive: true, force: true });
  }
  console.log(`\nREADME examples: ${blocks.length} blocks, ${failures ? `${failures} failed` : "all answered 2XX"}`);
  process.exit(failures ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
