// zod validation for route inputs. A failure throws the 400 envelope with one message per field.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { AppError } from "../domain/errors";

export function validationError(issues: readonly z.core.$ZodIssue[]): AppError {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const keys =
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => [...issue.path, k].join("."))
        : [issue.path.join(".") || "body"];
    const message = issue.code === "unrecognized_keys" ? "Unknown field" : issue.message;
    for (const key of keys) fields[key] ??= message;
  }
  const summary = Object.entries(fields)
    .slice(0, 3)
    .map(([k, m]) => `${k}: ${m}`)
    .join("; ");
  return new AppError("validation_failed", `Invalid input (${summary})`, { fields });
}

export const validate = <S extends z.ZodType, T extends keyof ValidationTargets>(target: T, schema: S) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(result.error.issues);
  });
