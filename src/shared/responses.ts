// Response schemas of the JSON API: what every route answers, next to the request schemas of
// schemas.ts. The types in api.ts are inferred from these, the OpenAPI document
// (src/worker/openapi.ts) is generated from them, and the test client validates every answer it
// receives against them. Objects are strict, so a field a service starts sending (or stops
// sending) fails the tests before it reaches a browser. Dates travel as ISO 8601 strings.
import { z } from "zod";
import { ChapterMetricsSchema, ContinuityReportSchema, FindingSchema } from "./continuity";
import { BOOK_MODES, ContractSchema, DigestSchema } from "./schemas";
import { STAGE_CONFIG_KEYS, STAGES, UNIT_STAGES } from "./stages";

/** Every named response schema; each becomes one entry of the document's components. */
export const RESPONSES = z.registry<{ id: string; description: string }>();
/** The description of each named schema, by id (the registry's own export leaves them out). */
export const RESPONSE_DESCRIPTIONS = new Map<string, string>();

function named<T extends z.ZodType>(id: string, description: string, schema: T): T {
  if (RESPONSE_DESCRIPTIONS.has(id)) throw new Error(`Two response schemas are named ${id}`);
  RESPONSES.add(schema, { id, description });
  RESPONSE_DESCRIPTIONS.set(id, description);
  return schema;
}

const date = z.iso.datetime({ offset: true });
const int = z.number().int();
const creditType = z.enum(["text", "image"]);
const unitStage = z.enum(UNIT_STAGES);
const stage = z.enum(STAGES);
const page = { page: int.min(1), pageSize: int.min(1), total: int.min(0) };

// ---------------------------------------------------------------- plain answers

export const OkSchema = named("Ok", "The request was carried out.", z.strictObject({ ok: z.literal(true) }));
export const AcceptedMessageSchema = named(
  "AcceptedMessage",
  "Accepted; the message says what happens next.",
  z.strictObject({ ok: z.literal(true), message: z.string() }),
);
export const DeletedSchema = named(
  "Deleted",
  "deleted: false when the item was retired (kept, inactive) because something still refers to it.",
  z.strictObject({ ok: z.literal(true), deleted: z.boolean() }),
);

/** The error envelope's body; src/worker/openapi.ts narrows `code` to the server's error table. */
export const ApiErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string().meta({ description: "Stable machine-readable reason; the HTTP status follows from it" }),
    message: z.string().meta({ description: "A sentence for a person" }),
    requestId: z.string().optional(),
    fields: z.record(z.string(), z.string()).optional().meta({ description: "400: one message per invalid field (dotted paths: chapters.2.title)" }),
    missing: z.array(z.string()).optional().meta({ description: "400 missing_prerequisites: what the step needs first" }),
    creditType: creditType.optional().meta({ description: "402: the kind of credits that are short" }),
    required: int.optional().meta({ description: "402: credits the work needs" }),
    available: int.optional().meta({ description: "402: credits the account has" }),
    job: z.unknown().optional().meta({ description: "409 generation_in_progress: the job that is running (a Job)" }),
    retryAfter: int.optional().meta({ description: "429: seconds to wait before trying again" }),
  }),
});

// ---------------------------------------------------------------- accounts

export const CreditsSchema = named("Credits", "Credit balances.", z.strictObject({ text: int, image: int }));

export const UserSchema = named(
  "User",
  "The signed-in user with their credit balances.",
  z.strictObject({
    id: int,
    username: z.string(),
    email: z.string(),
    role: z.string(),
    isAdmin: z.boolean(),
    verified: z.boolean(),
    showMature: z.boolean(),
    underReview: z.boolean(),
    credits: CreditsSchema,
    createdAt: date,
  }),
);
export const UserResponse = named("UserResponse", "A user.", z.strictObject({ user: UserSchema }));
export const SessionResponse = named(
  "SessionResponse",
  "The signed-in user, or null for visitors.",
  z.strictObject({ user: UserSchema.nullable() }),
);
export const RegisterResponse = named(
  "RegisterResponse",
  "The new account; verificationRequired: no session was started until the e-mail is confirmed.",
  z.strictObject({ user: UserSchema, verificationRequired: z.boolean() }),
);

