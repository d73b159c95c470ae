// OpenAPI 3.1 for the whole API, generated from the same zod schemas the routes validate with.
// A test checks that this list and the app's routes match both ways, so the document cannot drift.
import { z } from "zod";
import * as S from "../shared/schemas";

type Method = "get" | "post" | "put" | "patch" | "delete";
type Auth = "none" | "user" | "admin" | "stripe";
type Op = {
  summary: string;
  auth?: Auth;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  status?: number;
};

const story = S.StoryParams;
const chapter = S.ChapterParams;
const id = S.IdParam;

export const OPERATIONS: Record<string, Partial<Record<Method, Op>>> = {
  "/api/health": { get: { summary: "Liveness check: {ok: true}", auth: "none" } },
  "/api/openapi.json": { get: { summary: "This document", auth: "none" } },
  "/api/docs": { get: { summary: "This document as a readable page", auth: "none" } },
  "/api/auth/session": { get: { summary: "The signed-in user, or {user: null} for visitors (always 200)", auth: "none" } },
  "/api/auth/register": { post: { summary: "Create an account and sign in (201 {user}); with e-mail verification on, 202 whether or not the name is free", auth: "none", body: S.RegisterBody, status: 201 } },
  "/api/auth/login": { post: { summary: "Sign in with username or e-mail", auth: "none", body: S.LoginBody } },
  "/api/auth/logout": { post: { summary: "Sign out of this browser", auth: "none" } },
  "/api/auth/forgot": { post: { summary: "Mail a password reset link (202, whether or not the address exists)", auth: "none", body: S.ForgotBody, status: 202 } },
  "/api/auth/reset": { post: { summary: "Set a new password with a reset link's token", auth: "none", body: S.ResetBody } },
  "/api/auth/unlock": { post: { summary: "Lift the sign-in pause of an account with the mailed unlock link's token", auth: "none", body: S.UnlockBody } },
  "/api/auth/verify": { get: { summary: "Confirm an e-mail address with the mailed token", auth: "none", query: S.VerifyQuery } },
  "/api/auth/verify/resend": { post: { summary: "Mail a new verification link", auth: "none", body: S.ForgotBody, status: 202 } },
  "/api/me": {
    get: { summary: "The signed-in user with credit balances" },
    patch: { summary: "Change password (with the current one) or the mature-content setting", body: S.UpdateMeBody },
  },
  "/api/me/tokens": {
    get: { summary: "API tokens (names and dates; the secret is never shown again)" },
    post: { summary: "Create an API token for Authorization: Bearer (shown once)", body: S.CreateTokenBody, status: 201 },
  },
  "/api/me/tokens/{id}": { delete: { summary: "Revoke an API token", params: id } },
  "/api/me/generations": { get: { summary: "My model calls with predicted and real cost", query: S.PageQuery } },
  "/api/me/notifications": { get: { summary: "My latest notifications" } },
  "/api/me/favorites": { get: { summary: "My favourite stories I can still read, most recently favourited first", query: S.PageQuery } },
  "/api/me/notifications/read": { post: { summary: "Mark all notifications read" } },
  "/api/ws": { get: { summary: "WebSocket upgrade: live events for every open tab (cookie, or ?token= with an API token)" } },
  "/api/stories": {
    get: { summary: "My stories" },
    post: { summary: "Create a story with its empty chapters", body: S.CreateStoryBody, status: 201 },
  },
  "/api/stories/{id}": {
    get: { summary: "A story with its cast, places, arcs and chapter list (no prose)", params: story },
    patch: { summary: "Change the story's details", params: story, body: S.UpdateStoryBody },
    delete: { summary: "Delete the story, its rows and its images", params: story },
  },
  "/api/stories/{id}/meta": { put: { summary: "Replace characters and locations", params: story, body: S.MetaBody } },
  "/api/stories/{id}/arcs": { put: { summary: "Replace the story arcs", params: story, body: S.ArcsBody } },
  "/api/stories/{id}/outline": {
    put: { summary: "Save the outline in array order; left-out chapters are kept unless deleteMissing", params: story, body: S.OutlineBody },
  },
  "/api/stories/{id}/chapters/{chapterId}": {
    get: { summary: "A chapter with its prose and beats", params: chapter },
    patch: { summary: "Edit title, summary, prose or image prompt (prose changes keep a revision)", params: chapter, body: S.UpdateChapterBody },
    delete: { summary: "Delete a chapter and renumber the rest", params: chapter },
  },
  "/api/stories/{id}/chapters/{chapterId}/guide": {
    put: { summary: "Replace the chapter's beats; names must be the story's characters and places", params: chapter, body: S.GuideBody },
  },
  "/api/stories/{id}/chapters/{chapterId}/digest": {
    put: { summary: "Correct what the book remembers from a chapter (every fact's quote must be in its prose)", params: chapter, body: S.DigestBody },
  },
  "/api/stories/{id}/chapters/{chapterId}/revisions": { get: { summary: "The last 10 versions of the prose", params: chapter } },
  "/api/stories/{id}/chapters/{chapterId}/revisions/{revId}/restore": {
    post: { summary: "Restore a revision (the current prose becomes a revision)", params: S.RevisionParams },
  },
  "/api/stories/{id}/export": {
    get: { summary: "Download the book: EPUB 3 with cover and chapter images, or Markdown", params: story, query: S.ExportQuery },
  },
  "/api/stories/{id}/continuity": {
    get: { summary: "The continuity report: every chapter's checks and verified contradictions, with the book's name clashes", params: story },
    post: { summary: "Check the whole book again now, and return the report", params: story, body: S.EmptyBody },
  },
  "/api/stories/{id}/continuity/{findingId}/dismiss": {
    post: { summary: "Dismiss a finding; it comes back marked dismissed until the text it quotes changes", params: S.FindingParams, body: S.EmptyBody },
  },
  "/api/stories/{id}/rename": {
    post: { summary: "Rename a name everywhere: prose (kept as revisions), outline, beats, and the character or place that has it", params: story, body: S.RenameBody },
  },
  "/api/stories/{id}/estimate": {
    get: { summary: "Predicted credits for a stage, a chapter subset or the whole book, with the breakdown", params: story, query: S.EstimateQuery },
  },
  "/api/stories/{id}/generate": {
    post: {
      summary: "Start a generation (202 {job}); 409 while another runs, 402 without credits, 400 naming missing prerequisites",
      params: story,
      body: S.GenerateBody,
      status: 202,
    },
  },
  "/api/stories/{id}/jobs": { get: { summary: "The story's generation jobs, newest first", params: story } },
  "/api/explore": {
    get: { summary: "Public stories of everyone: search title and details, all of the given tags, sort, 24 a page; mature ones only with showMature", query: S.ExploreQuery },
  },
  "/api/explore/spotlight": { get: { summary: "Public stories picked by the admins, newest first (at most 12)" } },
  "/api/stories/{id}/social": { get: { summary: "My favourite and report marks on a story I can read, with its counts", params: story } },
  "/api/stories/{id}/favorite": {
    post: { summary: "Favourite someone else's public story (idempotent): {favorited, favoritesCount}", params: story, body: S.EmptyBody },
    delete: { summary: "Remove my favourite (idempotent): {favorited, favoritesCount}", params: story },
  },
  "/api/stories/{id}/flag": {
    post: { summary: "Report someone else's public story (idempotent); at 5 reports it is unshared and flagged for review", params: story, body: S.FlagBody },
    delete: { summary: "Withdraw my report (a flagged story stays flagged until an admin clears it)", params: story },
  },
  "/api/stories/{id}/comments": {
    get: { summary: "Comments on a story I can read, newest first, 50 a page", params: story, query: S.PageQuery },
    post: { summary: "Comment on a story I can read; its author is notified (201 {comment})", params: story, body: S.CommentBody, status: 201 },
  },
  "/api/comments/{id}": {
    patch: { summary: "Edit my comment", params: id, body: S.CommentBody },
    delete: { summary: "Delete my comment (admins: any comment)", params: id },
  },
  "/api/news": { get: { summary: "Published news, newest first" } },
  "/api/feedback": { post: { summary: "Send feedback to the admins (201 {feedback}; at most 10 an hour)", body: S.FeedbackBody, status: 201 } },
  "/api/tags": { get: { summary: "Tag names starting with q, most used first (at most 20), for autocomplete", query: S.TagsQuery } },
  "/api/jobs/{id}": { get: { summary: "A job with its units", params: id } },
  "/api/jobs/{id}/cancel": { post: { summary: "Stop the units not started yet", params: id } },
  "/api/jobs/{id}/retry": { post: { summary: "Re-run only the failed units", params: id, status: 202 } },
  "/api/images/{id}/cover": { get: { summary: "The cover image (owner, or any signed-in reader of a shared story)", params: story } },
  "/api/images/{id}/chapters/{chapterId}": { get: { summary: "A chapter's image", params: chapter } },
  "/api/admin/pricing": {
    get: { summary: "Price tables: token costs, modifiers, stage models, with example costs", auth: "admin" },
    patch: { summary: "Change prices (validated, audit-logged); estimates follow at once", auth: "admin", body: S.PricingPatch },
  },
  "/api/admin/pricing/preview": { post: { summary: "Example costs under a draft price table, saving nothing", auth: "admin", body: S.PricingPatch } },
  "/api/admin/users": { get: { summary: "Users, searchable by name or e-mail", auth: "admin", query: S.AdminUsersQuery } },
  "/api/admin/users/{id}": {
    patch: { summary: "Change a user's role, lock or review flag", auth: "admin", params: id, body: S.AdminUserPatch },
    delete: { summary: "Delete a user with their stories", auth: "admin", params: id },
  },
  "/api/admin/users/{id}/credits": { post: { summary: "Add or remove credits, with a reason in the ledger", auth: "admin", params: id, body: S.CreditAdjustBody } },
  "/api/admin/generations": { get: { summary: "All model calls, filterable", auth: "admin", query: S.AdminGenerationsQuery } },
  "/api/admin/site": {
    get: { summary: "Site switches and signup grant", auth: "admin" },
    patch: { summary: "Change site switches (audit-logged)", auth: "admin", body: S.SitePatch },
  },
  "/api/admin/analytics": {
    get: { summary: "Revenue, provider cost, credits charged, margin and prediction error per stage", auth: "admin", query: S.AnalyticsQuery },
  },
  "/api/admin/roles": {
    get: { summary: "All roles, with their plan price and Stripe price", auth: "admin" },
    post: { summary: "Create a role; a priced one is a monthly plan with its Stripe price", auth: "admin", body: S.RoleBody, status: 201 },
  },
  "/api/admin/roles/{id}": {
    patch: { summary: "Change a role; a new price archives the old Stripe price (built-in roles: no rename, no price)", auth: "admin", params: id, body: S.RolePatch },
    delete: { summary: "Delete a role, or retire it while users or revenue refer to it; archives its price", auth: "admin", params: id },
  },
  "/api/admin/packages": {
    get: { summary: "All credit packages", auth: "admin" },
    post: { summary: "Create a credit package with its Stripe price", auth: "admin", body: S.PackageBody, status: 201 },
  },
  "/api/admin/packages/{id}": {
    patch: { summary: "Change a package; a new price or name archives the old Stripe price", auth: "admin", params: id, body: S.PackagePatch },
    delete: { summary: "Delete a package, or retire it once sold; archives its price", auth: "admin", params: id },
  },
  "/api/admin/tags": {
    get: { summary: "All tags with how many stories carry each", auth: "admin", query: S.AdminTagsQuery },
    post: { summary: "Create a tag (409 if the name exists in any case)", auth: "admin", body: S.TagBody, status: 201 },
  },
  "/api/admin/tags/{id}": {
    patch: { summary: "Rename a tag on every story (409 if another tag has the name)", auth: "admin", params: id, body: S.TagBody },
    delete: { summary: "Delete a tag and remove it from every story", auth: "admin", params: id },
  },
  "/api/admin/news": {
    get: { summary: "All news, published or not, newest first", auth: "admin", query: S.PageQuery },
    post: { summary: "Write a news item (published unless told otherwise)", auth: "admin", body: S.NewsBody, status: 201 },
  },
  "/api/admin/news/{id}": {
    patch: { summary: "Edit or (un)publish a news item", auth: "admin", params: id, body: S.NewsPatch },
    delete: { summary: "Delete a news item", auth: "admin", params: id },
  },
  "/api/admin/feedback": { get: { summary: "Feedback from users, newest first", auth: "admin", query: S.PageQuery } },
  "/api/admin/feedback/{id}": { delete: { summary: "Delete a feedback message", auth: "admin", params: id } },
  "/api/admin/stories": {
    get: { summary: "All stories with report counts and recent reports; filter flagged, spotlight, title or author", auth: "admin", query: S.AdminStoriesQuery },
  },
  "/api/admin/stories/{id}": { delete: { summary: "Delete a story with its rows and images; the author is told", auth: "admin", params: id } },
  "/api/admin/stories/{id}/spotlight": {
    post: { summary: "Put a public story in the spotlight, or take any story out", auth: "admin", params: id, body: S.SpotlightBody },
  },
  "/api/admin/stories/{id}/unflag": {
    post: { summary: "Clear the flag and the reports; the story stays unshared until its author shares it", auth: "admin", params: id, body: S.EmptyBody },
  },
  "/api/billing/catalog": { get: { summary: "Packages and plans for sale, and whether payments are on", auth: "none" } },
  "/api/billing/checkout": { post: { summary: "Stripe Checkout for a package or a plan: {id, url}; 503 when payments are off", body: S.CheckoutBody } },
  "/api/billing/portal": { post: { summary: "Stripe billing portal for the signed-in user: {url}" } },
  "/api/stripe/webhook": { post: { summary: "Stripe events, verified by the Stripe-Signature header; each applied once", auth: "stripe" } },
};

