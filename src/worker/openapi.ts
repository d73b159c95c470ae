// OpenAPI 3.1 for the whole API, generated from the same zod schemas the routes validate with and
// the response schemas of src/shared/responses.ts. A test checks that this list and the app's
// routes match both ways, so the document cannot drift; the test client validates every answer it
// receives against the operation's schema; scripts/lint-openapi.mjs lints the result.
import { z } from "zod";
import * as S from "../shared/schemas";
import * as R from "../shared/responses";
import { STATUS, type ErrorCode } from "../domain/errors";
import { OPEN_TO_LOCKED } from "./middleware/auth";
import { OPEN_DURING_MAINTENANCE } from "./middleware/guards";

export type Method = "get" | "post" | "put" | "patch" | "delete";
type Auth = "none" | "user" | "admin" | "stripe";
/** A non-JSON answer: its media types and what it is. */
type Media = { media: string[]; description: string };
export type ErrorStatus = 304 | 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 429 | 503;
export type Op = {
  /** The operationId: stable, camelCase, unique; generated clients name their methods after it. */
  id: string;
  summary: string;
  auth?: Auth;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success status (200 unless given). */
  status?: number;
  /** The success answer: a schema of src/shared/responses.ts, or a non-JSON media type. */
  response: z.ZodType | Media;
  /** Statuses the handler itself can answer beyond those every route like it can (see errorStatuses). */
  errors?: readonly ErrorStatus[];
};

const story = S.StoryParams;
const chapter = S.ChapterParams;
const id = S.IdParam;
const html: Media = { media: ["text/html"], description: "An HTML page" };
const image: Media = { media: ["image/png", "image/jpeg", "image/webp"], description: "The image (with an ETag; 304 when If-None-Match matches)" };
const book: Media = { media: ["application/epub+zip", "text/markdown"], description: "The book as an EPUB 3 file or Markdown, as a download" };
const socket: Media = { media: [], description: "Switching Protocols: the WebSocket is open" };

/**
 * Adding a route: one entry here, under its path and method. `id` is its operationId; `response`
 * is a schema registered in src/shared/responses.ts with named("Thing", "what it is", schema)
 * (or a Media for files and pages); `errors` lists only the statuses its handler adds (402, 409,
 * 429…) beyond those its guards give (errorStatuses). The OpenAPI test fails until the entry
 * exists, and the test client then checks the route's answers against it.
 */
