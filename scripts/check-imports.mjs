// Fails when a source file imports "upward" (docs/ARCHITECTURE.md, "Layers"). The server's folders
// are ranked, and a file may import only from its own folder or from one ranked below it:
//
//   src/worker (the HTTP edge) → src/durable (UserHub) → src/queues (the generation engine)
//     → src/domain (services and the database) → src/core (pure domain logic) → src/shared
//
// The browser app (src/client) may import only from itself and src/shared. Type-only imports
// count too: a type pulled from above is a dependency on above. Run by `npm test`.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const LAYERS = ["worker", "durable", "queues", "domain", "core", "shared"];
const root = path.resolve(import.meta.dirname, "..");
const src = path.join(root, "src");

const layerOf = (file) => path.relative(src, file).split(path.sep)[0];
/** What each top-level folder may import. */
function allowed(from) {
  if (from === "client") return new Set(["client", "shared"]);
  const rank = LAYERS.indexOf(from);
  return new Set(LAYERS.slice(rank));
}

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(p);
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield p;
  }
}

// Static imports and re-exports (`import … from "…"`, `export … from "…"`, `import "…"`) and
// dynamic `import("…")`.
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;

const problems = [];
let files = 0;
for (const file of sources(src)) {
  files++;
  const from = layerOf(file);
  const ok = allowed(from);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith(".")) continue; // packages
    const target = path.resolve(path.dirname(file), spec);
    if (!target.startsWith(src + path.sep)) {
      problems.push(`${path.relative(root, file)} imports ${spec}, outside src/`);
      continue;
    }
    const to = layerOf(target);
    if (!ok.has(to)) problems.push(`${path.relative(root, file)} (${from}) imports ${spec} (${to})`);
  }
}

if (problems.length) {
  console.error(`Upward imports (see docs/ARCHITECTURE.md, "Layers"):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`imports: ${files} source files, every import runs downward`);
