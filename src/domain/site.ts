// Site switches (maintenance, registration, signup grant). Read on most requests, so each isolate
// keeps a copy for a few seconds; a change made through this isolate is visible at once.
import { eq } from "drizzle-orm";
import { DEFAULT_SITE } from "../core/defaults";
import type { Db } from "./db/client";
import { siteConfig } from "./db/schema";

export type SiteConfig = typeof DEFAULT_SITE;
const TTL_MS = 5_000;
let cached: { value: SiteConfig; at: number } | null = null;

export async function getSiteConfig(db: Db): Promise<SiteConfig> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const [row] = await db.select().from(siteConfig).where(eq(siteConfig.id, 1));
  const value = row
    ? {
        registrationDisabled: row.registrationDisabled,
        maintenanceMode: row.maintenanceMode,
        signupTextCredits: row.signupTextCredits,
        signupImageCredits: row.signupImageCredits,
      }
    : DEFAULT_SITE;
  cached = { value, at: Date.now() };
  return value;
}

export async function updateSiteConfig(db: Db, patch: Partial<SiteConfig>): Promise<SiteConfig> {
  await db.update(siteConfig).set(patch).where(eq(siteConfig.id, 1));
  cached = null;
  return getSiteConfig(db);
}