export const OPERATIONS = {
  "/api/health": { get: { id: "getHealth", summary: "Liveness check: {ok: true}", auth: "none", response: R.OkSchema } },
  "/api/openapi.json": { get: { id: "getOpenApiDocument", summary: "This document", auth: "none", response: R.OpenApiDocumentSchema } },
  "/api/docs": { get: { id: "getApiDocs", summary: "This document as a readable page", auth: "none", response: html } },
  "/api/auth/session": {
    get: { id: "getSession", summary: "The signed-in user, or {user: null} for visitors (always 200)", auth: "none", response: R.SessionResponse },
  },
  "/api/auth/register": {
    post: { id: "register", summary: "Create an account and sign in (201 {user}); with e-mail verification on, 202 whether or not the name is free", auth: "none", body: S.RegisterBody, status: 201, response: R.RegisterResponse, errors: [409, 429] },
  },
  "/api/auth/login": { post: { id: "login", summary: "Sign in with username or e-mail", auth: "none", body: S.LoginBody, response: R.UserResponse, errors: [429] } },
  "/api/auth/logout": { post: { id: "logout", summary: "Sign out of this browser", auth: "none", response: R.OkSchema } },
  "/api/auth/forgot": {
    post: { id: "requestPasswordReset", summary: "Mail a password reset link (202, whether or not the address exists)", auth: "none", body: S.ForgotBody, status: 202, response: R.AcceptedMessageSchema, errors: [429] },
  },
  "/api/auth/reset": { post: { id: "resetPassword", summary: "Set a new password with a reset link's token", auth: "none", body: S.ResetBody, response: R.OkSchema, errors: [429] } },
  "/api/auth/unlock": {
    post: { id: "unlockAccount", summary: "Lift the sign-in pause of an account with the mailed unlock link's token", auth: "none", body: S.UnlockBody, response: R.AcceptedMessageSchema, errors: [429] },
  },
  "/api/auth/verify": { get: { id: "verifyEmail", summary: "Confirm an e-mail address with the mailed token", auth: "none", query: S.VerifyQuery, response: R.OkSchema } },
  "/api/auth/verify/resend": {
    post: { id: "resendVerification", summary: "Mail a new verification link", auth: "none", body: S.ForgotBody, status: 202, response: R.OkSchema, errors: [429] },
  },
  "/api/me": {
    get: { id: "getMe", summary: "The signed-in user with credit balances", response: R.UserResponse },
    patch: { id: "patchMe", summary: "Change password (with the current one) or the mature-content setting", body: S.UpdateMeBody, response: R.UserResponse },
  },
  "/api/me/tokens": {
    get: { id: "listApiTokens", summary: "API tokens (names and dates; the secret is never shown again)", response: R.ApiTokenList },
    post: { id: "createApiToken", summary: "Create an API token for Authorization: Bearer (shown once)", body: S.CreateTokenBody, status: 201, response: R.NewApiTokenResponse, errors: [429] },
  },
  "/api/me/tokens/{id}": { delete: { id: "deleteApiToken", summary: "Revoke an API token", params: id, response: R.OkSchema } },
  "/api/me/generations": { get: { id: "listMyGenerations", summary: "My model calls with predicted and real cost", query: S.PageQuery, response: R.GenerationPage } },
  "/api/me/notifications": { get: { id: "listNotifications", summary: "My latest notifications", response: R.NotificationList } },
  "/api/me/favorites": {
    get: { id: "listFavorites", summary: "My favourite stories I can still read, most recently favourited first", query: S.PageQuery, response: R.StoryPageSchema },
  },
  "/api/me/notifications/read": { post: { id: "markNotificationsRead", summary: "Mark all notifications read", response: R.OkSchema } },
  "/api/ws": {
    get: { id: "openEventSocket", summary: "WebSocket upgrade: live events for every open tab (cookie, or ?token= with an API token)", status: 101, response: socket, errors: [400] },
  },
  "/api/stories": {
    get: { id: "listStories", summary: "My stories", response: R.StoryList },
    post: { id: "createStory", summary: "Create a story with its empty chapters", body: S.CreateStoryBody, status: 201, response: R.StoryDetailSchema, errors: [429] },
  },
  "/api/stories/{id}": {
    get: { id: "getStory", summary: "A story with its cast, places, arcs and chapter list (no prose)", params: story, response: R.StoryDetailSchema },
    patch: { id: "patchStory", summary: "Change the story's details", params: story, body: S.UpdateStoryBody, response: R.StoryDetailSchema },
    delete: { id: "deleteStory", summary: "Delete the story, its rows and its images", params: story, response: R.OkSchema },
  },
  "/api/stories/{id}/meta": { put: { id: "putStoryMeta", summary: "Replace characters and locations", params: story, body: S.MetaBody, response: R.StoryDetailSchema } },
  "/api/stories/{id}/arcs": { put: { id: "putStoryArcs", summary: "Replace the story arcs", params: story, body: S.ArcsBody, response: R.StoryDetailSchema } },
  "/api/stories/{id}/outline": {
    put: { id: "putStoryOutline", summary: "Save the outline in array order; left-out chapters are kept unless deleteMissing", params: story, body: S.OutlineBody, response: R.StoryDetailSchema },
  },
  "/api/stories/{id}/chapters/{chapterId}": {
    get: { id: "getChapter", summary: "A chapter with its prose and beats", params: chapter, response: R.ChapterResponse },
    patch: { id: "patchChapter", summary: "Edit title, summary, prose or image prompt (prose changes keep a revision)", params: chapter, body: S.UpdateChapterBody, response: R.ChapterResponse },
    delete: { id: "deleteChapter", summary: "Delete a chapter and renumber the rest (409 for the last one)", params: chapter, response: R.OkSchema, errors: [409] },
  },
  "/api/stories/{id}/chapters/{chapterId}/guide": {
    put: { id: "putChapterGuide", summary: "Replace the chapter's beats; names must be the story's characters and places", params: chapter, body: S.GuideBody, response: R.ChapterResponse },
  },
  "/api/stories/{id}/chapters/{chapterId}/digest": {
    put: { id: "putChapterDigest", summary: "Correct what the book remembers from a chapter (every fact's quote must be in its prose)", params: chapter, body: S.DigestBody, response: R.ChapterResponse, errors: [409] },
  },
  "/api/stories/{id}/chapters/{chapterId}/revisions": {
    get: { id: "listChapterRevisions", summary: "The last 10 versions of the prose", params: chapter, response: R.RevisionList },
  },
  "/api/stories/{id}/chapters/{chapterId}/revisions/{revId}/restore": {
    post: { id: "restoreChapterRevision", summary: "Restore a revision (the current prose becomes a revision)", params: S.RevisionParams, response: R.ChapterResponse },
  },
  "/api/stories/{id}/export": {
    get: { id: "exportStory", summary: "Download the book: EPUB 3 with cover and chapter images, or Markdown", params: story, query: S.ExportQuery, response: book },
  },
  "/api/stories/{id}/continuity": {
    get: { id: "getContinuityReport", summary: "The continuity report: every chapter's checks and verified contradictions, with the book's name clashes", params: story, response: R.ContinuityReport },
    post: { id: "recheckContinuity", summary: "Check the whole book again now, and return the report", params: story, body: S.EmptyBody, response: R.ContinuityReport },
  },
  "/api/stories/{id}/continuity/{findingId}/dismiss": {
    post: { id: "dismissFinding", summary: "Dismiss a finding; it comes back marked dismissed until the text it quotes changes", params: S.FindingParams, body: S.EmptyBody, response: R.FindingResponse },
  },
  "/api/stories/{id}/rename": {
    post: { id: "renameEverywhere", summary: "Rename a name everywhere: prose (kept as revisions), outline, beats, and the character or place that has it", params: story, body: S.RenameBody, response: R.RenameResponse, errors: [409] },
  },
  "/api/stories/{id}/estimate": {
    get: { id: "getEstimate", summary: "Predicted credits for a stage, a chapter subset or the whole book, with the breakdown", params: story, query: S.EstimateQuery, response: R.EstimateSchema, errors: [429] },
  },
  "/api/stories/{id}/generate": {
    post: {
      id: "startGeneration",
      summary: "Start a generation (202 {job}); 409 while another runs, 402 without credits, 400 naming missing prerequisites",
      params: story,
      body: S.GenerateBody,
      status: 202,
      response: R.JobResponse,
      errors: [402, 409, 429],
    },
  },
  "/api/stories/{id}/jobs": { get: { id: "listStoryJobs", summary: "The story's generation jobs, newest first", params: story, response: R.JobList } },
  "/api/explore": {
    get: {
      id: "exploreStories",
      summary: "Public stories of everyone: search title and details, all of the given tags, sort, 24 a page; mature ones only with showMature",
      query: S.ExploreQuery,
      response: R.StoryPageSchema,
    },
  },
  "/api/explore/spotlight": { get: { id: "getSpotlight", summary: "Public stories picked by the admins, newest first (at most 12)", response: R.SpotlightSchema } },
  "/api/stories/{id}/social": {
    get: { id: "getStorySocial", summary: "My favourite and report marks on a story I can read, with its counts", params: story, response: R.StorySocialSchema },
  },
  "/api/stories/{id}/favorite": {
    post: { id: "favoriteStory", summary: "Favourite someone else's public story (idempotent): {favorited, favoritesCount}", params: story, body: S.EmptyBody, response: R.FavoriteStateSchema, errors: [409] },
    delete: { id: "unfavoriteStory", summary: "Remove my favourite (idempotent): {favorited, favoritesCount}", params: story, response: R.FavoriteStateSchema },
  },
  "/api/stories/{id}/flag": {
    post: { id: "reportStory", summary: "Report someone else's public story (idempotent); at 5 reports from verified accounts it is unshared and flagged for review", params: story, body: S.FlagBody, response: R.ReportStateSchema, errors: [409, 429] },
    delete: { id: "withdrawReport", summary: "Withdraw my report (a flagged story stays flagged until an admin clears it)", params: story, response: R.ReportStateSchema },
  },
  "/api/stories/{id}/comments": {
    get: { id: "listComments", summary: "Comments on a story I can read, newest first, 50 a page", params: story, query: S.PageQuery, response: R.CommentPageSchema },
    post: { id: "createComment", summary: "Comment on a story I can read; its author is notified (201 {comment})", params: story, body: S.CommentBody, status: 201, response: R.CommentResponse, errors: [429] },
  },
  "/api/comments/{id}": {
    patch: { id: "patchComment", summary: "Edit my comment", params: id, body: S.CommentBody, response: R.CommentResponse },
    delete: { id: "deleteComment", summary: "Delete my comment (admins: any comment)", params: id, response: R.OkSchema },
  },
  "/api/news": { get: { id: "listNews", summary: "Published news, newest first", response: R.NewsList } },
  "/api/feedback": {
    post: { id: "sendFeedback", summary: "Send feedback to the admins (201 {feedback}; at most 10 an hour)", body: S.FeedbackBody, status: 201, response: R.FeedbackResponse, errors: [429] },
  },
  "/api/tags": {
    get: { id: "suggestTags", summary: "Tag names starting with q, most used first (at most 20), for autocomplete", query: S.TagsQuery, response: R.TagSuggestions },
  },
  "/api/jobs/{id}": { get: { id: "getJob", summary: "A job with its units", params: id, response: R.JobDetail } },
  "/api/jobs/{id}/cancel": { post: { id: "cancelJob", summary: "Stop the units not started yet", params: id, response: R.JobResponse, errors: [409] } },
  "/api/jobs/{id}/retry": { post: { id: "retryJob", summary: "Re-run only the failed units", params: id, status: 202, response: R.JobResponse, errors: [402, 409] } },
  "/api/images/{id}/cover": {
    get: { id: "getCoverImage", summary: "The cover image (owner, or any signed-in reader of a shared story)", params: story, response: image, errors: [304] },
  },
  "/api/images/{id}/chapters/{chapterId}": { get: { id: "getChapterImage", summary: "A chapter's image", params: chapter, response: image, errors: [304] } },
  "/api/admin/pricing": {
    get: { id: "getAdminPricing", summary: "Price tables: token costs, modifiers, stage models, with example costs", auth: "admin", response: R.PricingSchema },
    patch: { id: "patchAdminPricing", summary: "Change prices (validated, audit-logged); estimates follow at once", auth: "admin", body: S.PricingPatch, response: R.PricingSchema },
  },
  "/api/admin/pricing/preview": {
    post: { id: "previewAdminPricing", summary: "Example costs under a draft price table, saving nothing", auth: "admin", body: S.PricingPatch, response: R.PricingSchema },
  },
  "/api/admin/users": { get: { id: "listAdminUsers", summary: "Users, searchable by name or e-mail", auth: "admin", query: S.AdminUsersQuery, response: R.AdminUserPage } },
  "/api/admin/users/{id}": {
    patch: { id: "patchAdminUser", summary: "Change a user's role, lock or review flag", auth: "admin", params: id, body: S.AdminUserPatch, response: R.AdminUserResponse, errors: [409] },
    delete: { id: "deleteAdminUser", summary: "Delete a user with their stories", auth: "admin", params: id, response: R.OkSchema, errors: [409] },
  },
  "/api/admin/users/{id}/credits": {
    post: { id: "adjustAdminUserCredits", summary: "Add or remove credits, with a reason in the ledger", auth: "admin", params: id, body: S.CreditAdjustBody, response: R.CreditsResponse },
  },
  "/api/admin/generations": {
    get: { id: "listAdminGenerations", summary: "All model calls, filterable", auth: "admin", query: S.AdminGenerationsQuery, response: R.GenerationPage },
  },
  "/api/admin/site": {
    get: { id: "getAdminSite", summary: "Site switches and signup grant", auth: "admin", response: R.SiteResponse },
    patch: { id: "patchAdminSite", summary: "Change site switches (audit-logged)", auth: "admin", body: S.SitePatch, response: R.SiteResponse },
  },
  "/api/admin/analytics": {
    get: { id: "getAdminAnalytics", summary: "Revenue, provider cost, credits charged, margin and prediction error per stage", auth: "admin", query: S.AnalyticsQuery, response: R.AnalyticsSchema },
  },
  "/api/admin/roles": {
    get: { id: "listAdminRoles", summary: "All roles, with their plan price and Stripe price", auth: "admin", response: R.AdminRoleList },
    post: { id: "createAdminRole", summary: "Create a role; a priced one is a monthly plan with its Stripe price", auth: "admin", body: S.RoleBody, status: 201, response: R.AdminRoleResponse, errors: [409] },
  },
  "/api/admin/roles/{id}": {
    patch: {
      id: "patchAdminRole",
      summary: "Change a role; a new price archives the old Stripe price (built-in roles: no rename, no price)",
      auth: "admin",
      params: id,
      body: S.RolePatch,
      response: R.AdminRoleResponse,
      errors: [409],
    },
    delete: { id: "deleteAdminRole", summary: "Delete a role, or retire it while users or revenue refer to it; archives its price", auth: "admin", params: id, response: R.DeletedSchema, errors: [409] },
  },
  "/api/admin/packages": {
    get: { id: "listAdminPackages", summary: "All credit packages", auth: "admin", response: R.AdminPackageList },
    post: { id: "createAdminPackage", summary: "Create a credit package with its Stripe price", auth: "admin", body: S.PackageBody, status: 201, response: R.AdminPackageResponse },
  },
  "/api/admin/packages/{id}": {
    patch: { id: "patchAdminPackage", summary: "Change a package; a new price or name archives the old Stripe price", auth: "admin", params: id, body: S.PackagePatch, response: R.AdminPackageResponse, errors: [409] },
    delete: { id: "deleteAdminPackage", summary: "Delete a package, or retire it once sold; archives its price", auth: "admin", params: id, response: R.DeletedSchema },
  },
  "/api/admin/tags": {
    get: { id: "listAdminTags", summary: "All tags with how many stories carry each", auth: "admin", query: S.AdminTagsQuery, response: R.AdminTagPage },
    post: { id: "createAdminTag", summary: "Create a tag (409 if the name exists in any case)", auth: "admin", body: S.TagBody, status: 201, response: R.AdminTagResponse, errors: [409] },
  },
  "/api/admin/tags/{id}": {
    patch: { id: "patchAdminTag", summary: "Rename a tag on every story (409 if another tag has the name)", auth: "admin", params: id, body: S.TagBody, response: R.AdminTagResponse, errors: [409] },
    delete: { id: "deleteAdminTag", summary: "Delete a tag and remove it from every story", auth: "admin", params: id, response: R.OkSchema },
  },
  "/api/admin/news": {
    get: { id: "listAdminNews", summary: "All news, published or not, newest first", auth: "admin", query: S.PageQuery, response: R.NewsPage },
    post: { id: "createAdminNews", summary: "Write a news item (published unless told otherwise)", auth: "admin", body: S.NewsBody, status: 201, response: R.NewsResponse },
  },
  "/api/admin/news/{id}": {
    patch: { id: "patchAdminNews", summary: "Edit or (un)publish a news item", auth: "admin", params: id, body: S.NewsPatch, response: R.NewsResponse },
    delete: { id: "deleteAdminNews", summary: "Delete a news item", auth: "admin", params: id, response: R.OkSchema },
  },
  "/api/admin/feedback": { get: { id: "listAdminFeedback", summary: "Feedback from users, newest first", auth: "admin", query: S.PageQuery, response: R.FeedbackPage } },
  "/api/admin/feedback/{id}": { delete: { id: "deleteAdminFeedback", summary: "Delete a feedback message", auth: "admin", params: id, response: R.OkSchema } },
  "/api/admin/stories": {
    get: {
      id: "listAdminStories",
      summary: "All stories with report counts and recent reports; filter flagged, spotlight, title or author",
      auth: "admin",
      query: S.AdminStoriesQuery,
      response: R.AdminStoryPage,
    },
  },
  "/api/admin/stories/{id}": { delete: { id: "deleteAdminStory", summary: "Delete a story with its rows and images; the author is told", auth: "admin", params: id, response: R.OkSchema } },
  "/api/admin/stories/{id}/spotlight": {
    post: { id: "setAdminStorySpotlight", summary: "Put a public story in the spotlight, or take any story out", auth: "admin", params: id, body: S.SpotlightBody, response: R.StoryResponse, errors: [409] },
  },
  "/api/admin/stories/{id}/unflag": {
    post: { id: "unflagAdminStory", summary: "Clear the flag and the reports; the story stays unshared until its author shares it", auth: "admin", params: id, body: S.EmptyBody, response: R.StoryResponse },
  },
  "/api/billing/catalog": { get: { id: "getBillingCatalog", summary: "Packages and plans for sale, and whether payments are on", auth: "none", response: R.BillingCatalogSchema } },
  "/api/billing/checkout": {
    post: { id: "startCheckout", summary: "Stripe Checkout for a package or a plan: {id, url}; 503 when payments are off", body: S.CheckoutBody, response: R.CheckoutSessionSchema, errors: [404, 409, 429] },
  },
  "/api/billing/portal": { post: { id: "openBillingPortal", summary: "Stripe billing portal for the signed-in user: {url}", response: R.PortalSessionSchema, errors: [409] } },
  "/api/stripe/webhook": {
    post: { id: "receiveStripeWebhook", summary: "Stripe events, verified by the Stripe-Signature header; each applied once", auth: "stripe", response: R.WebhookReceiptSchema, errors: [400] },
  },
} as const satisfies Record<string, Partial<Record<Method, Op>>>;

