// What domain and engine functions work with, built once per request (by the Worker's context
// middleware) or once per queue batch. A function that needs only D1 takes `db`; one that needs
// more (bindings, config) takes `deps`.
import { readConfig, type Config } from "./config";
import { getDb, type Db } from "./db/client";
import { metered, newMeter, type Meter } from "./db/metered";

export type Deps = { env: Env; db: Db; config: Config };

export const depsFor = (env: Env): Deps => ({ env, db: getDb(env), config: readConfig(env) });

/** A queue batch's dependencies: D1 straight to the primary (a unit writes), counted into `meter`. */
export function batchDeps(env: Env): Deps & { meter: Meter } {
  const meter = newMeter();
  return { env, db: getDb({ DB: metered(env.DB, meter) }), config: readConfig(env), meter };
}

/**
 * A request's dependencies: D1 through one Sessions API session (docs/SCALE.md), so reads may be
 * served by the nearest replica yet always see the caller's own writes (`bookmark` is the last
 * one the caller saw), with every round trip counted for the Server-Timing header.
 */
export function requestDeps(env: Env, opts: { bookmark: string | null; primary: boolean }): Deps & { meter: Meter; bookmark: () => string | null } {
  const meter = newMeter();
  const session = env.DB.withSession(opts.bookmark ?? (opts.primary ? "first-primary" : "first-unconstrained"));
  return { env, db: getDb({ DB: metered(session, meter) }), config: readConfig(env), meter, bookmark: () => session.getBookmark() };
}
