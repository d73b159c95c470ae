// Loads a story into the StoryContext the prompt builders read, in one D1 round trip.
import { asc, eq } from "drizzle-orm";
import type { StoryContext } from "../../core/story";
import type { Contract, Digest } from "../../shared/schemas";
import type { Db } from "../db/client";
import { chapterDigests, chapterGuides, chapters, characters, locations, stories, storyArcs, storyTags, tags } from "../db/schema";
import { notFound } from "../errors";

/** The story's tags, cast, places and arcs in order: part of every whole-story read. */
export const storyPartsQueries = (db: Db, storyId: number) =>
  [
    db
      .select({ name: tags.name })
      .from(storyTags)
      .innerJoin(tags, eq(storyTags.tagId, tags.id))
      .where(eq(storyTags.storyId, storyId))
      .orderBy(asc(storyTags.position)),
    db
      .select({ name: characters.name, description: characters.description, exampleDialogue: characters.exampleDialogue, aliases: characters.aliases })
      .from(characters)
      .where(eq(characters.storyId, storyId))
      .orderBy(asc(characters.position)),
    db
      .select({ name: locations.name, description: locations.description, aliases: locations.aliases })
      .from(locations)
      .where(eq(locations.storyId, storyId))
      .orderBy(asc(locations.position)),
    db.select({ text: storyArcs.text }).from(storyArcs).where(eq(storyArcs.storyId, storyId)).orderBy(asc(storyArcs.position)),
  ] as const;

export async function loadStoryContext(db: Db, storyId: number): Promise<StoryContext> {
  const [storyRows, tagRows, chars, locs, arcs, chapterRows, guideRows, digestRows] = await db.batch([
    db.select().from(stories).where(eq(stories.id, storyId)),
    ...storyPartsQueries(db, storyId),
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
      })
      .from(chapters)
      .where(eq(chapters.storyId, storyId))
      .orderBy(asc(chapters.number)),
    db
      .select({
        chapterId: chapterGuides.chapterId,
        text: chapterGuides.text,
        characters: chapterGuides.characters,
        locations: chapterGuides.locations,
      })
      .from(chapterGuides)
      .innerJoin(chapters, eq(chapterGuides.chapterId, chapters.id))
      .where(eq(chapters.storyId, storyId))
      .orderBy(asc(chapterGuides.chapterId), asc(chapterGuides.position)),
    db
      .select({ chapterId: chapterDigests.chapterId, contentHash: chapterDigests.contentHash, digest: chapterDigests.digest })
      .from(chapterDigests)
      .innerJoin(chapters, eq(chapterDigests.chapterId, chapters.id))
      .where(eq(chapters.storyId, storyId)),
  ]);
  const s = storyRows[0];
  if (!s) throw notFound("Story");
  const guides = new Map<number, StoryContext["chapters"][number]["guide"]>();
  for (const g of guideRows)
    guides.set(g.chapterId, [
      ...(guides.get(g.chapterId) ?? []),
      { text: g.text, characters: g.characters, locations: g.locations },
    ]);
  const digests = new Map(digestRows.map((d) => [d.chapterId, d]));
  return {
    id: s.id,
    title: s.title,
    details: s.details,
    tags: tagRows.map((t) => t.name),
    inspirations: s.inspirations,
    writingStyle: s.writingStyle,
    chaptersCount: s.chaptersCount,
    targetChapterWords: s.targetChapterWords,
    mature: s.mature,
    coverImagePrompt: s.coverImagePrompt,
    hasCover: !!s.coverImageKey,
    characters: chars,
    locations: locs,
    arcs: arcs.map((a) => a.text),
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