export type Operations = typeof OPERATIONS;
/** Every operation, flattened: its path template, method and entry. */
export const operationList = (): { path: string; method: Method; op: Op }[] =>
  Object.entries(OPERATIONS).flatMap(([path, ops]) =>
    Object.entries(ops as Partial<Record<Method, Op>>).map(([method, op]) => ({ path, method: method as Method, op })),
  );

/** Tags group the operations in the document and on /api/docs. */
const TAGS: Record<string, string> = {
  service: "Liveness and this API's own description.",
  auth: "Accounts: register, sign in and out, e-mail verification and password resets.",
  me: "The signed-in user: profile, API tokens, notifications, favourites and model calls.",
  events: "Live events (job progress, streamed prose, notifications) over a WebSocket.",
  stories: "An author's stories and every artifact of the pipeline, plus favourites, reports and comments on a story.",
  jobs: "Generation jobs: progress, cancel and retry.",
  images: "Cover and chapter images, served from storage to those who may read the story.",
  explore: "Everyone's public stories and the admins' spotlight.",
  comments: "Editing and deleting comments.",
  content: "News, feedback to the admins and tag suggestions.",
  billing: "Credit packages, monthly plans, Stripe Checkout and the billing portal.",
  stripe: "Stripe's webhook.",
  admin: "The admin console: pricing, users and credits, roles and packages, tags, news, feedback, stories, site switches, analytics and model calls.",
};
const TAG_OF: Record<string, string> = { health: "service", "openapi.json": "service", docs: "service", ws: "events", news: "content", feedback: "content", tags: "content" };
const tagOf = (path: string) => {
  const segment = path.split("/")[2]!;
  return TAG_OF[segment] ?? segment;
};

