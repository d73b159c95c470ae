// Secrets live outside wrangler.toml (`wrangler secret put`, `.dev.vars`), so `wrangler types`
// cannot see them. They are optional: unset means the feature is off (README, Configuration).
declare namespace Cloudflare {
  interface Env {
    SESSION_SECRET?: string;
    ADMIN_PASSWORD?: string;
    OPENAI_API_KEY?: string;
    STRIPE_SECRET_KEY?: string;
    STRIPE_WEBHOOK_SECRET?: string;
    STRIPE_PUBLISHABLE_KEY?: string;
    MAILGUN_API_KEY?: string;
  }
}