const schema = (t: z.ZodType) =>
  z.toJSONSchema(t, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>;

function parameters(where: "path" | "query", t: z.ZodType | undefined) {
  if (!t) return [];
  const s = schema(t) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name,
    in: where,
    required: where === "path" || (s.required ?? []).includes(name),
    schema: p,
  }));
}

const ERROR = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", examples: ["validation_failed", "generation_in_progress", "insufficient_credits"] },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" }, description: "One message per invalid field" },
        requestId: { type: "string" },
      },
    },
  },
};

let cached: Record<string, unknown> | null = null;

export function openApiDocument() {
  cached ??= {
    openapi: "3.1.0",
    info: {
      title: "NovelApp API",
      version: "1.0.0",
      description:
        "JSON API of NovelApp. Browsers authenticate with the session cookie; scripts with `Authorization: Bearer nvl_…` (create one at POST /api/me/tokens). Errors share one envelope.",
    },
    components: {
      securitySchemes: {
        cookie: { type: "apiKey", in: "cookie", name: "novel_session" },
        bearer: { type: "http", scheme: "bearer" },
      },
      schemas: { Error: ERROR },
    },
    paths: Object.fromEntries(
      Object.entries(OPERATIONS).map(([path, ops]) => [
        path,
        Object.fromEntries(
          Object.entries(ops).map(([method, op]) => [
            method,
            {
              summary: op.summary,
              tags: [path.split("/")[2]],
              ...(op.auth === "none" || op.auth === "stripe" ? { security: [] } : { security: [{ cookie: [] }, { bearer: [] }] }),
              ...(op.auth === "admin" ? { description: "Administrators only." } : {}),
              parameters: [...parameters("path", op.params), ...parameters("query", op.query)],
              ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schema(op.body) } } } } : {}),
              responses: {
                [String(op.status ?? 200)]: { description: "Success", content: { "application/json": { schema: { type: "object" } } } },
                default: { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
              },
            },
          ]),
        ),
      ]),
    ),
  };
  return cached;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** /api/docs: the same document, rendered on the server as plain HTML (no scripts to allow). */