/** Routes mounted before the session, body and maintenance guards (src/worker/app.ts). */
const UNGUARDED = new Set(["/api/health", "/api/openapi.json", "/api/docs"]);
const UNSAFE = new Set<Method>(["post", "put", "patch", "delete"]);

/** Every error status an operation can answer: those its guards give, and those its handler adds. */
export function errorStatuses(path: string, method: Method, op: Op): ErrorStatus[] {
  const out = new Set<ErrorStatus>(op.errors ?? []);
  if (op.params || op.query || op.body) out.add(400);
  if (op.params) out.add(404);
  if (!UNGUARDED.has(path)) {
    // An invalid API token is refused on every guarded route; a locked account nearly everywhere.
    out.add(401);
    if (!OPEN_TO_LOCKED.has(path) || op.auth === "admin") out.add(403);
    if (UNSAFE.has(method) && op.auth !== "stripe") out.add(403); // another site's origin
    if (UNSAFE.has(method)) out.add(413);
    if (method !== "delete" && UNSAFE.has(method) && op.auth !== "stripe") out.add(415);
    if (!OPEN_DURING_MAINTENANCE.has(path)) out.add(503);
  }
  if (path.startsWith("/api/billing/") && method === "post") out.add(503); // payments are off
  if (op.auth === "stripe") out.add(503);
  return [...out].sort((a, b) => a - b);
}

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  304: "Not Modified: the image has not changed since the ETag sent in If-None-Match",
  400: "Invalid input: `fields` names each bad field; missing_prerequisites lists in `missing` what the step needs first",
  401: "Not signed in, an invalid API token, or wrong credentials",
  402: "Not enough credits: `creditType`, `required` and `available` say how many are short",
  403: "Not allowed: not an administrator, a locked or unverified account, an account under review, or a cross-site request",
  404: "No such resource, or one the caller may not see",
  409: "Conflicts with the current state; generation_in_progress carries the running `job`",
  413: "The request body is larger than 1 MB",
  415: "The body is not JSON (send Content-Type: application/json)",
  429: "Too many requests: `retryAfter` says how many seconds to wait",
  503: "Maintenance mode, or payments are switched off on this server",
};

