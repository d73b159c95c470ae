// The admin API's logic: pricing tables, users, generation logs, analytics.
// Every change an admin makes is written to the audit log with its before and after.
import { and, between, count, desc, eq, or, sql, type SQL } from "drizzle-orm";
import { pricingExamples, type Pricing } from "../core/pricing";
import type { AdminUser, AdminUserPage, Analytics, GenerationPage, PricingTables } from "../shared/api";
import type { PricingPatchInput } from "../shared/schemas";
import type { StageConfigKey } from "../shared/stages";
import type { Db } from "./db/client";
import {
  apiTokens,
  creditConfig,
  creditLedger,
  generationLogs,
  revenue,
  roles,
  sessions,
  stageConfig,
  stories,
  tokenCostConfig,
  users,
} from "./db/schema";
import { AppError, notFound } from "./errors";
import { userColumns, type SessionUser } from "./accounts";
import { likeEscaped, likePattern } from "./db/sql";
import { audit } from "./audit";
import { loadPricing } from "./pricing-config";
import { userHub } from "./hub";
import { deleteOrphanTags, deleteStoryObjects } from "./stories/crud";

export const PAGE_SIZE = 50;


// ---------------------------------------------------------------- pricing

export function pricingJson(p: Pricing): PricingTables {
  return {
    tokenCost: p.cost,
    creditConfig: Object.entries(p.modifiers)
      .map(([action, modifier]) => ({ action, type: action === "image" ? ("image" as const) : ("text" as const), modifier }))
      .sort((a, b) => a.action.localeCompare(b.action)),
    stages: Object.entries(p.stages).map(([stage, s]) => ({ stage: stage as StageConfigKey, ...s })),
    examples: pricingExamples(p),
  };
}

/** Applies a validated patch to a price table in memory: used for previews and for saving. */
export function applyPricingPatch(p: Pricing, patch: PricingPatchInput): Pricing {
  const next: Pricing = {
    cost: { ...p.cost, ...patch.tokenCost },
    modifiers: { ...p.modifiers },
    stages: { ...p.stages },
  };
  for (const m of patch.creditConfig ?? []) next.modifiers[m.action] = m.modifier;
  for (const { stage, ...s } of patch.stages ?? []) {
    const cur = next.stages[stage];
    next.stages[stage] = {
      model: s.model ?? cur.model,
      tier: s.tier ?? cur.tier,
      predictedOutputTokens: s.predictedOutputTokens ?? cur.predictedOutputTokens,
    };
  }
  return next;
}

export async function updatePricing(db: Db, actor: SessionUser, patch: PricingPatchInput): Promise<PricingTables> {
  const before = await loadPricing(db);
  const after = applyPricingPatch(before, patch);
  const items = [
    ...(patch.tokenCost && Object.keys(patch.tokenCost).length
      ? [db.update(tokenCostConfig).set({ ...patch.tokenCost, updatedAt: new Date() }).where(eq(tokenCostConfig.id, 1))]
      : []),
    ...(patch.creditConfig ?? []).map((m) =>
      db
        .insert(creditConfig)
        .values({ action: m.action, type: m.action === "image" ? "image" : "text", modifier: m.modifier })
        .onConflictDoUpdate({ target: creditConfig.action, set: { modifier: m.modifier } }),
    ),
    ...(patch.stages ?? []).map(({ stage }) =>
      db.update(stageConfig).set(after.stages[stage]).where(eq(stageConfig.stage, stage)),
    ),
    audit(db, actor, "pricing.update", "pricing", pricingJson(before), patch),
  ];
  await db.batch(items as [(typeof items)[number], ...typeof items]);
  return pricingJson(await loadPricing(db));
}

// ---------------------------------------------------------------- users

const adminUserColumns = { ...userColumns, lastLoginAt: users.lastLoginAt, lastLoginIp: users.lastLoginIp };
type AdminUserRow = SessionUser & { lastLoginAt: Date | null; lastLoginIp: string | null };
const toAdminUserJson = ({ textCredits, imageCredits, createdAt, lastLoginAt, ...u }: AdminUserRow): AdminUser => ({
  ...u,
  credits: { text: textCredits, image: imageCredits },
  createdAt: createdAt.toISOString(),
  lastLoginAt: lastLoginAt?.toISOString() ?? null,
});

