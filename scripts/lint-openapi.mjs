#!/usr/bin/env node
// Lints the API's OpenAPI document with Redocly's recommended rules (redocly.yaml) and fails on
// any error or warning. The document is the one /api/openapi.json serves: openApiDocument() from
// src/worker/openapi.ts, loaded through Vite's SSR transform (no server, no network). A test checks
// that the route serves exactly this object. `--file PATH` lints a document already on disk.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export async function loadDocument() {
  const { createServer } = await import("vite");
  const server = await createServer({
    configFile: false,
    root: path.join(import.meta.dirname, ".."),
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: "custom",
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    const mod = await server.ssrLoadModule("/src/worker/openapi.ts");
    return mod.openApiDocument();
  } finally {
    await server.close();
  }
}

/** Runs `redocly lint` on a document; resolves to the number of problems (errors + warnings). */
export function lintDocument(doc) {
  const dir = mkdtempSync(path.join(tmpdir(), "novelapp-openapi-"));
  const file = path.join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(doc, null, 2));
  try {
    const cli = path.join(import.meta.dirname, "..", "node_modules", "@redocly", "cli", "bin", "cli.js");
    const config = path.join(import.meta.dirname, "..", "redocly.yaml");
    const args = [cli, "lint", file, "--config", config];
    const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
    const human = spawnSync(process.execPath, [...args, "--format", "stylish"], { encoding: "utf8", env });
    process.stdout.write(human.stdout.replace(/^[\s\S]*?╚═+╝\s*/m, ""));
    const json = spawnSync(process.execPath, [...args, "--format", "json"], { encoding: "utf8", env });
    const report = JSON.parse(json.stdout.slice(json.stdout.indexOf("{")));
    const { errors, warnings } = report.totals;
    console.log(`OpenAPI lint: ${errors} errors, ${warnings} warnings`);
    return errors + warnings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--file");
  const { readFileSync } = await import("node:fs");
  const doc = at > 0 ? JSON.parse(readFileSync(process.argv[at + 1], "utf8")) : await loadDocument();
  process.exit(lintDocument(doc) ? 1 : 0);
}
