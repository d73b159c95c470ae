// First-start seeding, idempotent: roles, pricing defaults, stage config, site config and the
// admin account from ADMIN_* vars. Runs once per isolate before the first request or batch.
import { eq } from "drizzle-orm";
import {
  DEFAULT_CREDIT_CONFIG,
  DEFAULT_SITE,
  DEFAULT_STAGE_CONFIG,
  DEFAULT_TOKEN_COST,
  SEEDED_ADMIN_CREDITS,
} from "../core/defaults";
import type { Config } from "./config";
import type { Db } from "./db/client";
import { creditConfig, creditLedger, roles, siteConfig, stageConfig, tokenCostConfig, users } from "./db/schema";
import { hashPassword } from "./crypto";
import { passwordSchema } from "../shared/schemas";

let seeded: Promise<void> | null = null;

export function ensureSeeded(db: Db, config: Config): Promise<void> {
  seeded ??= seed(db, config).catch((e) => {
    seeded = null; // try again on the next request
    throw e;
  });
  return seeded;
}

async function seed(db: Db, config: Config) {
  await db.batch([
    db
      .insert(roles)
      .values([
        { name: "admin", isAdmin: true, protected: true },
        { name: "user", isAdmin: false, protected: true },
      ])
      .onConflictDoNothing(),
    db.insert(tokenCostConfig).values({ id: 1, ...DEFAULT_TOKEN_COST }).onConflictDoNothing(),
    db.insert(creditConfig).values(DEFAULT_CREDIT_CONFIG).onConflictDoNothing(),
    db.insert(stageConfig).values(DEFAULT_STAGE_CONFIG).onConflictDoNothing(),
    db.insert(siteConfig).values({ id: 1, ...DEFAULT_SITE }).onConflictDoNothing(),
  ]);
  await seedAdmin(db, config);
}

export async function seedAdmin(db: Db, config: Config) {
  const admins = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, eq(users.roleId, roles.id))
    .where(eq(roles.isAdmin, true))
    .limit(1);
  if (admins.length) return;
  if (!config.admin.password) {
    console.warn("No admin account exists and ADMIN_PASSWORD is not set: none was created.");
    return;
  }
  // The admin's password follows the rules every other password does.
  const weak = passwordSchema.safeParse(config.admin.password);
  if (!weak.success) {
    const why = weak.error.issues.map((i) => i.message).join(", ");
    console.error(`No admin account was created: ADMIN_PASSWORD does not meet the password rules (${why}). Set a stronger one and restart.`);
    return;
  }
  const [adminRole] = await db.select({ id: roles.id }).from(roles).where(eq(roles.name, "admin"));
  const [admin] = await db
    .insert(users)
    .values({
      username: config.admin.username,
      email: config.admin.email.toLowerCase(),
      passwordHash: await hashPassword(config.admin.password),
      roleId: adminRole!.id,
      verified: true,
      textCredits: SEEDED_ADMIN_CREDITS.text,
      imageCredits: SEEDED_ADMIN_CREDITS.image,
    })
    .onConflictDoNothing() // another isolate seeded it a moment ago
    .returning({ id: users.id });
  if (!admin) return;
  await db.insert(creditLedger).values([
    { userId: admin.id, creditType: "text", delta: SEEDED_ADMIN_CREDITS.text, reason: "signup", ref: `user:${admin.id}` },
    { userId: admin.id, creditType: "image", delta: SEEDED_ADMIN_CREDITS.image, reason: "signup", ref: `user:${admin.id}` },
  ]);
}
