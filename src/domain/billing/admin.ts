// The admin side of billing: credit packages and roles (a priced role is a monthly plan).
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { AdminPackage, AdminRole, Deleted } from "../../shared/api";
import type { PackageInput, PackagePatchInput, RoleInput, RolePatchInput } from "../../shared/schemas";
import { type Db } from "../db/client";
import { creditPackages, revenue, roles, users } from "../db/schema";
import { isConstraintError } from "../db/constraints";
import { AppError, fieldError, notFound } from "../errors";
import { audit } from "../audit";
import type { SessionUser } from "../accounts";
import { Billing, RoleRow, adminPackageJson, adminRoleJson } from "./common";
import { archivePrice, archiveQuietly, changedMeanwhile, createPrice, replacementPrice, samePrice } from "./prices";

// ---------------------------------------------------------------- admin: credit packages

export async function listPackages(db: Db): Promise<AdminPackage[]> {
  const rows = await db.select().from(creditPackages).orderBy(asc(creditPackages.id));
  return rows.map(adminPackageJson);
}

async function findPackage(db: Db, id: number) {
  const [row] = await db.select().from(creditPackages).where(eq(creditPackages.id, id));
  if (!row) throw notFound("Package");
  return row;
}

export async function createPackage(b: Billing, actor: SessionUser, input: PackageInput): Promise<AdminPackage> {
  const priceId = b.stripe ? await createPrice(b.stripe, { kind: "package", ...input }) : null;
  const [row] = await b.db
    .insert(creditPackages)
    .values({ ...input, stripePriceId: priceId })
    .returning()
    .catch(async (e) => {
      await archiveQuietly(b.stripe, priceId);
      throw e;
    });
  await audit(b.db, actor, "package.create", `package:${row!.id}`, null, adminPackageJson(row!));
  return adminPackageJson(row!);
}

export async function updatePackage(b: Billing, actor: SessionUser, id: number, patch: PackagePatchInput): Promise<AdminPackage> {
  const current = await findPackage(b.db, id);
  const next = { ...current, ...patch };
  const changed = next.priceUsd !== current.priceUsd || next.name !== current.name;
  const priceId = await replacementPrice(b, { kind: "package", ...next }, current.stripePriceId, changed);
  const [row] = await b.db
    .update(creditPackages)
    .set({ ...patch, stripePriceId: priceId })
    .where(and(eq(creditPackages.id, id), samePrice(creditPackages.stripePriceId, current.stripePriceId)))
    .returning();
  if (!row) {
    if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, priceId);
    throw changedMeanwhile("package");
  }
  if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, current.stripePriceId);
  await audit(b.db, actor, "package.update", `package:${id}`, adminPackageJson(current), patch);
  return adminPackageJson(row);
}

/** Deleted when nothing refers to it; retired (inactive, kept) once it was sold. */
export async function deletePackage(b: Billing, actor: SessionUser, id: number): Promise<Deleted> {
  const current = await findPackage(b.db, id);
  await archivePrice(b.stripe, current.stripePriceId); // a Stripe failure leaves everything as it was
  const [sold] = await b.db.select({ n: count() }).from(revenue).where(eq(revenue.packageId, id));
  const keep = (sold?.n ?? 0) > 0;
  await b.db.batch([
    keep
      ? b.db.update(creditPackages).set({ active: false }).where(eq(creditPackages.id, id))
      : b.db.delete(creditPackages).where(eq(creditPackages.id, id)),
    audit(b.db, actor, keep ? "package.retire" : "package.delete", `package:${id}`, adminPackageJson(current), null),
  ]);
  return { ok: true as const, deleted: !keep };
}

// ---------------------------------------------------------------- admin: roles

export async function listRoles(db: Db): Promise<AdminRole[]> {
  const rows = await db.select().from(roles).orderBy(asc(roles.id));
  return rows.map(adminRoleJson);
}

async function findRole(db: Db, id: number) {
  const [row] = await db.select().from(roles).where(eq(roles.id, id));
  if (!row) throw notFound("Role");
  return row;
}

async function assertRoleNameFree(db: Db, name: string, except?: number) {
  const [taken] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(sql`lower(${roles.name}) = lower(${name})`);
  if (taken && taken.id !== except)
    throw new AppError("conflict", `A role named "${name}" already exists`, { fields: { name: "Already taken" } });
}

