// Balance changes outside generation (admin adjustments). Every change is one atomic
// `SET x = x + ?` together with its ledger row, so the ledger always sums to the balance.
import { eq, sql } from "drizzle-orm";
import type { Credits } from "../shared/api";
import { event } from "../shared/events";
import type { Db } from "./db/client";
import { creditLedger, users } from "./db/schema";
import { isConstraintError } from "./db/constraints";
import { notFound } from "./errors";
import { publish } from "./hub";

export async function balances(db: Db, userId: number): Promise<Credits> {
  const [b] = await db
    .select({ text: users.textCredits, image: users.imageCredits })
    .from(users)
    .where(eq(users.id, userId));
  if (!b) throw notFound("User");
  return b;
}

export async function adjustCredits(
  env: Env,
  db: Db,
  a: { userId: number; type: "text" | "image"; delta: number; reason: "admin"; ref: string; note: string },
): Promise<Credits> {
  const column = a.type === "text" ? users.textCredits : users.imageCredits;
  const [updated] = await db.batch([
    db
      .update(users)
      .set({ [a.type === "text" ? "textCredits" : "imageCredits"]: sql`${column} + ${a.delta}` })
      .where(eq(users.id, a.userId))
      .returning({ id: users.id }),
    db.insert(creditLedger).values({
      // The user must exist for the ledger row too: a missing user fails the NOT NULL and the batch.
      userId: sql`(SELECT id FROM users WHERE id = ${a.userId})`,
      creditType: a.type,
      delta: a.delta,
      reason: a.reason,
      ref: a.ref,
      note: a.note,
    }),
  ]).catch((e) => {
    if (isConstraintError(e, "NOT NULL")) throw notFound("User");
    throw e;
  });
  if (!updated.length) throw notFound("User");
  const after = await balances(db, a.userId);
  await publish(env, a.userId, event("credits_updated", after));
  return after;
}
