import { asc, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { summariesStage, toOutline } from "../../core/stages/summaries";
import { event } from "../../shared/events";
import { chunkedInsert } from "../../domain/db/batch";
import { chapters, stories } from "../../domain/db/schema";
import { callJson, type StageModule } from "../unit";

/** Updates chapters 1..n in place (ids and prose kept), adds missing ones, deletes nothing. */
export const summariesModule: StageModule = {
  async run(u) {
    const { value, usage } = await callJson(u, summariesStage);
    const outline = toOutline(value);
    const now = new Date();
    const byNumber = new Map(u.story.chapters.map((c) => [c.number, c]));
    const writes: BatchItem<"sqlite">[] = outline.flatMap((c, i) => {
      const old = byNumber.get(i + 1);
      return old
        ? [u.db.update(chapters).set({ ...c, summaryUpdatedAt: now, updatedAt: now }).where(eq(chapters.id, old.id))]
        : [];
    });
    writes.push(
      ...chunkedInsert(
        u.db,
        chapters,
        outline.flatMap((c, i) => (byNumber.has(i + 1) ? [] : [{ storyId: u.story.id, number: i + 1, ...c, summaryUpdatedAt: now }])),
      ),
      u.db.update(stories).set({ outlineUpdatedAt: now, updatedAt: now }).where(eq(stories.id, u.story.id)),
    );
    return {
      usage,
      writes,
      announce: async (db) => {
        const rows = await db
          .select({ id: chapters.id, number: chapters.number, title: chapters.title, summary: chapters.summary })
          .from(chapters)
          .where(eq(chapters.storyId, u.story.id))
          .orderBy(asc(chapters.number));
        return [event("summaries_generated", { storyId: u.story.id, chapters: rows })];
      },
    };
  },
};
