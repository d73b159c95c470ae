// Typed view of the Worker's vars and secrets (README, Configuration). Unset and empty mean the same thing,
// so `.dev.vars`, `--var` overrides and production secrets all behave alike.
export type Config = ReturnType<typeof readConfig>;

const isLocalUrl = (url: string) => {
  try {
    return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

const val = (v: string | undefined) => (v && v.trim() !== "" ? v.trim() : undefined);

export function readConfig(env: Env) {
  const openaiKey = val(env.OPENAI_API_KEY);
  const mailgunKey = val(env.MAILGUN_API_KEY);
  const provider = val(env.LLM_PROVIDER) ?? (openaiKey ? "openai" : "demo");
  const concurrency = Number.parseInt(val(env.GENERATION_CONCURRENCY) ?? "8", 10);
  const appUrl = val(env.APP_URL);
  return {
    sessionSecret: val(env.SESSION_SECRET),
    appUrl,
    /**
     * Serving the public: APP_URL names a host that is not this machine. Only then are e-mailed
     * links kept out of the logs (without Mailgun, local development reads them there).
     */
    production: !!appUrl && !isLocalUrl(appUrl),
    admin: {
      email: val(env.ADMIN_EMAIL) ?? "admin@example.com",
      username: val(env.ADMIN_USERNAME) ?? "admin",
      password: val(env.ADMIN_PASSWORD),
    },
    llm: {
      provider: provider === "openai" ? ("openai" as const) : ("demo" as const),
      apiKey: openaiKey,
      baseUrl: val(env.OPENAI_BASE_URL),
    },
    stripe: {
      secretKey: val(env.STRIPE_SECRET_KEY),
      webhookSecret: val(env.STRIPE_WEBHOOK_SECRET),
      publishableKey: val(env.STRIPE_PUBLISHABLE_KEY),
      apiBase: val(env.STRIPE_API_BASE),
    },
    mailgun: mailgunKey
      ? {
          apiKey: mailgunKey,
          domain: val(env.MAILGUN_DOMAIN) ?? "",
          from: val(env.MAILGUN_FROM_EMAIL) ?? "",
          apiBase: val(env.MAILGUN_API_BASE) ?? "https://api.mailgun.net",
        }
      : undefined,
    requireEmailVerification:
      (val(env.REQUIRE_EMAIL_VERIFICATION) ?? (mailgunKey ? "true" : "false")) === "true",
    generationConcurrency: Number.isFinite(concurrency) && concurrency > 0 ? concurrency : 8,
  };
}