/** The error envelope every failure uses; `code` is one of the server's error table. */
export const ErrorBody = z.strictObject({
  error: R.ApiErrorSchema.shape.error.extend({ code: z.enum(Object.keys(STATUS) as [ErrorCode, ...ErrorCode[]]) }),
});

const jsonSchema = (t: z.ZodType, io: "input" | "output") => {
  const { $schema: _, ...rest } = z.toJSONSchema(t, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

function parameters(where: "path" | "query", t: z.ZodType | undefined) {
  if (!t) return [];
  const s = jsonSchema(t, "input") as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name,
    in: where,
    required: where === "path" || (s.required ?? []).includes(name),
    schema: p,
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const isMedia = (r: Op["response"]): r is Media => "media" in r;

/** The component name of a response schema; every response schema is registered in RESPONSES. */
export function responseName(schema: z.ZodType): string {
  const meta = R.RESPONSES.get(schema);
  if (!meta) throw new Error("A response schema must be registered in src/shared/responses.ts (use named())");
  return meta.id;
}

function components() {
  const { schemas } = z.toJSONSchema(R.RESPONSES, {
    target: "draft-2020-12",
    io: "output",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  const out: Record<string, unknown> = {};
  for (const [name, { $schema: _, $id: __, ...s }] of Object.entries(schemas))
    out[name] = { ...s, description: R.RESPONSE_DESCRIPTIONS.get(name) };
  out.Error = { ...jsonSchema(ErrorBody, "output"), description: "The error envelope of every failure" };
  return out;
}

function successResponse(op: Op) {
  const r = op.response;
  if (isMedia(r)) {
    if (!r.media.length) return { description: r.description };
    return { description: r.description, content: Object.fromEntries(r.media.map((m) => [m, { schema: { type: "string", contentMediaType: m } }])) };
  }
  const description = R.RESPONSES.get(r)?.description ?? "Success";
  return { description, content: { "application/json": { schema: ref(responseName(r)) } } };
}

function errorResponse(status: ErrorStatus) {
  if (status === 304) return { description: ERROR_DESCRIPTIONS[status] };
  return { description: ERROR_DESCRIPTIONS[status], content: { "application/json": { schema: ref("Error") } } };
}

function operation(path: string, method: Method, op: Op) {
  return {
    operationId: op.id,
    summary: op.summary,
    tags: [tagOf(path)],
    ...(op.auth === "none" || op.auth === "stripe" ? { security: [] } : { security: [{ cookie: [] }, { bearer: [] }] }),
    ...(op.auth === "admin" ? { description: "Administrators only." } : {}),
    parameters: [...parameters("path", op.params), ...parameters("query", op.query)],
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } } : {}),
    responses: {
      [String(op.status ?? 200)]: successResponse(op),
      ...Object.fromEntries(errorStatuses(path, method, op).map((s) => [String(s), errorResponse(s)])),
      default: { description: "Unexpected failure (500), or a payment provider's (502)", content: { "application/json": { schema: ref("Error") } } },
    },
  };
}

let cached: Record<string, unknown> | null = null;

export function openApiDocument() {
  cached ??= {
    openapi: "3.1.0",
    info: {
      title: "NovelApp API",
      version: "1.0.0",
      description:
        "JSON API of NovelApp. Browsers authenticate with the session cookie; scripts with `Authorization: Bearer nvl_…` (create one at POST /api/me/tokens). Errors share one envelope: `{\"error\": {\"code\", \"message\", …}}`.",
      // No public licence: the API is proprietary (an SPDX LicenseRef names such a licence).
      license: { name: "Proprietary", identifier: "LicenseRef-NovelApp-Proprietary" },
    },
    servers: [{ url: "/", description: "The server that serves this document" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        cookie: { type: "apiKey", in: "cookie", name: "novel_session" },
        bearer: { type: "http", scheme: "bearer" },
      },
      schemas: components(),
    },
    paths: Object.fromEntries(
      Object.entries(OPERATIONS).map(([path, ops]) => [
        path,
        Object.fromEntries(Object.entries(ops as Partial<Record<Method, Op>>).map(([method, op]) => [method, operation(path, method as Method, op)])),
      ]),
    ),
  };
  return cached;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

type DocOp = {
  operationId: string;
  summary: string;
  description?: string;
  parameters: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref?: string } }> }>;
};

