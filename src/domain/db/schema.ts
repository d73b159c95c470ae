// The whole D1 schema. Migrations in /migrations are generated from this file by
// drizzle-kit and reviewed by hand: additive changes only.
//
// Conventions: integer ids; timestamps are epoch milliseconds stored as integers and surfaced as
// Date objects (JSON turns them into ISO strings); booleans are 0/1 integers.
import { sql } from "drizzle-orm";
import type { GuidePart } from "../../shared/api";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

const id = () => integer("id").primaryKey({ autoIncrement: true });
const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);
const bool = (name: string) => integer(name, { mode: "boolean" }).notNull().default(false);
const ts = (name: string) => integer(name, { mode: "timestamp_ms" });

// ---------------------------------------------------------------- accounts

export const roles = sqliteTable("roles", {
  id: id(),
  name: text("name").notNull().unique(),
  isAdmin: bool("is_admin"),
  protected: bool("protected"),
  monthlyTextCredits: integer("monthly_text_credits").notNull().default(0),
  monthlyImageCredits: integer("monthly_image_credits").notNull().default(0),
  priceUsd: real("price_usd").notNull().default(0),
  stripePriceId: text("stripe_price_id"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

export const users = sqliteTable(
  "users",
  {
    id: id(),
    username: text("username").notNull(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(), // self-describing: pbkdf2-sha256$iter$salt$hash
    roleId: integer("role_id")
      .notNull()
      .references(() => roles.id),
    verified: bool("verified"),
    showMature: bool("show_mature"),
    textCredits: integer("text_credits").notNull().default(0),
    imageCredits: integer("image_credits").notNull().default(0),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: ts("locked_until"),
    isLocked: bool("is_locked"),
    underReview: bool("under_review"),
    lastLoginIp: text("last_login_ip"),
    lastLoginAt: ts("last_login_at"),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_username_nocase").on(sql`${t.username} COLLATE NOCASE`),
    uniqueIndex("users_email_unique").on(t.email),
    index("users_stripe_customer").on(t.stripeCustomerId),
  ],
);

// Signed-in browser sessions; the cookie carries the random token, D1 only its SHA-256.
export const sessions = sqliteTable(
  "sessions",
  {
    id: id(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: ts("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: id(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    lastUsedAt: ts("last_used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_tokens_user").on(t.userId)],
);

export const emailTokens = sqliteTable(
  "email_tokens",
  {
    id: id(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["verify", "reset", "unlock"] }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("email_tokens_user").on(t.userId)],
);

// ---------------------------------------------------------------- stories and artifacts

export const stories = sqliteTable(
  "stories",
  {
    id: id(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    details: text("details").notNull().default(""),
    inspirations: text("inspirations").notNull().default(""),
    writingStyle: text("writing_style").notNull().default(""),
    chaptersCount: integer("chapters_count").notNull(),
    targetChapterWords: integer("target_chapter_words").notNull().default(2500),
    shared: bool("shared"),
    spotlight: bool("spotlight"),
    flagged: bool("flagged"),
    mature: bool("mature"),
    coverImageKey: text("cover_image_key"),
    coverImagePrompt: text("cover_image_prompt"),
    favoritesCount: integer("favorites_count").notNull().default(0),
    // When meta and arcs were last written: later artifacts built before that are stale.
    metaUpdatedAt: ts("meta_updated_at"),
    arcsUpdatedAt: ts("arcs_updated_at"),
    outlineUpdatedAt: ts("outline_updated_at"),
    // Where the book starts: chapter 1's entry contract (each later entry is the previous exit).
    openingContract: text("opening_contract", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("stories_user").on(t.userId), index("stories_public").on(t.shared, t.flagged)],
);

/**
 * A story's version: a random value that triggers (migration 0008) replace whenever anything a
 * story read shows changes — the story row, its tags, cast, places, arcs, chapters or digests, or
 * its author's name. The story read keeps its answer per version (docs/SCALE.md).
 */
export const storyVersions = sqliteTable("story_versions", {
  storyId: integer("story_id")
    .primaryKey()
    .references(() => stories.id, { onDelete: "cascade" }),
  version: text("version").notNull(),
});

export const tags = sqliteTable(
  "tags",
  {
    id: id(),
    name: text("name").notNull(),
    // Made or renamed by an admin: suggested and kept even while no story uses it.
    curated: bool("curated"),
  },
  (t) => [uniqueIndex("tags_name_nocase").on(sql`${t.name} COLLATE NOCASE`)],
);

export const storyTags = sqliteTable(
  "story_tags",
  {
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.storyId, t.tagId] }), index("story_tags_tag").on(t.tagId)],
);

export const characters = sqliteTable(
  "characters",
  {
    id: id(),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    exampleDialogue: text("example_dialogue").notNull().default(""),
    // Other names the prose may use for them (a nickname, a title): the continuity checks accept them.
    aliases: text("aliases", { mode: "json" }).$type<string[]>().notNull().default([]),
  },
  (t) => [index("characters_story").on(t.storyId, t.position)],
);

export const locations = sqliteTable(
  "locations",
  {
    id: id(),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    aliases: text("aliases", { mode: "json" }).$type<string[]>().notNull().default([]),
  },
  (t) => [index("locations_story").on(t.storyId, t.position)],
);

export const storyArcs = sqliteTable(
  "story_arcs",
  {
    id: id(),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
  },
  (t) => [index("story_arcs_story").on(t.storyId, t.position)],
);

export const chapters = sqliteTable(
  "chapters",
  {
    id: id(),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull().default(""),
    summary: text("summary").notNull().default(""),
    // The prose is in R2 under a key derived from `contentHash` (docs/SCALE.md); `content` holds
    // only the text of rows written before it moved there, until it is moved.
    content: text("content"),
    contentSource: text("content_source", { enum: ["generated", "edited"] }),
    wordCount: integer("word_count").notNull().default(0),
    imageKey: text("image_key"),
    imagePrompt: text("image_prompt"),
    // The beats are in R2 under a key derived from `guideHash` (docs/SCALE.md), or there are none
    // when it is null; `guide` holds only the beats of rows written before they moved there.
    guide: text("guide", { mode: "json" }).$type<GuidePart[]>(),
    guideHash: text("guide_hash"),
    guideCount: integer("guide_count").notNull().default(0),
    // Per-artifact clocks: prose written before its summary or beats changed is `stale`.
    summaryUpdatedAt: ts("summary_updated_at"),
    guideUpdatedAt: ts("guide_updated_at"),
    contentUpdatedAt: ts("content_updated_at"),
    // SHA-256 of the prose: what digests and checks say they describe.
    contentHash: text("content_hash"),
    // The story bible the prose was written against (the job's canon), to tell it went stale.
    bibleHash: text("bible_hash"),
    // Where this chapter must leave the story: the next chapter's entry contract.
    exitContract: text("exit_contract", { mode: "json" }).$type<Record<string, unknown>>(),
    updatedAt: ts("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  // Reordering renumbers in two phases (negative, then final) so this holds after every statement.
  (t) => [uniqueIndex("chapters_story_number").on(t.storyId, t.number)],
);

export const chapterRevisions = sqliteTable(
  "chapter_revisions",
  {
    id: id(),
    chapterId: integer("chapter_id")
      .notNull()
      .references(() => chapters.id, { onDelete: "cascade" }),
    // Inline text of a revision made before prose moved to R2; '' once it is there (by `contentHash`).
    content: text("content").notNull(),
    contentHash: text("content_hash"),
    wordCount: integer("word_count").notNull().default(0),
    source: text("source", { enum: ["generated", "edited"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("chapter_revisions_chapter").on(t.chapterId, t.id)],
);

// What the book remembers from a chapter's prose (docs/MEMORY.md): one row per chapter, with the
// hash of the prose it describes, so an edit of the prose makes it stale.
export const chapterDigests = sqliteTable("chapter_digests", {
  chapterId: integer("chapter_id")
    .primaryKey()
    .references(() => chapters.id, { onDelete: "cascade" }),
  contentHash: text("content_hash").notNull(),
  digest: text("digest", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  // Facts whose quote was not found in the chapter, dropped by code.
  droppedFacts: integer("dropped_facts").notNull().default(0),
  source: text("source", { enum: ["generated", "edited"] }).notNull(),
  createdAt: createdAt(),
  updatedAt: ts("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

// The continuity report of a chapter (docs/CONTINUITY.md): what the deterministic checks found in
// its prose as it was when checked, and what a verified model audit found, each with the hash of
// the prose it read.
export const chapterChecks = sqliteTable("chapter_checks", {
  chapterId: integer("chapter_id")
    .primaryKey()
    .references(() => chapters.id, { onDelete: "cascade" }),
  contentHash: text("content_hash"),
  checkedAt: ts("checked_at").notNull(),
  metrics: text("metrics", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  // The findings are in R2 under `findingsHash` (docs/SCALE.md), or none when it is null;
  // `findings` holds only those of checks made before they moved there.
  findingsHash: text("findings_hash"),
  findings: text("findings", { mode: "json" }).$type<unknown[]>().notNull(),
  // {contentHash, findings, unverifiedDropped}: the audit's verified contradictions.
  audit: text("audit", { mode: "json" }).$type<Record<string, unknown>>(),
});

// Findings an author dismissed ("not a contradiction", "ignore this name"). A finding's id changes
// with the text it quotes, so a dismissal lasts until that text changes; kept to measure precision.
export const findingDismissals = sqliteTable(
  "finding_dismissals",
  {
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    findingId: text("finding_id").notNull(),
    type: text("type").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.storyId, t.findingId] })],
);

// ---------------------------------------------------------------- generation

export const generationJobs = sqliteTable(
  "generation_jobs",
  {
    id: id(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    stage: text("stage").notNull(),
    params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", {
      enum: ["queued", "running", "succeeded", "partial", "failed", "cancelled"],
    })
      .notNull()
      .default("queued"),
    // For `book`: the pipeline stage now running. Advanced by one guarded UPDATE, so a
    // redelivered message can never start a stage twice.
    currentStage: text("current_stage"),
    // How chapters are written: sequential | hybrid | parallel (docs/MEMORY.md); null for others.
    mode: text("mode", { enum: ["sequential", "hybrid", "parallel"] }),
    // The story bible this job writes against, fixed when its first per-chapter stage starts.
    bibleHash: text("bible_hash"),
    cancelRequested: bool("cancel_requested"),
    unitsTotal: integer("units_total").notNull().default(0),
    unitsDone: integer("units_done").notNull().default(0),
    unitsFailed: integer("units_failed").notNull().default(0),
    predictedCost: integer("predicted_cost").notNull().default(0),
    predictedImageCost: integer("predicted_image_cost").notNull().default(0),
    actualCost: integer("actual_cost").notNull().default(0),
    actualImageCost: integer("actual_image_cost").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    index("generation_jobs_user").on(t.userId, t.id),
    index("generation_jobs_story").on(t.storyId, t.id),
  ],
);

// One row per model call ("unit"). Its status is the idempotency guard for the unit's writes.
export const generationLogs = sqliteTable(
  "generation_logs",
  {
    id: id(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    jobId: integer("job_id")
      .notNull()
      .references(() => generationJobs.id, { onDelete: "cascade" }),
    storyId: integer("story_id"),
    stage: text("stage").notNull(),
    unit: text("unit").notNull(),
    chapterId: integer("chapter_id"),
    generationType: text("generation_type").notNull(),
    creditType: text("credit_type", { enum: ["text", "image"] }).notNull(),
    model: text("model").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed", "cancelled"] })
      .notNull()
      .default("pending"),
    // Units of the same job that must have succeeded before this one is sent (sequential and
    // hybrid books chain chapters, digests and boundary rewrites).
    after: text("after", { mode: "json" }).$type<string[]>().notNull().default([]),
    // Set when the unit's queue message is sent: the fan-out cap counts these.
    dispatchedAt: ts("dispatched_at"),
    startedAt: ts("started_at"),
    attempts: integer("attempts").notNull().default(0),
    predictedCost: integer("predicted_cost").notNull().default(0),
    // The ceiling of a unit: the output cap sent with every model call it makes, the price of the
    // unit at that cap, and what it held of the balance when it started (the most it may charge).
    maxOutputTokens: integer("max_output_tokens").notNull().default(0),
    maxCost: integer("max_cost").notNull().default(0),
    heldCost: integer("held_cost"),
    // What was charged: min(the price of the provider's real usage, the hold). The uncapped price
    // is kept beside it, so admins see what the ceiling saved or cost.
    realCost: integer("real_cost"),
    uncappedCost: integer("uncapped_cost"),
    predictedInputTokens: integer("predicted_input_tokens").notNull().default(0),
    predictedOutputTokens: integer("predicted_output_tokens").notNull().default(0),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    cachedInputTokens: integer("cached_input_tokens"),
    reasoningTokens: integer("reasoning_tokens"),
    providerCostUsd: real("provider_cost_usd"),
    breakdown: text("breakdown", { mode: "json" }).$type<Record<string, unknown>>(),
    errorMessage: text("error_message"),
    createdAt: createdAt(),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    uniqueIndex("generation_logs_job_unit").on(t.jobId, t.unit),
    index("generation_logs_user").on(t.userId, t.id),
    index("generation_logs_created").on(t.createdAt),
  ],
);

// A job's canon: the story bible as it was when the job's per-chapter work began. Its remaining
// units read this, not the live story, so edits made mid-run apply from the next run.
export const jobCanons = sqliteTable("job_canons", {
  jobId: integer("job_id")
    .primaryKey()
    .references(() => generationJobs.id, { onDelete: "cascade" }),
  hash: text("hash").notNull(),
  canon: text("canon", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});

export const creditLedger = sqliteTable(
  "credit_ledger",
  {
    id: id(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    creditType: text("credit_type", { enum: ["text", "image"] }).notNull(),
    delta: integer("delta").notNull(),
    reason: text("reason", {
      enum: ["generation", "purchase", "subscription", "admin", "signup"],
    }).notNull(),
    ref: text("ref"),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    index("credit_ledger_user").on(t.userId, t.id),
    // A generation log, a Stripe grant or a signup is credited once: a replay fails the whole
    // D1 batch it is part of, so nothing else of that replay is written either.
    uniqueIndex("credit_ledger_once")
      .on(t.reason, t.ref, t.creditType)
      .where(sql`reason <> 'admin'`),
  ],
);

// ---------------------------------------------------------------- pricing (admin-tunable)

export const tokenCostConfig = sqliteTable("token_cost_config", {
  id: integer("id").primaryKey(), // always 1
  costPerCredit: real("cost_per_credit").notNull(),
  costPer1mInput: real("cost_per_1m_input").notNull(),
  costPer1mOutput: real("cost_per_1m_output").notNull(),
  o1CostPerCredit: real("o1_cost_per_credit").notNull(),
  o1CostPer1mInput: real("o1_cost_per_1m_input").notNull(),
  o1CostPer1mOutput: real("o1_cost_per_1m_output").notNull(),
  dallEPricePerImage: real("dall_e_price_per_image").notNull(),
  updatedAt: ts("updated_at"),
});

export const creditConfig = sqliteTable("credit_config", {
  id: id(),
  action: text("action").notNull().unique(),
  type: text("type", { enum: ["text", "image"] }).notNull(),
  modifier: real("modifier").notNull(),
});

export const stageConfig = sqliteTable("stage_config", {
  stage: text("stage").primaryKey(), // meta | summaries | arcs | guides | chapters | images
  model: text("model").notNull(),
  tier: text("tier", { enum: ["standard", "reasoning"] }).notNull(),
  predictedOutputTokens: integer("predicted_output_tokens").notNull(),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    target: text("target"),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_created").on(t.createdAt)],
);

// ---------------------------------------------------------------- payments

export const creditPackages = sqliteTable("credit_packages", {
  id: id(),
  name: text("name").notNull(),
  creditType: text("credit_type", { enum: ["text", "image"] }).notNull(),
  credits: integer("credits").notNull(),
  priceUsd: real("price_usd").notNull(),
  stripePriceId: text("stripe_price_id"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

export const revenue = sqliteTable(
  "revenue",
  {
    id: id(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: ["package", "subscription"] }).notNull(),
    // Checkout session or invoice id: one revenue row per paid thing, whichever event came first.
    ref: text("ref").notNull().unique(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("usd"),
    packageId: integer("package_id"),
    roleId: integer("role_id"),
    createdAt: createdAt(),
  },
  (t) => [index("revenue_created").on(t.createdAt)],
);

export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  processedAt: ts("processed_at").notNull(),
});

// ---------------------------------------------------------------- social and site

export const comments = sqliteTable(
  "comments",
  {
    id: id(),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at"),
  },
  (t) => [index("comments_story").on(t.storyId, t.id)],
);

export const favorites = sqliteTable(
  "favorites",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.storyId] }), index("favorites_story").on(t.storyId)],
);

export const storyFlags = sqliteTable(
  "story_flags",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    storyId: integer("story_id")
      .notNull()
      .references(() => stories.id, { onDelete: "cascade" }),
    reason: text("reason"),
    // The reporter's address: reports from one address count once (SECURITY.md).
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.storyId] }), index("story_flags_story").on(t.storyId)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: id(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    message: text("message").notNull(),
    level: text("level", { enum: ["info", "success", "warning", "error"] })
      .notNull()
      .default("info"),
    link: text("link"),
    readAt: ts("read_at"),
    createdAt: createdAt(),
  },
  (t) => [index("notifications_user").on(t.userId, t.id)],
);

export const news = sqliteTable("news", {
  id: id(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  published: integer("published", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});

export const feedback = sqliteTable("feedback", {
  id: id(),
  userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
  message: text("message").notNull(),
  createdAt: createdAt(),
});

export const siteConfig = sqliteTable("site_config", {
  id: integer("id").primaryKey(), // always 1
  registrationDisabled: bool("registration_disabled"),
  maintenanceMode: bool("maintenance_mode"),
  signupTextCredits: integer("signup_text_credits").notNull().default(500),
  signupImageCredits: integer("signup_image_credits").notNull().default(8),
});