export const ApiTokenSchema = named(
  "ApiToken",
  "An API token's name and dates (never its secret).",
  z.strictObject({ id: int, name: z.string(), createdAt: date, lastUsedAt: date.nullable() }),
);
export const ApiTokenList = named("ApiTokenList", "My API tokens, newest first.", z.strictObject({ tokens: z.array(ApiTokenSchema) }));
export const NewApiTokenResponse = named(
  "NewApiTokenResponse",
  "The new token; `token` is the secret for Authorization: Bearer, shown this once.",
  z.strictObject({ token: ApiTokenSchema.extend({ token: z.string() }) }),
);

export const NotificationSchema = named(
  "Notification",
  "A message for the user, with an optional link into the app.",
  z.strictObject({
    id: int,
    message: z.string(),
    level: z.enum(["info", "success", "warning", "error"]),
    link: z.string().nullable(),
    readAt: date.nullable(),
    createdAt: date,
  }),
);
export const NotificationList = named(
  "NotificationList",
  "The latest 50 notifications, newest first, and how many are unread.",
  z.strictObject({ notifications: z.array(NotificationSchema), unread: int.min(0) }),
);

export const GenerationLogSchema = named(
  "GenerationLog",
  "One model call (a unit of a job): predicted and charged credits, the provider's usage and cost.",
  z.strictObject({
    id: int,
    userId: int,
    username: z.string(),
    jobId: int,
    storyId: int.nullable(),
    storyTitle: z.string().nullable(),
    stage: z.string(),
    unit: z.string(),
    generationType: z.string(),
    creditType,
    model: z.string(),
    status: z.enum(["pending", "succeeded", "failed", "cancelled"]),
    predictedCost: int,
    realCost: int.nullable(),
    inputTokens: int.nullable(),
    outputTokens: int.nullable(),
    cachedInputTokens: int.nullable(),
    reasoningTokens: int.nullable(),
    providerCostUsd: z.number().nullable(),
    breakdown: z.record(z.string(), z.unknown()).nullable(),
    errorMessage: z.string().nullable(),
    createdAt: date,
    finishedAt: date.nullable(),
  }),
);
export const GenerationPage = named(
  "GenerationPage",
  "Model calls, newest first, 50 a page.",
  z.strictObject({ generations: z.array(GenerationLogSchema), ...page }),
);

// ---------------------------------------------------------------- stories

export const StorySchema = named(
  "Story",
  "A story's details (no cast, outline or prose).",
  z.strictObject({
    id: int,
    userId: int,
    author: z.string(),
    title: z.string(),
    details: z.string(),
    tags: z.array(z.string()),
    inspirations: z.string(),
    writingStyle: z.string(),
    chaptersCount: int,
    targetChapterWords: int,
    shared: z.boolean(),
    mature: z.boolean(),
    spotlight: z.boolean(),
    flagged: z.boolean(),
    coverImageUrl: z.string().nullable(),
    coverImagePrompt: z.string().nullable(),
    favoritesCount: int,
    createdAt: date,
    updatedAt: date,
  }),
);
export const StoryList = named("StoryList", "My stories, most recently changed first.", z.strictObject({ stories: z.array(StorySchema) }));

const aliases = z.array(z.string()).meta({ description: "Other names the prose may use (empty when none)" });
export const CharacterSchema = named(
  "Character",
  "A character of the story.",
  z.strictObject({ name: z.string(), description: z.string(), exampleDialogue: z.string(), aliases }),
);
export const LocationSchema = named("Location", "A place of the story.", z.strictObject({ name: z.string(), description: z.string(), aliases }));
export const GuidePartSchema = named(
  "GuidePart",
  "One beat of a chapter, with the characters and places it uses.",
  z.strictObject({ text: z.string(), characters: z.array(z.string()), locations: z.array(z.string()) }),
);

export const ChapterSummarySchema = named(
  "ChapterSummary",
  "A chapter in the outline (no prose).",
  z.strictObject({
    id: int,
    number: int,
    title: z.string(),
    summary: z.string(),
    wordCount: int,
    hasContent: z.boolean(),
    hasGuide: z.boolean(),
    imageUrl: z.string().nullable(),
    imagePrompt: z.string().nullable().meta({ description: "The author's own image prompt, if they wrote one" }),
    stale: z.boolean().meta({ description: "The prose was written before its summary, beats or the cast last changed, or against an earlier story bible" }),
    staleReason: z.string().nullable().meta({ description: "Why it is stale, in words an author understands" }),
    hasDigest: z.boolean().meta({ description: "What the book remembers of this chapter exists" }),
    digestStale: z.boolean().meta({ description: "The digest describes an earlier version of the prose" }),
    guideStale: z.boolean().meta({ description: "The beats were written before the summary last changed" }),
    updatedAt: date,
  }),
);