export function docsPage(): string {
  const doc = openApiDocument() as { paths: Record<string, Record<string, any>> };
  const rows = Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) => `
<section>
  <h2><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h2>
  <p>${esc(op.summary)}${op.description ? ` <em>${esc(op.description)}</em>` : ""}</p>
  ${op.parameters.length ? `<details><summary>Parameters</summary><pre>${esc(JSON.stringify(op.parameters, null, 2))}</pre></details>` : ""}
  ${op.requestBody ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(op.requestBody.content["application/json"].schema, null, 2))}</pre></details>` : ""}
</section>`,
      ),
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>NovelApp API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c1b1f;background:#fbfaf7}
h1{font-family:Georgia,serif}h2{font-size:1rem;margin:1.5rem 0 .25rem}section{border-top:1px solid #ddd}
.m{display:inline-block;min-width:4.5rem;font-size:.8rem;padding:.1rem .4rem;border-radius:4px;color:#fff;background:#555;text-align:center}
.get{background:#2f6f4f}.post{background:#2b579a}.put{background:#8a5a00}.patch{background:#6b4c9a}.delete{background:#a33}
pre{background:#f0eee8;padding:.75rem;overflow:auto;font-size:.8rem}
@media (prefers-color-scheme:dark){body{background:#161513;color:#eee}pre{background:#24221f}section{border-color:#333}}
</style></head><body><h1>NovelApp API</h1>
<p>OpenAPI 3.1 document: <a href="/api/openapi.json">/api/openapi.json</a>. Authenticate with the session cookie or
<code>Authorization: Bearer nvl_…</code>. Errors: <code>{"error": {"code", "message", "fields"}}</code>.</p>${rows}</body></html>`;
}
