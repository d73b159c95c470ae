// Request schemas shared by the Worker (validation, OpenAPI) and the client (forms).
// Objects are strict: an unknown field is a 400 naming it, never silently written.
import { z } from "zod";
import { CREDIT_ACTIONS, STAGE_CONFIG_KEYS, STAGES, UNIT_STAGES } from "./stages";
import { hasForbiddenChars } from "./xml";

export const LIMITS = {
  title: 200,
  details: 10_000,
  inspirations: 2_000,
  writingStyle: 2_000,
  tag: 40,
  tags: 20,
  chapters: 100,
  name: 100,
  description: 4_000,
  dialogue: 4_000,
  people: 60,
  arc: 4_000,
  arcs: 40,
  summary: 4_000,
  content: 300_000,
  parts: 40,
  part: 4_000,
  prompt: 4_000,
  instructions: 4_000,
  tokenName: 60,
  comment: 4_000,
} as const;

/** No control characters (tab and line breaks aside): they break XML exports and mean nothing in prose. */
const noControl = (s: string) => !hasForbiddenChars(s);
const CONTROL = "No control characters";
const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`).refine(noControl, CONTROL);
const required = (max: number) => text(max).min(1, "Required");
/** A path id: digits only (no "1e3", "0x1" or "-1"). */
const id = z.string().regex(/^[1-9]\d{0,14}$/, "Not an id").transform(Number);

// ---------------------------------------------------------------- accounts

export const usernameSchema = z
  .string()
  .trim()
  .min(3, "At least 3 characters")
  .max(32, "At most 32 characters")
  .regex(/^[A-Za-z0-9_.-]+$/, "Letters, digits, dot, dash and underscore only");

export const emailSchema = z
  .string()
  .trim()
  .max(254, "At most 254 characters")
  .pipe(z.email("Not a valid e-mail address"))
  .transform((e) => e.toLowerCase());

export const passwordSchema = z
  .string()
  .min(8, "At least 8 characters")
  .max(200, "At most 200 characters")
  .refine((p) => /[a-z]/.test(p), "Needs a lowercase letter")
  .refine((p) => /[A-Z]/.test(p), "Needs an uppercase letter")
  .refine((p) => /\d/.test(p), "Needs a digit")
  .refine((p) => /[^A-Za-z0-9]/.test(p), "Needs a symbol");

export const RegisterBody = z.strictObject({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export const LoginBody = z.strictObject({
  login: required(254),
  password: z.string().min(1, "Required").max(200),
});
export const ForgotBody = z.strictObject({ email: emailSchema });
export const ResetBody = z.strictObject({ token: required(200), password: passwordSchema });
export const VerifyQuery = z.object({ token: required(200) });
export const UnlockBody = z.strictObject({ token: required(200) });
export const UpdateMeBody = z
  .strictObject({
    currentPassword: z.string().max(200).optional(),
    newPassword: passwordSchema.optional(),
    /** With a new password: also delete every API token (the default), or keep them (false). */
    revokeTokens: z.boolean().optional(),
    showMature: z.boolean().optional(),
  })
  .refine((b) => !b.newPassword || b.currentPassword, {
    message: "Required to change the password",
    path: ["currentPassword"],
  })
  .refine((b) => b.revokeTokens === undefined || b.newPassword, {
    message: "Only together with newPassword",
    path: ["revokeTokens"],
  });
export const CreateTokenBody = z.strictObject({ name: required(LIMITS.tokenName) });

// ---------------------------------------------------------------- stories

const tagList = z
  .array(required(LIMITS.tag).regex(/^[^<>]*$/, "No angle brackets"))
  .max(LIMITS.tags, `At most ${LIMITS.tags} tags`);

const storyFields = {
  title: required(LIMITS.title),
  details: text(LIMITS.details),
  tags: tagList,
  inspirations: text(LIMITS.inspirations),
  writingStyle: text(LIMITS.writingStyle),
  chaptersCount: z.number().int().min(1, "At least 1").max(LIMITS.chapters, `At most ${LIMITS.chapters}`),
  targetChapterWords: z.number().int().min(300, "At least 300").max(10_000, "At most 10000"),
  shared: z.boolean(),
  mature: z.boolean(),
  coverImagePrompt: text(LIMITS.prompt),
};

export const CreateStoryBody = z.strictObject({
  ...storyFields,
  details: storyFields.details.default(""),
  tags: storyFields.tags.default([]),
  inspirations: storyFields.inspirations.default(""),
  writingStyle: storyFields.writingStyle.default(""),
  targetChapterWords: storyFields.targetChapterWords.default(2500),
  shared: storyFields.shared.default(false),
  mature: storyFields.mature.default(false),
  coverImagePrompt: storyFields.coverImagePrompt.optional(),
});
export const UpdateStoryBody = z.strictObject(storyFields).partial();

/** Other names the prose may use for a character or a place (a nickname, a title). */
const aliasList = z.array(required(LIMITS.name)).max(10, "At most 10 aliases").default([]);
export const CharacterInput = z.strictObject({
  name: required(LIMITS.name),
  description: text(LIMITS.description).default(""),
  exampleDialogue: text(LIMITS.dialogue).default(""),
  aliases: aliasList,
});
export const LocationInput = z.strictObject({
  name: required(LIMITS.name),
  description: text(LIMITS.description).default(""),
  aliases: aliasList,
});
const uniqueNames = (items: { name: string }[]) =>
  new Set(items.map((i) => i.name.toLowerCase())).size === items.length;
export const MetaBody = z.strictObject({
  characters: z
    .array(CharacterInput)
    .max(LIMITS.people)
    .refine(uniqueNames, "Character names must be unique"),
  locations: z
    .array(LocationInput)
    .max(LIMITS.people)
    .refine(uniqueNames, "Location names must be unique"),
});
export const ArcsBody = z.strictObject({
  arcs: z.array(required(LIMITS.arc)).max(LIMITS.arcs, `At most ${LIMITS.arcs} arcs`),
});
export const OutlineBody = z.strictObject({
  chapters: z
    .array(
      z.strictObject({
        id: z.number().int().positive().optional(),
        title: text(LIMITS.title),
        summary: text(LIMITS.summary),
      }),
    )
    .max(LIMITS.chapters, `At most ${LIMITS.chapters} chapters`)
    .refine((cs) => {
      const ids = cs.flatMap((c) => (c.id ? [c.id] : []));
      return new Set(ids).size === ids.length;
    }, "A chapter id appears twice"),
  deleteMissing: z.boolean().default(false),
});
export const UpdateChapterBody = z.strictObject({
  title: text(LIMITS.title).optional(),
  summary: text(LIMITS.summary).optional(),
  content: z.string().max(LIMITS.content, `At most ${LIMITS.content} characters`).refine(noControl, CONTROL).optional(),
  imagePrompt: text(LIMITS.prompt).optional(),
});
export const GuidePart = z.strictObject({
  text: required(LIMITS.part),
  characters: z.array(required(LIMITS.name)).max(LIMITS.people).default([]),
  locations: z.array(required(LIMITS.name)).max(LIMITS.people).default([]),
});
// ---------------------------------------------------------------- memory (docs/MEMORY.md)

const line = (max: number) => text(max).default("");
const lines = (max: number, n: number) => z.array(required(max)).max(n, `At most ${n}`).default([]);
const personName = required(LIMITS.name);

/** Where a character is, in what state, what they know and what they carry. */
export const CharacterStateSchema = z.strictObject({
  name: personName,
  where: line(300),
  condition: line(300),
  knows: lines(300, 20),
  has: lines(300, 20),
});
/** What must be true at a chapter's start (its entry) or end (its exit): the next chapter's entry is this chapter's exit. */
export const ContractSchema = z.strictObject({
  place: line(300),
  time: line(200),
  present: z.array(personName).max(LIMITS.people).default([]),
  states: z.array(CharacterStateSchema).max(LIMITS.people).default([]),
  openThreads: lines(300, 30),
});
export const DIGEST_SUMMARY_WORDS = 120;
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
/** What the book remembers from a chapter's prose. */
export const DigestSchema = z.strictObject({
  summary: text(2_000).refine((s) => words(s) <= DIGEST_SUMMARY_WORDS, `At most ${DIGEST_SUMMARY_WORDS} words`),
  ending: z.strictObject({
    place: line(300),
    time: line(200),
    present: z.array(personName).max(LIMITS.people).default([]),
    lastBeat: line(600),
  }),
  states: z.array(CharacterStateSchema).max(LIMITS.people).default([]),
  facts: z.array(z.strictObject({ text: required(500), quote: required(500) })).max(60, "At most 60 facts").default([]),
  threadsOpened: lines(300, 30),
  threadsClosed: lines(300, 30),
  firstMeetings: z.array(z.tuple([personName, personName])).max(30, "At most 30").default([]),
});
export type CharacterState = z.infer<typeof CharacterStateSchema>;
export type Contract = z.infer<typeof ContractSchema>;
export type Digest = z.infer<typeof DigestSchema>;
export const DigestBody = DigestSchema;

/** Rename a name everywhere in a story: prose, outline, beats, and the cast or places that have it. */
export const RenameBody = z
  .strictObject({ from: required(LIMITS.name), to: required(LIMITS.name) })
  .refine((b) => b.from !== b.to, { message: "The new name is the same as the old one", path: ["to"] });
export type RenameInput = z.infer<typeof RenameBody>;
export const FindingParams = z.object({ id, findingId: z.string().regex(/^[a-z0-9_-]{4,64}$/i, "Not a finding id") });

export const GuideBody = z.strictObject({
  /** Left out: the beats stay as they are (the contracts alone are saved). */
  parts: z.array(GuidePart).max(LIMITS.parts, `At most ${LIMITS.parts} parts`).optional(),
  /** The chapter's contracts; the entry is stored as the previous chapter's exit (or the book's opening). */
  entry: ContractSchema.nullable().optional(),
  exit: ContractSchema.nullable().optional(),
});

// ---------------------------------------------------------------- generation

export const BOOK_MODES = ["sequential", "hybrid", "parallel"] as const;
export type BookMode = (typeof BOOK_MODES)[number];
const bookMode = z.enum(BOOK_MODES, `One of: ${BOOK_MODES.join(", ")}`);

export const GenerateBody = z.strictObject({
  stage: z.enum(STAGES, `One of: ${STAGES.join(", ")}`),
  /** How a book's or chapters' prose is written (docs/MEMORY.md); hybrid when left out. */
  mode: bookMode.optional(),
  chapterIds: z.array(z.number().int().positive()).min(1, "Give at least one chapter, or leave it out").max(LIMITS.chapters).optional(),
  prompt: text(LIMITS.prompt).optional(),
  instructions: text(LIMITS.instructions).optional(),
  regenerate: z.boolean().optional(),
});
export type GenerateInput = z.infer<typeof GenerateBody>;

export const EstimateQuery = z.object({
  stage: z.enum(STAGES, `One of: ${STAGES.join(", ")}`),
  chapterIds: z
    .string()
    .regex(/^\d+(,\d+)*$/, "Comma-separated chapter ids")
    .transform((s) => s.split(",").map(Number))
    .optional(),
  regenerate: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  mode: bookMode.optional(),
});

/** The format's id is checked against the registry of export formats (src/domain/export.ts). */
export const ExportQuery = z.object({ format: z.string().trim().min(1, "Required").max(20, "Not a format").default("epub") });

export const StoryParams = z.object({ id });
export const ChapterParams = z.object({ id, chapterId: id });
export const RevisionParams = z.object({ id, chapterId: id, revId: id });
export const IdParam = z.object({ id });

export type CreateStoryInput = z.infer<typeof CreateStoryBody>;
export type UpdateStoryInput = z.infer<typeof UpdateStoryBody>;
export type MetaInput = z.infer<typeof MetaBody>;
export type OutlineInput = z.infer<typeof OutlineBody>;
export type GuideInput = z.infer<typeof GuideBody>;
export type UpdateChapterInput = z.infer<typeof UpdateChapterBody>;

// ---------------------------------------------------------------- admin

const positive = z.number().positive("Must be a positive number").finite("Must be finite").max(1e9, "Too large");
export const TokenCostPatch = z.strictObject({
  costPerCredit: positive,
  costPer1mInput: positive,
  costPer1mOutput: positive,
  o1CostPerCredit: positive,
  o1CostPer1mInput: positive,
  o1CostPer1mOutput: positive,
  dallEPricePerImage: positive,
});
export const PricingPatch = z.strictObject({
  tokenCost: TokenCostPatch.partial().optional(),
  creditConfig: z
    .array(z.strictObject({ action: z.enum(CREDIT_ACTIONS, "Unknown action"), modifier: positive.max(10_000, "At most 10000") }))
    .max(CREDIT_ACTIONS.length)
    .optional(),
  stages: z
    .array(
      z.strictObject({
        stage: z.enum(STAGE_CONFIG_KEYS, "Unknown stage"),
        model: z.string().trim().min(1, "Required").max(100).optional(),
        tier: z.enum(["standard", "reasoning"]).optional(),
        predictedOutputTokens: z.number().int().min(0).max(1_000_000).optional(),
      }),
    )
    .max(STAGE_CONFIG_KEYS.length)
    .optional(),
});
export type PricingPatchInput = z.infer<typeof PricingPatch>;

export const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
export const AdminUsersQuery = PageQuery.extend({ q: z.string().trim().max(100).optional() });
export const AdminUserPatch = z
  .strictObject({
    roleId: z.number().int().positive().optional(),
    isLocked: z.boolean().optional(),
    underReview: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change");
export const CreditAdjustBody = z.strictObject({
  type: z.enum(["text", "image"], "text or image"),
  delta: z
    .number()
    .int("Whole credits only")
    .refine((d) => d !== 0, "Must not be zero")
    .refine((d) => Math.abs(d) <= 10_000_000, "At most 10 000 000 at once"),
  reason: required(500),
});
export const AdminGenerationsQuery = PageQuery.extend({
  user: z.string().trim().max(100).optional(),
  status: z.enum(["pending", "succeeded", "failed", "cancelled"]).optional(),
  stage: z.enum(UNIT_STAGES).optional(),
});
export const SitePatch = z
  .strictObject({
    registrationDisabled: z.boolean().optional(),
    maintenanceMode: z.boolean().optional(),
    signupTextCredits: z.number().int().min(0).max(1_000_000).optional(),
    signupImageCredits: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change");
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, "A date like 2026-01-31")
  .refine((s) => !Number.isNaN(Date.parse(s)), "Not a real date");
export const AnalyticsQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });

// ---------------------------------------------------------------- billing

// Prices are whole cents (Stripe's unit_amount = Math.round(usd × 100)); 0.50 is Stripe's minimum charge.
const wholeCents = (usd: number) => Math.abs(usd * 100 - Math.round(usd * 100)) < 1e-6;
const dollars = z
  .number("A number of US dollars")
  .max(10_000, "At most 10000")
  .refine(wholeCents, "At most two decimals (whole cents)");
const chargeableDollars = dollars.min(0.5, "At least 0.50");
const roleDollars = dollars
  .min(0, "At least 0")
  .refine((usd) => usd === 0 || usd >= 0.5, "0 for a free role, or at least 0.50");
const creditCount = z.number("A whole number").int("Whole credits only").min(0, "At least 0").max(10_000_000, "At most 10000000");
const roleName = z
  .string()
  .trim()
  .min(2, "At least 2 characters")
  .max(40, "At most 40 characters")
  .regex(/^[A-Za-z0-9 _.-]+$/, "Letters, digits, spaces, dot, dash and underscore only");
const changesSomething = (patch: object) => Object.keys(patch).length > 0;

const roleFields = z.strictObject({
  name: roleName,
  isAdmin: z.boolean(),
  monthlyTextCredits: creditCount,
  monthlyImageCredits: creditCount,
  priceUsd: roleDollars,
});
// Admin rights are never for sale.
const notPaidAdmin = (r: { isAdmin?: boolean; priceUsd?: number }) => !(r.isAdmin && (r.priceUsd ?? 0) > 0);
export const RoleBody = roleFields
  .extend({
    isAdmin: roleFields.shape.isAdmin.default(false),
    monthlyTextCredits: creditCount.default(0),
    monthlyImageCredits: creditCount.default(0),
    priceUsd: roleDollars.default(0),
  })
  .refine(notPaidAdmin, { message: "A paid role cannot grant admin rights", path: ["isAdmin"] });
export const RolePatch = roleFields
  .partial()
  .refine(changesSomething, "Nothing to change")
  .refine(notPaidAdmin, { message: "A paid role cannot grant admin rights", path: ["isAdmin"] });

export const PackageBody = z.strictObject({
  name: required(80),
  creditType: z.enum(["text", "image"], "text or image"),
  credits: creditCount.min(1, "At least 1"),
  priceUsd: chargeableDollars,
});
export const PackagePatch = PackageBody.partial().refine(changesSomething, "Nothing to change");

export const CheckoutBody = z
  .strictObject({
    packageId: z.number("A package id").int().positive().optional(),
    roleId: z.number("A role id").int().positive().optional(),
  })
  .refine((b) => (b.packageId === undefined) !== (b.roleId === undefined), {
    message: "Give either packageId or roleId",
    path: ["packageId"],
  });

export type RoleInput = z.infer<typeof RoleBody>;
export type RolePatchInput = z.infer<typeof RolePatch>;
export type PackageInput = z.infer<typeof PackageBody>;
export type PackagePatchInput = z.infer<typeof PackagePatch>;
export type CheckoutInput = z.infer<typeof CheckoutBody>;

// ---- social
// Explore, favourites, reports, comments, news, feedback and tags.

export const SOCIAL_LIMITS = {
  search: 100,
  reason: 500,
  feedback: 4_000,
  newsTitle: 200,
  newsBody: 20_000,
} as const;
export const EXPLORE_SORTS = ["recent", "favorites", "chapters"] as const;

/** Text people write for others to read: Markdown and a lone "<" are fine, HTML tags are not. */
const HTML_TAG = /<\/?[a-z!?][^>]*>/i;
const noHtml = (s: string) => !HTML_TAG.test(s);
const plain = (max: number) => text(max).refine(noHtml, "No HTML tags");
const plainRequired = (max: number) => required(max).refine(noHtml, "No HTML tags");
/** Tag names travel comma-separated in Explore's query string: no commas in new ones. */
const tagName = required(LIMITS.tag).regex(/^[^<>,]*$/, "No angle brackets or commas");
const yesNo = z.enum(["true", "false"], "true or false").transform((v) => v === "true");

export const ExploreQuery = PageQuery.extend({
  q: z.string().trim().max(SOCIAL_LIMITS.search, `At most ${SOCIAL_LIMITS.search} characters`).optional(),
  tags: z
    .string()
    .max(LIMITS.tags * (LIMITS.tag + 1), "Too long")
    .transform((s) => s.split(",").map((t) => t.trim()).filter(Boolean))
    .pipe(
      z
        .array(required(LIMITS.tag).regex(/^[^<>]*$/, "No angle brackets"))
        .max(LIMITS.tags, `At most ${LIMITS.tags} tags`),
    )
    .optional(),
  sort: z.enum(EXPLORE_SORTS, `One of: ${EXPLORE_SORTS.join(", ")}`).default("recent"),
});
export const TagsQuery = z.object({ q: z.string().trim().max(LIMITS.tag, `At most ${LIMITS.tag} characters`).optional() });
/** POST routes that take no input still refuse unknown fields. */
export const EmptyBody = z.strictObject({});
export const FlagBody = z.strictObject({ reason: plain(SOCIAL_LIMITS.reason).optional() });
export const CommentBody = z.strictObject({ body: plainRequired(LIMITS.comment) });
export const FeedbackBody = z.strictObject({ message: plainRequired(SOCIAL_LIMITS.feedback) });

export const TagBody = z.strictObject({ name: tagName });
export const AdminTagsQuery = PageQuery.extend({ q: z.string().trim().max(LIMITS.tag).optional() });
const newsFields = {
  title: plainRequired(SOCIAL_LIMITS.newsTitle),
  body: plainRequired(SOCIAL_LIMITS.newsBody),
  published: z.boolean(),
};
export const NewsBody = z.strictObject({ ...newsFields, published: newsFields.published.default(true) });
export const NewsPatch = z.strictObject(newsFields).partial().refine(changesSomething, "Nothing to change");
export const AdminStoriesQuery = PageQuery.extend({
  flagged: yesNo.optional(),
  spotlight: yesNo.optional(),
  q: z.string().trim().max(SOCIAL_LIMITS.search).optional(),
});
export const SpotlightBody = z.strictObject({ spotlight: z.boolean() });

export type ExploreInput = z.infer<typeof ExploreQuery>;
export type NewsInput = z.infer<typeof NewsBody>;
export type NewsPatchInput = z.infer<typeof NewsPatch>;
export type AdminStoriesInput = z.infer<typeof AdminStoriesQuery>;