export const StoryDetailSchema = named(
  "StoryDetail",
  "A story with its cast, places, arcs and chapter list (no prose).",
  z.strictObject({
    story: StorySchema,
    characters: z.array(CharacterSchema),
    locations: z.array(LocationSchema),
    arcs: z.array(z.string()),
    chapters: z.array(ChapterSummarySchema),
    defaultCoverPrompt: z.string().meta({ description: "What the cover is painted from when the author has not written a prompt" }),
  }),
);

export const ContractResponseSchema = named("Contract", "What must be true where a chapter starts or ends.", ContractSchema);
export const ChapterDigestSchema = named(
  "ChapterDigest",
  "What the book remembers from a chapter, with how many facts code dropped.",
  DigestSchema.extend({ droppedFacts: int.min(0), source: z.enum(["generated", "edited"]), updatedAt: date }),
);

export const ChapterSchema = named(
  "Chapter",
  "A chapter with its prose, beats, memory and contracts.",
  ChapterSummarySchema.extend({
    content: z.string().nullable(),
    defaultImagePrompt: z.string().meta({ description: "The prompt used when imagePrompt is empty" }),
    guide: z.array(GuidePartSchema),
    digest: ChapterDigestSchema.nullable(),
    entry: ContractResponseSchema.nullable().meta({ description: "Where the chapter starts (the previous chapter's exit)" }),
    exit: ContractResponseSchema.nullable().meta({ description: "Where the chapter must leave the story" }),
  }),
);
export const ChapterResponse = named("ChapterResponse", "A chapter.", z.strictObject({ chapter: ChapterSchema }));

// ---------------------------------------------------------------- continuity (docs/CONTINUITY.md)

export const FindingResponseSchema = named("Finding", "One thing the checks or the audit found in a chapter or the book.", FindingSchema);
export const ChapterMetricsResponseSchema = named("ChapterMetrics", "How a chapter measures against its plan and the chapters before it.", ChapterMetricsSchema);
export const ContinuityReport = named("ContinuityReport", "The continuity report: the book's findings and every chapter's checks.", ContinuityReportSchema);
export const FindingResponse = named("FindingResponse", "A finding.", z.strictObject({ finding: FindingSchema }));
export const RenameResponse = named(
  "RenameResponse",
  "The story after a rename, with how many places the name was replaced.",
  StoryDetailSchema.extend({ replaced: int.min(0).meta({ description: "Occurrences replaced across prose, outline, beats, cast and places" }) }),
);

export const RevisionSchema = named(
  "Revision",
  "An earlier version of a chapter's prose.",
  z.strictObject({ id: int, source: z.enum(["generated", "edited"]), content: z.string(), wordCount: int, createdAt: date }),
);
export const RevisionList = named("RevisionList", "The last versions of the prose, newest first.", z.strictObject({ revisions: z.array(RevisionSchema) }));

// ---------------------------------------------------------------- generation

export const JobStatusSchema = z.enum(["queued", "running", "succeeded", "partial", "failed", "cancelled"]);

export const JobSchema = named(
  "Job",
  "A generation job: what it runs, how far it is and what it cost.",
  z.strictObject({
    id: int,
    storyId: int,
    stage,
    status: JobStatusSchema,
    currentStage: unitStage.nullable(),
    mode: z.enum(BOOK_MODES).nullable().meta({ description: "How its chapters are written, for book and chapter runs" }),
    params: z.record(z.string(), z.unknown()),
    unitsTotal: int,
    unitsDone: int,
    unitsFailed: int,
    predictedCost: int,
    predictedImageCost: int,
    actualCost: int,
    actualImageCost: int,
    error: z.string().nullable(),
    createdAt: date,
    startedAt: date.nullable(),
    finishedAt: date.nullable(),
  }),
);
export const JobResponse = named("JobResponse", "A job.", z.strictObject({ job: JobSchema }));
export const JobList = named("JobList", "The story's latest 50 jobs, newest first.", z.strictObject({ jobs: z.array(JobSchema) }));
export const JobUnitSchema = named(
  "JobUnit",
  "One unit (model call) of a job.",
  z.strictObject({
    unit: z.string(),
    stage: unitStage,
    chapterId: int.nullable(),
    status: z.enum(["pending", "succeeded", "failed", "cancelled"]),
    predictedCost: int,
    realCost: int.nullable(),
    error: z.string().nullable(),
  }),
);
export const JobDetail = named("JobDetail", "A job with its units.", z.strictObject({ job: JobSchema, units: z.array(JobUnitSchema) }));

