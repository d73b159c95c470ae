// One error type for the whole API. Its code decides the status; app.onError renders the
// envelope of every API error (docs/ARCHITECTURE.md, "How a request flows"): {"error": {"code", "message", "fields"?, ...extra}}.
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const STATUS = {
  validation_failed: 400,
  bad_request: 400,
  missing_prerequisites: 400,
  invalid_signature: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  insufficient_credits: 402,
  forbidden: 403,
  own_story: 403,
  under_review: 403,
  bad_origin: 403,
  account_locked: 403,
  email_not_verified: 403,
  registration_disabled: 403,
  not_found: 404,
  conflict: 409,
  story_not_public: 409,
  generation_in_progress: 409,
  role_protected: 409,
  already_subscribed: 409,
  no_billing_account: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  maintenance: 503,
  payments_disabled: 503,
  upstream_error: 502,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS;

export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { fields?: Record<string, string> } & Record<string, unknown> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what = "Resource") => new AppError("not_found", `${what} not found`);

export const fieldError = (field: string, message: string) =>
  new AppError("validation_failed", `${field}: ${message}`, { fields: { [field]: message } });
