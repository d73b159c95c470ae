// "Our origin", in one place: the CSRF check, the WebSocket check, e-mailed links, Stripe
// redirects and the session cookie's flags all ask here. It is APP_URL; only on a local host
// (localhost, 127.0.0.1, [::1]) may APP_URL be unset, and then it is the request's own origin.
// It is never taken from a request's Host anywhere else: a forged Host must not end up in a
// password-reset link (SECURITY.md).
import type { Context } from "hono";
import type { AppEnv } from "./env";
import { AppError } from "../domain/errors";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const isLocalHostname = (hostname: string) => LOCAL_HOSTS.has(hostname.toLowerCase());

/** The request was made to this machine (development, tests, `wrangler dev`). */
export const isLocalRequest = (c: Context<AppEnv>) => isLocalHostname(new URL(c.req.url).hostname);

/** APP_URL's origin when it is set and valid, else undefined. */
function configuredOrigin(c: Context<AppEnv>): string | undefined {
  const appUrl = c.var.config.appUrl;
  if (!appUrl) return undefined;
  try {
    return new URL(appUrl).origin;
  } catch {
    throw new AppError("internal_error", "APP_URL is not a valid URL (e.g. https://novel.example)");
  }
}

/**
 * The public origin for links we send and redirects we ask for: APP_URL, or on a local host the
 * request's origin. Anywhere else without APP_URL it refuses (500) rather than trust Host.
 */
export function appOrigin(c: Context<AppEnv>): string {
  const configured = configuredOrigin(c);
  if (configured) return configured;
  if (isLocalRequest(c)) return new URL(c.req.url).origin;
  console.error("APP_URL is not set: refusing to build links or check origins from the request's Host header.");
  throw new AppError("internal_error", "APP_URL is not configured on this server");
}

/**
 * Whether an `Origin` header names one of our own pages: our origin, or — on a local host — any
 * local origin (the Vite dev server proxies the API from another port).
 */
export function isOwnOrigin(c: Context<AppEnv>, origin: string | undefined): boolean {
  if (!origin || origin === "null") return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.protocol !== "https:" && o.protocol !== "http:") return false;
  if (o.origin === appOrigin(c)) return true;
  return isLocalRequest(c) && isLocalHostname(o.hostname);
}