const tier = z.enum(["standard", "reasoning"]);
export const TextBreakdownSchema = named(
  "TextBreakdown",
  "How a text call's credits are computed: tokens per credit, base credits per side, modifiers.",
  z.strictObject({
    kind: z.literal("text"),
    tier,
    action: z.string(),
    inputTokens: int,
    outputTokens: int,
    inputTokensPerCredit: z.number(),
    outputTokensPerCredit: z.number(),
    baseInput: z.number(),
    baseOutput: z.number(),
    inputModifier: z.number(),
    outputModifier: z.number(),
    modifiedInput: z.number(),
    modifiedOutput: z.number(),
    total: z.number(),
  }),
);
export const ImageBreakdownSchema = named(
  "ImageBreakdown",
  "How an image's credits are computed.",
  z.strictObject({
    kind: z.literal("image"),
    pricePerImage: z.number(),
    modifier: z.number(),
    images: int,
    perImage: z.number(),
    total: z.number(),
  }),
);

export const EstimateUnitSchema = named(
  "EstimateUnit",
  "The prediction for one unit (model call).",
  z.strictObject({
    unit: z.string(),
    stage: unitStage,
    chapterId: int.nullable(),
    after: z.array(z.string()).optional().meta({ description: "Units of the same job that must succeed first" }),
    optional: z.boolean().optional().meta({ description: "Runs only when needed; counted in maxTotals only" }),
    creditType,
    model: z.string(),
    credits: int,
    breakdown: z.discriminatedUnion("kind", [TextBreakdownSchema, ImageBreakdownSchema]),
    maxOutputTokens: int.meta({ description: "The output cap sent with the call (0: not a chat call)" }),
    maxCredits: int.meta({ description: "The unit's price at its output cap: the most it can be charged" }),
  }),
);
export const EstimateSchema = named(
  "Estimate",
  "Predicted credits for a stage, a chapter subset or the whole book, with the caller's balance.",
  z.strictObject({
    stage,
    mode: z.enum(BOOK_MODES).nullable(),
    plan: z.array(unitStage).meta({ description: "For book: the stages that will run, in order" }),
    totals: CreditsSchema,
    maxTotals: CreditsSchema.meta({ description: "The most it can cost: every call at its output cap" }),
    wallSeconds: z.number().min(0).meta({ description: "A rough guide to how long it takes, in seconds" }),
    balance: CreditsSchema,
    units: z.array(EstimateUnitSchema),
  }),
);

// ---------------------------------------------------------------- social

export const PublicStorySchema = named(
  "PublicStory",
  "A story as readers see it in lists (Explore, spotlight, favourites).",
  StorySchema.extend({
    favorited: z.boolean().meta({ description: "The viewer has this story among their favourites" }),
    chaptersWritten: int.meta({ description: "Chapters with prose (chaptersCount counts the planned ones)" }),
  }),
);
export const StoryPageSchema = named("StoryPage", "One page of public stories.", z.strictObject({ stories: z.array(PublicStorySchema), ...page }));
export const SpotlightSchema = named("Spotlight", "The admins' picks that are public now.", z.strictObject({ stories: z.array(PublicStorySchema) }));

export const StorySocialSchema = named(
  "StorySocial",
  "The viewer's standing with one story.",
  z.strictObject({ favorited: z.boolean(), reported: z.boolean(), favoritesCount: int, commentsCount: int, own: z.boolean() }),
);
export const FavoriteStateSchema = named("FavoriteState", "My favourite mark and the story's count.", z.strictObject({ favorited: z.boolean(), favoritesCount: int }));
export const ReportStateSchema = named("ReportState", "Whether I have reported the story.", z.strictObject({ reported: z.boolean() }));

export const CommentSchema = named(
  "Comment",
  "A comment on a story.",
  z.strictObject({
    id: int,
    storyId: int,
    userId: int,
    author: z.string(),
    body: z.string(),
    createdAt: date,
    updatedAt: date.nullable().meta({ description: "Set once the comment has been edited" }),
  }),
);
export const CommentResponse = named("CommentResponse", "A comment.", z.strictObject({ comment: CommentSchema }));
export const CommentPageSchema = named("CommentPage", "Comments, newest first.", z.strictObject({ comments: z.array(CommentSchema), ...page }));

