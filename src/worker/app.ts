// The Hono application: middleware order matters (see comments), routes are thin and mounted
// per resource. Shared by the Worker entry and the tests.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { getCookie, setCookie } from "hono/cookie";
import { requestDeps } from "../domain/deps";
import { AppError } from "../domain/errors";
import { authenticate } from "./middleware/auth";
import { checkOrigin, limitBody, maintenance, requireJsonBody } from "./middleware/guards";
import { ensureSeeded } from "../domain/seed";
import { adminRoutes } from "./routes/admin";
import { auth } from "./routes/auth";
import { billingRoutes } from "./routes/billing";
import { contentRoutes } from "./routes/content";
import { continuityReadRoutes, continuityRoutes } from "./routes/continuity";
import { docs } from "./routes/docs";
import { exploreRoutes } from "./routes/explore";
import { health } from "./routes/health";
import { me } from "./routes/me";
import { generationRoutes, jobListReadRoutes } from "./routes/generation";
import { imagesRoutes } from "./routes/images";
import { jobsRoutes } from "./routes/jobs";
import { commentRoutes, storySocialReadRoutes, storySocialRoutes } from "./routes/social";
import { storiesRoutes, storyReadRoutes } from "./routes/stories";
import { stripeWebhookRoutes } from "./routes/stripe-webhook";
import { wsRoutes } from "./routes/ws";

/** Where a caller's last D1 bookmark travels: a header for scripts, a cookie for browsers (docs/SCALE.md). */
export const BOOKMARK_HEADER = "x-d1-bookmark";
const BOOKMARK_COOKIE = "novel_d1";

export function createApp() {
  const app = new Hono<AppEnv>();

  // The request's id and its dependencies, built once: routes read c.var.db, c.var.config and
  // c.var.deps instead of constructing their own. D1 is one Sessions API session that starts
  // from the caller's last bookmark, so a replica never shows them data older than their own
  // writes; the answer carries the new bookmark and, in Server-Timing, its D1 round trips and statements.
  app.use("*", async (c, next) => {
    const start = performance.now();
    c.set("requestId", c.req.header("cf-ray") ?? crypto.randomUUID());
    const bookmark = c.req.header(BOOKMARK_HEADER) ?? getCookie(c, BOOKMARK_COOKIE) ?? null;
    const deps = requestDeps(c.env, { bookmark, primary: !["GET", "HEAD"].includes(c.req.method) });
    c.set("deps", deps);
    c.set("db", deps.db);
    c.set("config", deps.config);
    await next();
    // A WebSocket upgrade's 101 has immutable headers; assets never touch D1.
    if (c.res.status === 101 || !c.req.path.startsWith("/api/")) return;
    const { trips, statements, ms } = deps.meter;
    const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    c.res.headers.append(
      "server-timing",
      `d1;desc="${plural(trips, "round trip")}, ${plural(statements, "statement")}";dur=${ms.toFixed(1)}, total;dur=${(performance.now() - start).toFixed(1)}`,
    );
    // Only a caller with credentials (or one being signed in) gets a bookmark back: a visitor's
    // answer must not tell, by a new bookmark, whether the request wrote anything.
    const signedIn = !!c.var.caller?.method || /novel_session=/.test(c.res.headers.get("set-cookie") ?? "");
    const next_ = deps.bookmark();
    if (signedIn && next_ && next_ !== bookmark) {
      c.res.headers.set(BOOKMARK_HEADER, next_);
      setCookie(c, BOOKMARK_COOKIE, next_, { path: "/api", httpOnly: true, sameSite: "Lax", secure: new URL(c.req.url).protocol === "https:" });
    }
  });
  app.route("/api/health", health);
  app.route("/api", docs);

  app.use("/api/*", async (c, next) => {
    await ensureSeeded(c.var.db, c.var.config);
    await next();
  });
  app.use("/api/*", limitBody, requireJsonBody, checkOrigin, authenticate, maintenance);
  // Before anything that sets headers after next(): the 101 upgrade response is immutable.
  app.route("/api/ws", wsRoutes);
  app.use("/api/*", async (c, next) => {
    await next();
    // API answers are per user: never cache them in shared caches. (101 responses from the
    // WebSocket upgrade have immutable headers and are left alone.)
    if (c.res.status !== 101 && !c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  });

  app.route("/api/auth", auth);
  app.route("/api/me", me);
  // The reads first: each looks its caller up in the same D1 batch as its data, so no router's
  // requireUser (a round trip of its own) may run before them (docs/SCALE.md).
  app.route("/api/stories", storyReadRoutes);
  app.route("/api/stories", continuityReadRoutes);
  app.route("/api/stories", jobListReadRoutes);
  app.route("/api/stories", storySocialReadRoutes);
  app.route("/api/stories", storiesRoutes);
  app.route("/api/stories", generationRoutes);
  app.route("/api/stories", continuityRoutes);
  app.route("/api/stories", storySocialRoutes);
  app.route("/api/comments", commentRoutes);
  app.route("/api/explore", exploreRoutes);
  app.route("/api/jobs", jobsRoutes);
  app.route("/api/images", imagesRoutes);
  app.route("/api/admin", adminRoutes);
  app.route("/api/billing", billingRoutes);
  app.route("/api/stripe", stripeWebhookRoutes);
  app.route("/api", contentRoutes);

  app.notFound((c) => {
    if (!c.req.path.startsWith("/api/")) return c.env.ASSETS.fetch(c.req.raw);
    return c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${c.req.path}` } }, 404);
  });

  app.onError((err, c) => {
    const requestId = c.get("requestId");
    if (err instanceof AppError) {
      if (err.status === 500 || err.status === 502) console.error(requestId, err);
      return c.json({ error: { code: err.code, message: err.message, ...err.extra, requestId } }, err.status);
    }
    if (err instanceof HTTPException) {
      const code = err.status === 400 ? "bad_request" : err.status === 401 ? "unauthorized" : "error";
      return c.json({ error: { code, message: err.message || "Bad request", requestId } }, err.status);
    }
    console.error(requestId, err);
    return c.json({ error: { code: "internal_error", message: "Something went wrong on our side", requestId } }, 500);
  });

  return app;
}
