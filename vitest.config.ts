import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with real local D1, R2, Queues and Durable Objects. Fakes of the paid
// third parties (OpenAI, Stripe, Mailgun) run in Node (test/global-setup.ts) at the HTTP boundary.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  /** One workerd project; `vars` override the shared bindings (the demo project drops the API key). */
  const project = (name: string, include: string[], vars: Record<string, string> = {}) => ({
    // Vite's transform warnings are about dependencies here (stripe's published source maps name
    // hundreds of missing files); errors still print, and test output stays readable.
    logLevel: "error" as const,
    plugins: [
      cloudflareTest(({ inject }) => ({
        main: "./src/worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            SESSION_SECRET: "test-session-secret",
            ADMIN_PASSWORD: "Admin-Passw0rd!",
            OPENAI_BASE_URL: `${inject("fakeOpenAiUrl")}/v1`,
            OPENAI_API_KEY: "sk-test",
            LLM_PROVIDER: "openai",
            GENERATION_CONCURRENCY: "4",
            // Mail goes to the fake Mailgun; accounts start unverified but may sign in.
            MAILGUN_API_KEY: "key-test",
            MAILGUN_DOMAIN: "mg.example.com",
            MAILGUN_FROM_EMAIL: "NovelApp <noreply@mg.example.com>",
            MAILGUN_API_BASE: inject("fakeMailgunUrl"),
            REQUIRE_EMAIL_VERIFICATION: "false",
            // Payments go to the fake Stripe; webhook payloads are signed with this secret.
            STRIPE_SECRET_KEY: "sk_test_novelapp",
            STRIPE_PUBLISHABLE_KEY: "pk_test_novelapp",
            STRIPE_WEBHOOK_SECRET: "whsec_test_novelapp",
            STRIPE_API_BASE: inject("fakeStripeUrl"),
            ...vars,
          },
          // An empty database beside DB, where test/worker/migrations.test.ts replays the migrations.
          d1Databases: { DB: "00000000-0000-4000-8000-000000000000", MIGRATION_DB: "migration-test" },
          queueConsumers: { generation: { maxBatchTimeout: 0.05 }, "generation-dlq": { maxBatchTimeout: 0.05 } },
        },
      })),
    ],
    test: {
      name,
      include,
      setupFiles: ["./test/support/apply-migrations.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  });
  return {
    test: {
      globalSetup: ["./test/global-setup.ts"],
      // The fake servers are shared: one file at a time keeps their fault injection simple,
      // and two cores are better spent on one workerd than on several.
      fileParallelism: false,
      maxWorkers: 1,
      // The consumer's one line per batch (what it cost D1 and the hubs) is for logs and the bench.
      onConsoleLog: (log: string) => !log.includes("queue batch {"),
      projects: [
        project("api", ["test/worker/**/*.test.ts"]),
        // The same Worker with no API key: the built-in demo model writes the book.
        project("demo", ["test/demo/**/*.test.ts"], { LLM_PROVIDER: "", OPENAI_API_KEY: "" }),
      ],
    },
  };
});