export async function createRole(b: Billing, actor: SessionUser, input: RoleInput): Promise<AdminRole> {
  await assertRoleNameFree(b.db, input.name);
  const priceId = b.stripe && input.priceUsd > 0 ? await createPrice(b.stripe, { kind: "role", ...input }) : null;
  const [row] = await b.db
    .insert(roles)
    .values({ ...input, stripePriceId: priceId })
    .returning()
    .catch(async (e) => {
      await archiveQuietly(b.stripe, priceId);
      if (isConstraintError(e, "UNIQUE")) throw new AppError("conflict", `A role named "${input.name}" already exists`);
      throw e;
    });
  await audit(b.db, actor, "role.create", `role:${row!.id}`, null, adminRoleJson(row!));
  return adminRoleJson(row!);
}

/** Built-in roles keep their name, stay free and keep their admin flag. */
function assertRoleChangeAllowed(role: RoleRow, patch: RolePatchInput, actor: SessionUser) {
  if (role.protected) {
    if (patch.name !== undefined && patch.name !== role.name)
      throw new AppError("role_protected", `The built-in ${role.name} role cannot be renamed`);
    if (patch.priceUsd !== undefined && patch.priceUsd > 0)
      throw new AppError("role_protected", `The built-in ${role.name} role cannot become a paid plan`);
    if (patch.isAdmin !== undefined && patch.isAdmin !== role.isAdmin)
      throw new AppError("role_protected", `The built-in ${role.name} role's admin rights cannot change`);
  }
  if (patch.isAdmin === false && role.isAdmin && actor.roleId === role.id)
    throw new AppError("forbidden", "You cannot remove your own admin rights");
}

export async function updateRole(b: Billing, actor: SessionUser, id: number, patch: RolePatchInput): Promise<AdminRole> {
  const current = await findRole(b.db, id);
  assertRoleChangeAllowed(current, patch, actor);
  const next = { ...current, ...patch };
  if (next.isAdmin && next.priceUsd > 0) throw fieldError("isAdmin", "A paid role cannot grant admin rights");
  if (patch.name !== undefined && patch.name !== current.name) await assertRoleNameFree(b.db, patch.name, id);
  const changed = next.priceUsd !== current.priceUsd || (next.name !== current.name && next.priceUsd > 0);
  const priceId = await replacementPrice(b, { kind: "role", ...next }, current.stripePriceId, changed);
  const [row] = await b.db
    .update(roles)
    .set({ ...patch, stripePriceId: priceId })
    .where(and(eq(roles.id, id), samePrice(roles.stripePriceId, current.stripePriceId)))
    .returning()
    .catch(async (e) => {
      if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, priceId);
      if (isConstraintError(e, "UNIQUE")) throw new AppError("conflict", `A role named "${patch.name}" already exists`);
      throw e;
    });
  if (!row) {
    if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, priceId);
    throw changedMeanwhile("role");
  }
  // Subscribers stay on the old price until they change plan; their invoices still find the
  // role through the subscription's metadata.
  if (priceId !== current.stripePriceId) await archiveQuietly(b.stripe, current.stripePriceId);
  await audit(b.db, actor, "role.update", `role:${id}`, adminRoleJson(current), patch);
  return adminRoleJson(row);
}

/** Deleted when unused; retired (inactive, kept) while users hold it or revenue refers to it. */
export async function deleteRole(b: Billing, actor: SessionUser, id: number): Promise<Deleted> {
  const current = await findRole(b.db, id);
  if (current.protected) throw new AppError("role_protected", `The built-in ${current.name} role cannot be deleted`);
  if (current.id === actor.roleId) throw new AppError("forbidden", "You cannot delete your own role");
  await archivePrice(b.stripe, current.stripePriceId); // a Stripe failure leaves everything as it was
  const [[holders], [sold]] = await b.db.batch([
    b.db.select({ n: count() }).from(users).where(eq(users.roleId, id)),
    b.db.select({ n: count() }).from(revenue).where(eq(revenue.roleId, id)),
  ]);
  let keep = (holders?.n ?? 0) + (sold?.n ?? 0) > 0;
  const retire = () => b.db.update(roles).set({ active: false }).where(eq(roles.id, id));
  if (keep) await retire();
  else
    await b.db
      .delete(roles)
      .where(eq(roles.id, id))
      .catch(async (e) => {
        // Someone was given the role meanwhile: the foreign key keeps it, so retire it instead.
        if (!isConstraintError(e, "FOREIGN KEY")) throw e;
        keep = true;
        await retire();
      });
  await audit(b.db, actor, keep ? "role.retire" : "role.delete", `role:${id}`, adminRoleJson(current), null);
  return { ok: true as const, deleted: !keep };
}
