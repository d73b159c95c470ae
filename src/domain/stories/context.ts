// Loads a story into the StoryContext the prompt builders read, in one D1 round trip (and the
// chapters' beats from R2, docs/SCALE.md).
import { asc, eq, sql, type SQL } from "drizzle-orm";
import type { StoryContext } from "../../core/story";
import type { Contract, Digest } from "../../shared/schemas";
import type { Db } from "../db/client";
import { chapterDigests, chapters, characters, locations, stories, storyArcs, storyTags, tags } from "../db/schema";
import { notFound } from "../errors";
import { readGuides } from "../prose";

/** A JSON array built in SQL from `rows`, whose one column `v` is each element as JSON text, in their order. */
const jsonList = <T>(rows: SQL, alias: string) =>
  // json(v): an element loses its JSON type leaving the subquery, and would be quoted as a string.
  sql<T[]>`(SELECT coalesce(json_group_array(json(v)), '[]') FROM (${rows}))`.mapWith((v: string) => JSON.parse(v) as T[]).as(alias);

/** The story row's id, named in full: drizzle leaves a single table's columns unqualified, and a bare "id" would be the subquery's own. */
const storyId = sql.raw(`"stories"."id"`);

/** The cast's and places' names and aliases, in order, as columns of the story row: what the continuity checks read. */
export const storyNamesColumns = () => ({
  characters: jsonList<{ name: string; aliases: string[] }>(
    sql`SELECT json_object('name', ${characters.name}, 'aliases', json(${characters.aliases})) AS v FROM ${characters} WHERE ${characters.storyId} = ${storyId} ORDER BY ${characters.position}`,
    "names_characters",
  ),
  locations: jsonList<{ name: string; aliases: string[] }>(
    sql`SELECT json_object('name', ${locations.name}, 'aliases', json(${locations.aliases})) AS v FROM ${locations} WHERE ${locations.storyId} = ${storyId} ORDER BY ${locations.position}`,
    "names_locations",
  ),
});

/**
 * The story's tags, cast, places and arcs in order, as columns of its own row (a select from
 * `stories`): part of every whole-story read, and one statement rather than four in that read's
 * batch (docs/SCALE.md). With no story row (a failed left join), each is an empty list.
 */
export const storyPartsColumns = () => ({
  tags: jsonList<string>(
    sql`SELECT json_quote(${tags.name}) AS v FROM ${storyTags} JOIN ${tags} ON ${tags.id} = ${storyTags.tagId} WHERE ${storyTags.storyId} = ${storyId} ORDER BY ${storyTags.position}`,
    "parts_tags",
  ),
  characters: jsonList<Pick<StoryContext["characters"][number], "name" | "description" | "exampleDialogue" | "aliases"> & { aliases: string[] }>(
    sql`SELECT json_object('name', ${characters.name}, 'description', ${characters.description}, 'exampleDialogue', ${characters.exampleDialogue}, 'aliases', json(${characters.aliases})) AS v
        FROM ${characters} WHERE ${characters.storyId} = ${storyId} ORDER BY ${characters.position}`,
    "parts_characters",
  ),
  locations: jsonList<{ name: string; description: string; aliases: string[] }>(
    sql`SELECT json_object('name', ${locations.name}, 'description', ${locations.description}, 'aliases', json(${locations.aliases})) AS v
        FROM ${locations} WHERE ${locations.storyId} = ${storyId} ORDER BY ${locations.position}`,
    "parts_locations",
  ),
  arcs: jsonList<string>(sql`SELECT json_quote(${storyArcs.text}) AS v FROM ${storyArcs} WHERE ${storyArcs.storyId} = ${storyId} ORDER BY ${storyArcs.position}`, "parts_arcs"),
});

export async function loadStoryContext(db: Db, bucket: R2Bucket, storyId: number): Promise<StoryContext> {
  const [storyRows, chapterRows, digestRows] = await db.batch([
    db
      .select({ story: stories, ...storyPartsColumns() })
      .from(stories)
      .where(eq(stories.id, storyId)),
    db
      .select({
        id: chapters.id,
        number: chapters.number,
        title: chapters.title,
        summary: chapters.summary,
        imagePrompt: chapters.imagePrompt,
        contentLength: chapters.wordCount,
        contentHash: chapters.contentHash,
        exit: chapters.exitContract,
        guide: chapters.guide,
        guideHash: chapters.guideHash,
      })
      .from(chapters)
      .where(eq(chapters.storyId, storyId))
      .orderBy(asc(chapters.number)),
    db
      .select({ chapterId: chapterDigests.chapterId, contentHash: chapterDigests.contentHash, digest: chapterDigests.digest })
      .from(chapterDigests)
      .innerJoin(chapters, eq(chapterDigests.chapterId, chapters.id))
      .where(eq(chapters.storyId, storyId)),
  ]);
  const row = storyRows[0];
  if (!row) throw notFound("Story");
  const s = row.story;
  const guides = await readGuides(bucket, storyId, chapterRows);
  const digests = new Map(digestRows.map((d) => [d.chapterId, d]));
  return {
    id: s.id,
    title: s.title,
    details: s.details,
    tags: row.tags,
    inspirations: s.inspirations,
    writingStyle: s.writingStyle,
    chaptersCount: s.chaptersCount,
    targetChapterWords: s.targetChapterWords,
    mature: s.mature,
    coverImagePrompt: s.coverImagePrompt,
    hasCover: !!s.coverImageKey,
    characters: row.characters,
    locations: row.locations,
    arcs: row.arcs,
    opening: (s.openingContract as Contract | null) ?? null,
    chapters: chapterRows.map((c) => {
      const d = digests.get(c.id);
      return {
        id: c.id,
        number: c.number,
        title: c.title,
        summary: c.summary,
        imagePrompt: c.imagePrompt,
        hasContent: c.contentLength > 0,
        wordCount: c.contentLength,
        guide: guides.get(c.id) ?? [],
        digest: (d?.digest as Digest | undefined) ?? null,
        digestFresh: !!d && d.contentHash === c.contentHash,
        exit: (c.exit as Contract | null) ?? null,
      };
    }),
  };
}
