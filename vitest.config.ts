import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { createLogger } from "vite";
import { defineConfig } from "vitest/config";

// Vite warns once per file for dependencies whose published source maps name missing sources
// (stripe ships hundreds); the warning says nothing about our code, so it is dropped and every
// other message kept.
const logger = createLogger();
const missingSources = (msg: string) => /Sourcemap for .* points to missing source files/.test(msg);
const { warn, warnOnce } = logger;
logger.warn = (msg, options) => (missingSources(msg) ? undefined : warn(msg, options));
logger.warnOnce = (msg, options) => (missingSources(msg) ? undefined : warnOnce(msg, options));

// Tests run inside workerd with real local D1, R2, Queues and Durable Objects. Fakes of the paid
// third parties (OpenAI, Stripe, Mailgun) run in Node (test/global-setup.ts) at the HTTP boundary.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  /** One workerd project; `vars` override the shared bindings (the demo project drops the API key). */
  const project = (name: string, include: string[], vars: Record<string, string> = {}) => ({
    customLogger: logger,
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
    customLogger: logger,
    test: {
      globalSetup: ["./test/global-setup.ts"],
      // The fake servers are shared: one file at a time keeps their fault injection simple,
      // and two cores are better spent on one workerd than on several.
      fileParallelism: false,
      maxWorkers: 1,
      projects: [
        project("api", ["test/worker/**/*.test.ts"]),
        // The same Worker with no API key: the built-in demo model writes the book.
        project("demo", ["test/demo/**/*.test.ts"], { LLM_PROVIDER: "", OPENAI_API_KEY: "" }),
      ],
    },
  };
});
