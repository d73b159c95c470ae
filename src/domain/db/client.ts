import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof getDb>;

export const getDb = (env: { DB: D1Database }) => drizzle(env.DB, { schema });

export { schema };