export const NewsItemSchema = named(
  "NewsItem",
  "A news item.",
  z.strictObject({ id: int, title: z.string(), body: z.string(), published: z.boolean(), createdAt: date }),
);
export const NewsList = named("NewsList", "Published news, newest first.", z.strictObject({ news: z.array(NewsItemSchema) }));
export const NewsResponse = named("NewsResponse", "A news item.", z.strictObject({ news: NewsItemSchema }));
export const NewsPage = named("NewsPage", "All news, newest first.", z.strictObject({ news: z.array(NewsItemSchema), ...page }));

export const FeedbackItemSchema = named(
  "FeedbackItem",
  "A message a user sent the admins.",
  z.strictObject({ id: int, userId: int.nullable(), username: z.string().nullable(), message: z.string(), createdAt: date }),
);
export const FeedbackResponse = named("FeedbackResponse", "The feedback as stored.", z.strictObject({ feedback: FeedbackItemSchema }));
export const FeedbackPage = named("FeedbackPage", "Feedback, newest first.", z.strictObject({ feedback: z.array(FeedbackItemSchema), ...page }));

export const TagSuggestions = named("TagSuggestions", "Tag names for autocomplete.", z.strictObject({ tags: z.array(z.string()) }));

// ---------------------------------------------------------------- billing

export const CreditPackageSchema = named(
  "CreditPackage",
  "A credit package for sale.",
  z.strictObject({ id: int, name: z.string(), creditType, credits: int, priceUsd: z.number() }),
);
export const PlanSchema = named(
  "Plan",
  "A monthly plan (a paid role) for sale.",
  z.strictObject({ id: int, name: z.string(), monthlyTextCredits: int, monthlyImageCredits: int, priceUsd: z.number() }),
);
export const BillingCatalogSchema = named(
  "BillingCatalog",
  "What is for sale, whether payments are on, and the caller's plan.",
  z.strictObject({
    enabled: z.boolean().meta({ description: "False when the server has no Stripe keys: show message instead of buy buttons" }),
    message: z.string().nullable(),
    publishableKey: z.string().nullable(),
    packages: z.array(CreditPackageSchema),
    roles: z.array(PlanSchema),
    account: z
      .strictObject({ roleId: int, role: z.string(), subscribed: z.boolean(), hasBillingAccount: z.boolean() })
      .nullable()
      .meta({ description: "The caller's plan, when signed in" }),
  }),
);
export const CheckoutSessionSchema = named("CheckoutSession", "A Stripe Checkout session to send the browser to.", z.strictObject({ id: z.string(), url: z.string() }));
export const PortalSessionSchema = named("PortalSession", "A Stripe billing portal session to send the browser to.", z.strictObject({ url: z.string() }));
export const WebhookReceiptSchema = named(
  "WebhookReceipt",
  "The event was verified; outcome says whether it changed anything.",
  z.strictObject({ received: z.literal(true), outcome: z.enum(["processed", "duplicate", "ignored"]) }),
);

// ---------------------------------------------------------------- admin

export const AdminRoleSchema = named(
  "AdminRole",
  "A role as admins see it; a priced one is a monthly plan.",
  PlanSchema.extend({ isAdmin: z.boolean(), protected: z.boolean(), active: z.boolean(), stripePriceId: z.string().nullable(), createdAt: date }),
);
export const AdminRoleList = named("AdminRoleList", "All roles.", z.strictObject({ roles: z.array(AdminRoleSchema) }));
export const AdminRoleResponse = named("AdminRoleResponse", "A role.", z.strictObject({ role: AdminRoleSchema }));
export const AdminPackageSchema = named(
  "AdminPackage",
  "A credit package as admins see it.",
  CreditPackageSchema.extend({ active: z.boolean(), stripePriceId: z.string().nullable(), createdAt: date }),
);
export const AdminPackageList = named("AdminPackageList", "All credit packages.", z.strictObject({ packages: z.array(AdminPackageSchema) }));
export const AdminPackageResponse = named("AdminPackageResponse", "A credit package.", z.strictObject({ package: AdminPackageSchema }));

export const AdminUserSchema = named(
  "AdminUser",
  "A user as admins see them.",
  z.strictObject({
    id: int,
    username: z.string(),
    email: z.string(),
    roleId: int,
    role: z.string(),
    isAdmin: z.boolean(),
    verified: z.boolean(),
    showMature: z.boolean(),
    isLocked: z.boolean(),
    underReview: z.boolean(),
    credits: CreditsSchema,
    createdAt: date,
    lastLoginAt: date.nullable(),
    lastLoginIp: z.string().nullable(),
  }),
);
export const AdminUserPage = named("AdminUserPage", "Users, newest first, 50 a page.", z.strictObject({ users: z.array(AdminUserSchema), ...page }));
export const AdminUserResponse = named("AdminUserResponse", "A user.", z.strictObject({ user: AdminUserSchema }));
export const CreditsResponse = named("CreditsResponse", "The user's balances after the change.", z.strictObject({ credits: CreditsSchema }));

