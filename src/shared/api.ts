// Response shapes of the JSON API, shared by the Worker and the client: each is inferred from its
// zod schema in responses.ts, which the OpenAPI document and the tests' checks are built from too.
import type { z } from "zod";
import type * as R from "./responses";

export type ApiError = z.infer<typeof R.ApiErrorSchema>;
export type Ok = z.infer<typeof R.OkSchema>;
export type Deleted = z.infer<typeof R.DeletedSchema>;

export type Credits = z.infer<typeof R.CreditsSchema>;
export type User = z.infer<typeof R.UserSchema>;
export type ApiToken = z.infer<typeof R.ApiTokenSchema>;
export type NewApiToken = z.infer<typeof R.NewApiTokenResponse>["token"];
export type Notification = z.infer<typeof R.NotificationSchema>;
export type NotificationList = z.infer<typeof R.NotificationList>;
export type GenerationLog = z.infer<typeof R.GenerationLogSchema>;
export type GenerationPage = z.infer<typeof R.GenerationPage>;

export type Story = z.infer<typeof R.StorySchema>;
/** `aliases`: other names the prose may use; the API always sends them (an empty list when none). */
export type Character = Omit<z.infer<typeof R.CharacterSchema>, "aliases"> & { aliases?: string[] };
export type Location = Omit<z.infer<typeof R.LocationSchema>, "aliases"> & { aliases?: string[] };
export type GuidePart = z.infer<typeof R.GuidePartSchema>;
export type ChapterSummary = z.infer<typeof R.ChapterSummarySchema>;
export type StoryDetail = z.infer<typeof R.StoryDetailSchema>;
export type Chapter = z.infer<typeof R.ChapterSchema>;
export type Revision = z.infer<typeof R.RevisionSchema>;

export type JobStatus = z.infer<typeof R.JobStatusSchema>;
export type Job = z.infer<typeof R.JobSchema>;
export type JobResponse = z.infer<typeof R.JobResponse>;
export type JobUnit = z.infer<typeof R.JobUnitSchema>;
export type JobDetail = z.infer<typeof R.JobDetail>;
export type Estimate = z.infer<typeof R.EstimateSchema>;
export type EstimateUnit = z.infer<typeof R.EstimateUnitSchema>;

// ---------------------------------------------------------------- billing

export type CreditPackage = z.infer<typeof R.CreditPackageSchema>;
export type Plan = z.infer<typeof R.PlanSchema>;
export type BillingCatalog = z.infer<typeof R.BillingCatalogSchema>;
export type CheckoutSession = z.infer<typeof R.CheckoutSessionSchema>;
export type PortalSession = z.infer<typeof R.PortalSessionSchema>;
export type WebhookReceipt = z.infer<typeof R.WebhookReceiptSchema>;
export type AdminRole = z.infer<typeof R.AdminRoleSchema>;
export type AdminPackage = z.infer<typeof R.AdminPackageSchema>;

// ---------------------------------------------------------------- social

/** A story as readers see it in lists (Explore, spotlight, favourites). */
export type PublicStory = z.infer<typeof R.PublicStorySchema>;
export type StoryPage = z.infer<typeof R.StoryPageSchema>;
/** The viewer's standing with one story: GET /api/stories/:id/social. */
export type StorySocial = z.infer<typeof R.StorySocialSchema>;
export type FavoriteState = z.infer<typeof R.FavoriteStateSchema>;
export type ReportState = z.infer<typeof R.ReportStateSchema>;
export type Comment = z.infer<typeof R.CommentSchema>;
/** Newest first. */
export type CommentPage = z.infer<typeof R.CommentPageSchema>;

export type NewsItem = z.infer<typeof R.NewsItemSchema>;
export type NewsPage = z.infer<typeof R.NewsPage>;
export type FeedbackItem = z.infer<typeof R.FeedbackItemSchema>;
export type FeedbackPage = z.infer<typeof R.FeedbackPage>;
export type AdminTag = z.infer<typeof R.AdminTagSchema>;
export type AdminTagPage = z.infer<typeof R.AdminTagPage>;
export type StoryReport = z.infer<typeof R.StoryReportSchema>;
export type AdminStory = z.infer<typeof R.AdminStorySchema>;
export type AdminStoryPage = z.infer<typeof R.AdminStoryPage>;

// ---------------------------------------------------------------- admin

export type AdminUser = z.infer<typeof R.AdminUserSchema>;
export type AdminUserPage = z.infer<typeof R.AdminUserPage>;
export type TokenCost = z.infer<typeof R.TokenCostSchema>;
export type StageSettings = z.infer<typeof R.StageSettingsSchema>;
export type PricingTables = z.infer<typeof R.PricingSchema>;
export type SiteSettings = z.infer<typeof R.SiteSchema>;
export type Analytics = z.infer<typeof R.AnalyticsSchema>;
