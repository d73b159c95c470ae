// Loads a story into the StoryContext the prompt builders read, in one D1 round trip.
import { asc, eq } from "drizzle-orm";
import type { StoryContext } from "../../core/story";
import type { Db } from "../db/client";
import { chapterGuides, chapters, characters, locations, stories, storyArcs, storyTags, tags } from "../db/schema";
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
      .select({ name: characters.name, description: characters.description, exampleDialogue: characters.exampleDialogue })
      .from(characters)
      .where(eq(characters.storyId, storyId))
      .orderBy(asc(characters.position)),
    db
      .select({ name: locations.name, description: locations.description })
      .from(locations)
      .where(eq(locations.storyId, storyId))
      .orderBy(asc(locations.position)),
    db.select({ text: storyArcs.text }).from(storyArcs).where(eq(storyArcs.storyId, storyId)).orderBy(asc(storyArcs.position)),
  ] as const;

export async function loadStoryContext(db: Db, storyId: number): Promise<StoryContext> {
  const [storyRows, tagRows, chars, locs, arcs, chapterRows, guideRows] = await db.batch([
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
  ]);
  const s = storyRows[0];
  if (!s) throw notFound("Story");
  const guides = new Map<number, StoryContext["chapters"][number]["guide"]>();
  for (const g of guideRows)
    guides.set(g.chapterId, [
      ...(guides.get(g.chapterId) ?? []),
      { text: g.text, characters: g.characters, locations: g.locations },
    ]);
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
    chapters: chapterRows.map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      summary: c.summary,
      imagePrompt: c.imagePrompt,
      hasContent: c.contentLength > 0,
      guide: guides.get(c.id) ?? [],
    })),
  };
}
