// From a model's reply to something the product can store: structured replies are parsed and
// validated with the stage's zod schema (the same one sent to the model as a strict JSON Schema);
// prose loses the wrapping models like to add.
import { z } from "zod";

/** The JSON Schema for `response_format: {type: "json_schema", strict: true}`. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: "draft-7" }) as Record<string, unknown>;
  return rest;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses a model's JSON reply: strips code fences, then validates with the stage's schema. */
export function parseJsonReply<S extends z.ZodType>(schema: S, reply: string): Parsed<z.infer<S>> {
  const text = reply
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "")
    .trim();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The reply is not valid JSON (${(e as Error).message})` };
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const first = result.error.issues[0]!;
    return { ok: false, error: `The reply does not match the schema at ${first.path.join(".") || "top level"}: ${first.message}` };
  }
  return { ok: true, value: result.data };
}

/** Chapter prose as stored: no title heading (the chapter has one), no surrounding fences. */
export function cleanProse(text: string): string {
  return text
    .trim()
    .replace(/^```(?:markdown|md)?\s*\n/i, "")
    .replace(/\n```\s*$/, "")
    .replace(/^#{1,3} [^\n]*\n+/, "")
    .trim();
}
