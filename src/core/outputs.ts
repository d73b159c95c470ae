// What the planning stages must answer, as zod schemas: sent to the model as a strict JSON
// Schema (structured outputs) and used again to validate the reply.
import { z } from "zod";

export const MetaOutput = z.strictObject({
  characters: z.array(z.strictObject({ name: z.string(), description: z.string(), example_dialogue: z.string() })),
  locations: z.array(z.strictObject({ name: z.string(), description: z.string() })),
});
export const SummariesOutput = z.strictObject({
  chapters: z.array(z.strictObject({ title: z.string(), summary: z.string() })),
});
export const ArcsOutput = z.strictObject({ arcs: z.array(z.string()) });
export const GuideOutput = z.strictObject({
  parts: z.array(z.strictObject({ text: z.string(), characters: z.array(z.string()), locations: z.array(z.string()) })),
});

export type JsonOutput = { name: string; schema: z.ZodType };

export const OUTPUTS = {
  meta: { name: "story_meta", schema: MetaOutput },
  summaries: { name: "chapter_summaries", schema: SummariesOutput },
  arcs: { name: "story_arcs", schema: ArcsOutput },
  guides: { name: "chapter_guide", schema: GuideOutput },
} as const;

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

// ---------------------------------------------------------------- from model output to artifacts

import { LIMITS } from "../shared/schemas";
import { uniqueCaseless } from "./text";
import type { StoryContext } from "./story";

const clip = (s: string, n: number) => s.trim().slice(0, n);

/** Trimmed, clipped to the API's limits, names unique: what a model wrote becomes valid input. */
export function toMeta(v: z.infer<typeof MetaOutput>) {
  const seen = (xs: { name: string }[]) => {
    const names = new Set(uniqueCaseless(xs.map((x) => x.name.trim())).map((n) => n.toLowerCase()));
    return <T extends { name: string }>(x: T) => {
      const k = x.name.trim().toLowerCase();
      return names.delete(k);
    };
  };
  const firstChar = seen(v.characters);
  const firstLoc = seen(v.locations);
  return {
    characters: v.characters
      .filter((c) => c.name.trim() && firstChar(c))
      .slice(0, LIMITS.people)
      .map((c) => ({
        name: clip(c.name, LIMITS.name),
        description: clip(c.description, LIMITS.description),
        exampleDialogue: clip(c.example_dialogue, LIMITS.dialogue),
      })),
    locations: v.locations
      .filter((l) => l.name.trim() && firstLoc(l))
      .slice(0, LIMITS.people)
      .map((l) => ({ name: clip(l.name, LIMITS.name), description: clip(l.description, LIMITS.description) })),
  };
}

export const toOutline = (v: z.infer<typeof SummariesOutput>) =>
  v.chapters.map((c) => ({ title: clip(c.title, LIMITS.title), summary: clip(c.summary, LIMITS.summary) }));

export const toArcs = (v: z.infer<typeof ArcsOutput>) =>
  v.arcs.map((a) => clip(a, LIMITS.arc)).filter(Boolean).slice(0, LIMITS.arcs);

/** Beats with names mapped to the cast's spelling; names the story does not have are dropped and reported. */
export function toGuide(v: z.infer<typeof GuideOutput>, s: StoryContext) {
  const chars = new Map(s.characters.map((c) => [c.name.toLowerCase(), c.name]));
  const locs = new Map(s.locations.map((l) => [l.name.toLowerCase(), l.name]));
  const dropped = new Set<string>();
  const keep = (names: string[], known: Map<string, string>) =>
    uniqueCaseless(names).flatMap((n) => {
      const name = known.get(n.trim().toLowerCase());
      if (!name) dropped.add(n.trim());
      return name ? [name] : [];
    });
  const parts = v.parts
    .filter((p) => p.text.trim())
    .slice(0, LIMITS.parts)
    .map((p) => ({ text: clip(p.text, LIMITS.part), characters: keep(p.characters, chars), locations: keep(p.locations, locs) }));
  return { parts, dropped: [...dropped] };
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