export async function listUsers(db: Db, q: string | undefined, page: number): Promise<AdminUserPage> {
  const pattern = q ? likePattern(q, "contains") : null;
  const where = pattern ? or(likeEscaped(users.username, pattern), likeEscaped(users.email, pattern)) : undefined;
  const [rows, total] = await db.batch([
    db
      .select(adminUserColumns)
      .from(users)
      .innerJoin(roles, eq(users.roleId, roles.id))
      .where(where)
      .orderBy(desc(users.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return {
    users: rows.map(toAdminUserJson),
    page,
    pageSize: PAGE_SIZE,
    total: total[0]?.n ?? 0,
  };
}

/**
 * True while an unlocked administrator other than `userId` exists. Used inside the UPDATE or
 * DELETE that would take admin power away, so two admins acting on each other at the same moment
 * can never both succeed: the second statement sees the first one's effect.
 */
const anotherUnlockedAdmin = (userId: number) =>
  sql`(SELECT count(*) FROM users u JOIN roles r ON r.id = u.role_id
       WHERE r.is_admin = 1 AND u.is_locked = 0 AND u.id <> ${userId}) > 0`;

const lastAdmin = () =>
  new AppError("conflict", "This is the last unlocked administrator: make someone else an administrator first");

/** Signs a user out everywhere: browser sessions, API tokens and the sockets of their open tabs. */
async function signOutEverywhere(env: Env, db: Db, userId: number) {
  await db.batch([db.delete(sessions).where(eq(sessions.userId, userId)), db.delete(apiTokens).where(eq(apiTokens.userId, userId))]);
  await userHub(env, userId).closeSockets(4003, "Signed out by an administrator");
}

export async function patchUser(
  env: Env,
  db: Db,
  actor: SessionUser,
  userId: number,
  patch: { roleId?: number; isLocked?: boolean; underReview?: boolean },
): Promise<AdminUser> {
  const [target] = await db.select().from(users).where(eq(users.id, userId));
  if (!target) throw notFound("User");
  let demotes = false;
  if (patch.roleId !== undefined) {
    const [role] = await db.select().from(roles).where(eq(roles.id, patch.roleId));
    if (!role) throw new AppError("validation_failed", "Unknown role", { fields: { roleId: "No such role" } });
    if (userId === actor.id && !role.isAdmin)
      throw new AppError("forbidden", "You cannot remove your own admin rights");
    demotes = !role.isAdmin;
  }
  if (userId === actor.id && patch.isLocked !== undefined)
    throw new AppError("forbidden", "You cannot lock or unlock your own account");
  const locks = patch.isLocked === true && !target.isLocked;
  const [changed] = await db
    .update(users)
    .set(patch)
    .where(and(eq(users.id, userId), locks || demotes ? anotherUnlockedAdmin(userId) : undefined))
    .returning({ id: users.id });
  if (!changed) throw lastAdmin();
  await audit(db, actor, "user.update", `user:${userId}`, { roleId: target.roleId, isLocked: target.isLocked, underReview: target.underReview }, patch);
  if (locks) await signOutEverywhere(env, db, userId);
  const [row] = await db
    .select(adminUserColumns)
    .from(users)
    .innerJoin(roles, eq(users.roleId, roles.id))
    .where(eq(users.id, userId));
  return toAdminUserJson(row!);
}

/** Deletes an account with its stories (rows and images) and everything else it owns. */
export async function deleteUser(env: Env, db: Db, actor: SessionUser, userId: number) {
  if (userId === actor.id) throw new AppError("forbidden", "You cannot delete your own account here");
  const [target] = await db.select({ id: users.id, username: users.username }).from(users).where(eq(users.id, userId));
  if (!target) throw notFound("User");
  const owned = await db.select({ id: stories.id }).from(stories).where(eq(stories.userId, userId));
  // The row goes first (its stories' rows cascade), guarded like a lock; the images follow.
  const [gone] = await db
    .delete(users)
    .where(and(eq(users.id, userId), anotherUnlockedAdmin(userId)))
    .returning({ id: users.id });
  if (!gone) throw lastAdmin();
  await db.batch([audit(db, actor, "user.delete", `user:${userId}`, target, null), deleteOrphanTags(db)]);
  await userHub(env, userId).closeSockets(4003, "Account deleted");
  for (const s of owned) await deleteStoryObjects(env.FILES, s.id);
}

// ---------------------------------------------------------------- generation logs

export async function listGenerations(
  db: Db,
  f: { user?: string; status?: "pending" | "succeeded" | "failed" | "cancelled"; stage?: string; page: number },
  userId?: number,
): Promise<GenerationPage> {
  const conds: SQL[] = [];
  if (userId !== undefined) conds.push(eq(generationLogs.userId, userId));
  if (f.user) conds.push(/^\d+$/.test(f.user) ? eq(users.id, Number(f.user)) : eq(users.username, f.user));
  if (f.status) conds.push(eq(generationLogs.status, f.status));
  if (f.stage) conds.push(eq(generationLogs.stage, f.stage));
  const where = conds.length ? and(...conds) : undefined;
  const [rows, total] = await db.batch([
    db
      .select({
        id: generationLogs.id,
        userId: generationLogs.userId,
        username: users.username,
        jobId: generationLogs.jobId,
        storyId: generationLogs.storyId,
        storyTitle: stories.title,
        stage: generationLogs.stage,
        unit: generationLogs.unit,
        generationType: generationLogs.generationType,
        creditType: generationLogs.creditType,
        model: generationLogs.model,
        status: generationLogs.status,
        predictedCost: generationLogs.predictedCost,
        realCost: generationLogs.realCost,
        inputTokens: generationLogs.inputTokens,
        outputTokens: generationLogs.outputTokens,
        cachedInputTokens: generationLogs.cachedInputTokens,
        reasoningTokens: generationLogs.reasoningTokens,
        providerCostUsd: generationLogs.providerCostUsd,
        breakdown: generationLogs.breakdown,
        errorMessage: generationLogs.errorMessage,
        createdAt: generationLogs.createdAt,
        finishedAt: generationLogs.finishedAt,
      })
      .from(generationLogs)
      .innerJoin(users, eq(generationLogs.userId, users.id))
      .leftJoin(stories, eq(generationLogs.storyId, stories.id))
      .where(where)
      .orderBy(desc(generationLogs.id))
      .limit(PAGE_SIZE)
      .offset((f.page - 1) * PAGE_SIZE),
    db
      .select({ n: count() })
      .from(generationLogs)
      .innerJoin(users, eq(generationLogs.userId, users.id))
      .where(where),
  ]);
  const generations = rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null }));
  return { generations, page: f.page, pageSize: PAGE_SIZE, total: total[0]?.n ?? 0 };
}

// ---------------------------------------------------------------- analytics

/**
 * One period's economics: revenue from Stripe, what the model providers cost us (from the real
 * usage of each call, cached and reasoning tokens included), credits charged, the margin, and how
 * far predictions were from real charges per stage.
 */
export async function analytics(db: Db, from: Date, to: Date): Promise<Analytics> {
  const inLogs = between(generationLogs.createdAt, from, to);
  const [rev, cost, charged, perStage, ceiling] = await db.batch([
    db
      .select({ cents: sql<number>`coalesce(sum(${revenue.amountCents}), 0)`, n: count() })
      .from(revenue)
      .where(between(revenue.createdAt, from, to)),
    db
      .select({
        usd: sql<number>`coalesce(sum(${generationLogs.providerCostUsd}), 0)`,
        calls: count(),
        inputTokens: sql<number>`coalesce(sum(${generationLogs.inputTokens}), 0)`,
        cachedInputTokens: sql<number>`coalesce(sum(${generationLogs.cachedInputTokens}), 0)`,
        outputTokens: sql<number>`coalesce(sum(${generationLogs.outputTokens}), 0)`,
        reasoningTokens: sql<number>`coalesce(sum(${generationLogs.reasoningTokens}), 0)`,
      })
      .from(generationLogs)
      .where(and(inLogs, eq(generationLogs.status, "succeeded"))),
    db
      .select({ type: creditLedger.creditType, credits: sql<number>`coalesce(-sum(${creditLedger.delta}), 0)` })
      .from(creditLedger)
      .where(and(eq(creditLedger.reason, "generation"), between(creditLedger.createdAt, from, to)))
      .groupBy(creditLedger.creditType),
    db
      .select({
        stage: generationLogs.stage,
        units: count(),
        predicted: sql<number>`sum(${generationLogs.predictedCost})`,
        actual: sql<number>`sum(${generationLogs.realCost})`,
        meanAbsError: sql<number>`avg(abs(${generationLogs.realCost} - ${generationLogs.predictedCost}) * 1.0 / max(${generationLogs.predictedCost}, 1))`,
      })
      .from(generationLogs)
      .where(and(inLogs, eq(generationLogs.status, "succeeded")))
      .groupBy(generationLogs.stage),
    // Units whose real usage was priced above their hold: what the ceiling kept authors from paying.
    db
      .select({
        cappedUnits: count(),
        creditsForgone: sql<number>`coalesce(sum(${generationLogs.uncappedCost} - ${generationLogs.realCost}), 0)`,
      })
      .from(generationLogs)
      .where(and(inLogs, eq(generationLogs.status, "succeeded"), sql`${generationLogs.uncappedCost} > ${generationLogs.realCost}`)),
  ]);
  const revenueUsd = (rev[0]?.cents ?? 0) / 100;
  const providerCostUsd = cost[0]?.usd ?? 0;
  const credits = { text: 0, image: 0 };
  for (const c of charged) credits[c.type] = c.credits;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    revenueUsd,
    purchases: rev[0]?.n ?? 0,
    providerCostUsd: Math.round(providerCostUsd * 1e6) / 1e6,
    marginUsd: Math.round((revenueUsd - providerCostUsd) * 1e6) / 1e6,
    creditsCharged: credits,
    usage: cost[0] ?? { usd: 0, calls: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    ceiling: ceiling[0] ?? { cappedUnits: 0, creditsForgone: 0 },
    predictionError: perStage.map((s) => ({
      stage: s.stage,
      units: s.units,
      predicted: s.predicted,
      actual: s.actual,
      /** actual / predicted − 1 over the period: positive means we under-quoted. */
      bias: s.predicted ? Math.round((s.actual / s.predicted - 1) * 1000) / 1000 : null,
      meanAbsError: Math.round(s.meanAbsError * 1000) / 1000,
    })),
  };
}