/** A response's media types, with a link to its schema on this page when it has one. */
function responseItem(status: string, r: DocOp["responses"][string]): string {
  const media = Object.entries(r.content ?? {}).map(([type, { schema }]) => {
    const name = schema.$ref?.split("/").pop();
    return name ? `<a href="#schema-${esc(name)}"><code>${esc(name)}</code></a>` : `<code>${esc(type)}</code>`;
  });
  return `<li><code>${esc(status)}</code> ${esc(r.description)}${media.length ? ` — ${media.join(", ")}` : ""}</li>`;
}

/** /api/docs: the same document, rendered on the server as plain HTML (no scripts to allow). */
export function docsPage(): string {
  const doc = openApiDocument() as { paths: Record<string, Record<string, DocOp>>; components: { schemas: Record<string, unknown> } };
  const rows = Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) => `
<section id="${esc(op.operationId)}">
  <h2><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> <small>${esc(op.operationId)}</small></h2>
  <p>${esc(op.summary)}${op.description ? ` <em>${esc(op.description)}</em>` : ""}</p>
  ${op.parameters.length ? `<details><summary>Parameters</summary><pre>${esc(JSON.stringify(op.parameters, null, 2))}</pre></details>` : ""}
  ${op.requestBody ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.requestBody.content["application/json"]!.schema, null, 2))}</pre></details>` : ""}
  <details><summary>Responses</summary><ul>${Object.entries(op.responses)
    .map(([status, r]) => responseItem(status, r))
    .join("")}</ul></details>
