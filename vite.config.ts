import { defineConfig } from "vite";

// The Preact SPA (src/client) → dist/client, served by the Worker's static assets. The Worker is
// bundled by wrangler itself; during client work, `vite` proxies the API to `wrangler dev`.
export default defineConfig({
  root: "src/client",
  publicDir: "public",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "../../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8787", ws: true },
    },
  },
});
