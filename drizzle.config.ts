import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes migrations/NNNN_*.sql; review each file before committing
// (additive only: a table rebuild on D1 loses data, docs/ARCHITECTURE.md) and apply with `wrangler d1 migrations apply DB`.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/domain/db/schema.ts",
  out: "./migrations",
});