</section>`,
      ),
    )
    .join("");
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) => `
<section id="schema-${esc(name)}"><h3><code>${esc(name)}</code></h3>
  <details><summary>Schema</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>
</section>`,
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>NovelApp API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c1b1f;background:#fbfaf7}
h1{font-family:Georgia,serif}h2,h3{font-size:1rem;margin:1.5rem 0 .25rem}section{border-top:1px solid #ddd}h2 small{color:#666;font-weight:normal}
.m{display:inline-block;min-width:4.5rem;font-size:.8rem;padding:.1rem .4rem;border-radius:4px;color:#fff;background:#555;text-align:center}
.get{background:#2f6f4f}.post{background:#2b579a}.put{background:#8a5a00}.patch{background:#6b4c9a}.delete{background:#a33}
pre{background:#f0eee8;padding:.75rem;overflow:auto;font-size:.8rem}a{color:#2b579a}
@media (prefers-color-scheme:dark){body{background:#161513;color:#eee}pre{background:#24221f}section{border-color:#333}a{color:#9bb8ea}h2 small{color:#aaa}}
</style></head><body><h1>NovelApp API</h1>
<p>OpenAPI 3.1 document: <a href="/api/openapi.json">/api/openapi.json</a>. Authenticate with the session cookie or
<code>Authorization: Bearer nvl_…</code>. Errors: <code>{"error": {"code", "message", "fields"?, …}}</code> (the <a href="#schema-Error"><code>Error</code></a> schema).</p>${rows}
<h2>Schemas</h2>${schemas}</body></html>`;
}
