// What domain and engine functions work with, built once per request (by the Worker's context
// middleware) or once per queue batch. A function that needs only D1 takes `db`; one that needs
// more (bindings, config) takes `deps`.
import { readConfig, type Config } from "./config";
import { getDb, type Db } from "./db/client";

export type Deps = { env: Env; db: Db; config: Config };

export const depsFor = (env: Env): Deps => ({ env, db: getDb(env), config: readConfig(env) });
