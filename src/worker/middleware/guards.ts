// Request guards that apply to the whole API: size, media type, origin, maintenance.
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { AppError } from "../../domain/errors";
import { getSiteConfig } from "../../domain/site";
import { isOwnOrigin } from "../origin";
import { hasBearer, hasSessionCookie, resolveUser } from "./auth";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Stripe signs its raw body and sends no browser headers; it is verified by signature instead.
const isWebhook = (c: Context) => c.req.path === "/api/stripe/webhook";

export const limitBody = bodyLimit({
  maxSize: 1024 * 1024,
  onError: () => {
    throw new AppError("payload_too_large", "The request body is larger than 1 MB");
  },
});

/** JSON routes take JSON only: this also turns away cross-site HTML form posts. */
export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  const hasBody = c.req.header("content-length") ? c.req.header("content-length") !== "0" : !!c.req.header("transfer-encoding");
  if ((method === "POST" || method === "PUT" || method === "PATCH") && hasBody && !isWebhook(c)) {
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json")
      throw new AppError("unsupported_media_type", "Send a JSON body with Content-Type: application/json");
  }
  await next();
});

/**
 * CSRF defence: a state-changing request from a browser must come from our own pages. Browsers
 * send `Origin` on every unsafe request (and `Sec-Fetch-Site` on secure contexts); a request that
 * carries the session cookie but neither header is refused too, since we cannot tell where it came
 * from. Scripts authenticate with `Authorization: Bearer`, never the cookie, and need neither.
 */
export const checkOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (UNSAFE.has(c.req.method) && !isWebhook(c)) {
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site")?.toLowerCase();
    const refused =
      (origin !== undefined && !isOwnOrigin(c, origin)) ||
      site === "cross-site" ||
      (site === "same-site" && origin === undefined) ||
      (origin === undefined && site === undefined && !hasBearer(c) && hasSessionCookie(c));
    if (refused) throw new AppError("bad_origin", "Cross-site requests are not allowed");
  }
  await next();
});

export const OPEN_DURING_MAINTENANCE = new Set([
  "/api/health",
  "/api/auth/login",
  "/api/auth/unlock",
  "/api/auth/logout",
  "/api/me",
  "/api/auth/session",
  "/api/stripe/webhook",
]);

/** Maintenance mode: everyone but admins gets 503 (the webhook always gets through). */
export const maintenance = createMiddleware<AppEnv>(async (c, next) => {
  // Site switches are cached per isolate; the caller is looked up only while maintenance is on.
  if (!OPEN_DURING_MAINTENANCE.has(c.req.path) && (await getSiteConfig(c.var.db)).maintenanceMode && !(await resolveUser(c))?.isAdmin)
    throw new AppError("maintenance", "NovelApp is down for maintenance. Please try again soon.");
  await next();
});