export const TokenCostSchema = named(
  "TokenCost",
  "USD prices behind credits: per credit and per million tokens (standard and reasoning tiers), and per image.",
  z.strictObject({
    costPerCredit: z.number(),
    costPer1mInput: z.number(),
    costPer1mOutput: z.number(),
    o1CostPerCredit: z.number(),
    o1CostPer1mInput: z.number(),
    o1CostPer1mOutput: z.number(),
    dallEPricePerImage: z.number(),
  }),
);
export const StageSettingsSchema = named(
  "StageSettings",
  "A stage's model, price tier and predicted output tokens.",
  z.strictObject({ stage: z.enum(STAGE_CONFIG_KEYS), model: z.string(), tier, predictedOutputTokens: int }),
);
export const PricingSchema = named(
  "Pricing",
  "The price tables with example costs of a chapter, a cast and an image.",
  z.strictObject({
    tokenCost: TokenCostSchema,
    creditConfig: z.array(z.strictObject({ action: z.string(), type: creditType, modifier: z.number() })),
    stages: z.array(StageSettingsSchema),
    examples: z.strictObject({
      chapter: TextBreakdownSchema.extend({ label: z.string() }),
      meta: TextBreakdownSchema.extend({ label: z.string() }),
      image: ImageBreakdownSchema.extend({ label: z.string() }),
    }),
  }),
);

export const SiteSchema = named(
  "Site",
  "Site switches and the credits a new account starts with.",
  z.strictObject({ registrationDisabled: z.boolean(), maintenanceMode: z.boolean(), signupTextCredits: int, signupImageCredits: int }),
);
export const SiteResponse = named("SiteResponse", "The site settings.", z.strictObject({ site: SiteSchema }));

export const AnalyticsSchema = named(
  "Analytics",
  "One period's economics: revenue, provider cost, credits charged, margin and prediction error per stage.",
  z.strictObject({
    from: date,
    to: date,
    revenueUsd: z.number(),
    purchases: int,
    providerCostUsd: z.number(),
    marginUsd: z.number(),
    creditsCharged: CreditsSchema,
    usage: z.strictObject({
      usd: z.number(),
      calls: int,
      inputTokens: int,
      cachedInputTokens: int,
      outputTokens: int,
      reasoningTokens: int,
    }),
    ceiling: z.strictObject({
      cappedUnits: int.meta({ description: "Units whose real usage was priced above their hold" }),
      creditsForgone: int.meta({ description: "What the ceiling kept authors from paying" }),
    }),
    predictionError: z.array(
      z.strictObject({
        stage: z.string(),
        units: int,
        predicted: int,
        actual: int,
        bias: z.number().nullable().meta({ description: "actual / predicted − 1: positive means we under-quoted" }),
        meanAbsError: z.number(),
      }),
    ),
  }),
);

export const AdminTagSchema = named("AdminTag", "A tag with how many stories carry it.", z.strictObject({ id: int, name: z.string(), stories: int }));
export const AdminTagPage = named("AdminTagPage", "Tags by name.", z.strictObject({ tags: z.array(AdminTagSchema), ...page }));
export const AdminTagResponse = named("AdminTagResponse", "A tag.", z.strictObject({ tag: AdminTagSchema }));

export const StoryReportSchema = named(
  "StoryReport",
  "A reader's report of a story.",
  z.strictObject({ userId: int, username: z.string(), reason: z.string().nullable(), createdAt: date }),
);
export const AdminStorySchema = named(
  "AdminStory",
  "A story with its report count, latest reports and whether its author is under review.",
  StorySchema.extend({ reports: int, recentReports: z.array(StoryReportSchema), authorUnderReview: z.boolean() }),
);
export const AdminStoryPage = named("AdminStoryPage", "Stories, newest first, 50 a page.", z.strictObject({ stories: z.array(AdminStorySchema), ...page }));
export const StoryResponse = named("StoryResponse", "A story.", z.strictObject({ story: StorySchema }));

// ---------------------------------------------------------------- this document

export const OpenApiDocumentSchema = named(
  "OpenApiDocument",
  "An OpenAPI 3.1 document.",
  z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
);
