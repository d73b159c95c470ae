// The audit log: every change an admin makes, with what it was before and what was asked for.
import type { SessionUser } from "./accounts";
import type { Db } from "./db/client";
import { auditLog } from "./db/schema";

/** The insert, to run alone or inside the batch that makes the change. */
export const audit = (db: Db, actor: SessionUser, action: string, target: string, before: unknown, after: unknown) =>
  db.insert(auditLog).values({ actorId: actor.id, action, target, before, after });
