// What domain and engine functions work with, built once per request (by the Worker's context
// middleware) or once per queue batch. A function that needs only D1 takes `db`; one that needs
// more (bindings, config, prices) takes `deps`.
import type { Pricing } from "../core/pricing";
import { readConfig, type Config } from "./config";
import { getDb, type Db } from "./db/client";
import { metered, newMeter, type Meter } from "./db/metered";
import { loadPricing } from "./pricing-config";

/** `prices` are the admin-tuned pricing tables: read fresh on every call, except in a queue batch. */
export type Deps = { env: Env; db: Db; config: Config; prices: () => Promise<Pricing> };

const withDb = (env: Env, db: Db): Deps => ({ env, db, config: readConfig(env), prices: () => loadPricing(db) });

export const depsFor = (env: Env): Deps => withDb(env, getDb(env));

/**
 * A queue batch's dependencies: D1 straight to the primary (a unit writes), counted into `meter`.
 * Its units price with the tables as the batch found them, read once rather than once a unit
 * (three statements each, docs/SCALE.md); a price change applies from the next batch.
 */
export function batchDeps(env: Env): Deps & { meter: Meter } {
  const meter = newMeter();
  const deps = withDb(env, getDb({ DB: metered(env.DB, meter) }));
  let prices: Promise<Pricing> | undefined;
  // A failed read is not kept: the next unit reads again.
  const once = () => (prices ??= deps.prices().catch((e) => ((prices = undefined), Promise.reject(e))));
  return { ...deps, prices: once, meter };
}

/**
 * A request's dependencies: D1 through one Sessions API session (docs/SCALE.md), so reads may be
 * served by the nearest replica yet always see the caller's own writes (`bookmark` is the last
 * one the caller saw), with every round trip counted for the Server-Timing header.
 */
export function requestDeps(env: Env, opts: { bookmark: string | null; primary: boolean }): Deps & { meter: Meter; bookmark: () => string | null } {
  const meter = newMeter();
  const session = env.DB.withSession(opts.bookmark ?? (opts.primary ? "first-primary" : "first-unconstrained"));
  return { ...withDb(env, getDb({ DB: metered(session, meter) })), meter, bookmark: () => session.getBookmark() };
}
