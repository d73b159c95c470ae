// The continuity audit of one chapter: one model call, then every claimed contradiction verified
// in code against the chapter and the book; what survives becomes findings of the report, what does
// not is counted (`unverifiedDropped`). Stored with the hash of the prose it read.
import { eq, inArray } from "drizzle-orm";
import { verifyAudit } from "../../core/continuity";
import { storyBible } from "../../core/prompts";
import { auditStage } from "../../core/stages/audit";
import { event } from "../../shared/events";
import { auditItem, countsOf } from "../../domain/continuity";
import { sha256Hex } from "../../domain/crypto";
import { readProse, readText } from "../../domain/prose";
import { chapterDigests, chapters } from "../../domain/db/schema";
import { callJson, UnitFailure, type StageModule } from "../unit";

export const auditModule: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const [row] = await u.db.select({ number: chapters.number, content: chapters.content, contentHash: chapters.contentHash }).from(chapters).where(eq(chapters.id, chapterId));
    const text = row ? await readText(u.env.FILES, u.story.id, chapterId, row) : null;
    if (!row || !text) throw new UnitFailure("The chapter has no prose to audit");
    const { value, usage } = await callJson({ ...u, params: { ...u.params, prose: { [chapterId]: text } } }, auditStage);

    // What a counter-quote may come from: the named chapters' prose and their digests.
    const numbers = [...new Set(value.issues.flatMap((i) => (i.contradicts.chapterNumber ? [i.contradicts.chapterNumber] : [])))];
    const ids = u.story.chapters.filter((c) => numbers.includes(c.number)).map((c) => c.id);
    const [texts, digests] = ids.length
      ? await u.db.batch([
          u.db
            .select({ id: chapters.id, number: chapters.number, content: chapters.content, contentHash: chapters.contentHash })
            .from(chapters)
            .where(inArray(chapters.id, ids)),
          u.db.select({ id: chapterDigests.chapterId, digest: chapterDigests.digest }).from(chapterDigests).where(inArray(chapterDigests.chapterId, ids)),
        ])
      : [[], []];
    const sources = new Map<number, string[]>();
    const prose = await readProse(u.env.FILES, u.story.id, texts);
    for (const t of texts) sources.set(t.number, [prose.get(t.id) ?? "", JSON.stringify(digests.find((d) => d.id === t.id)?.digest ?? "")]);
    const { findings, dropped } = verifyAudit(value.issues, {
      chapterId,
      chapterNumber: row.number,
      chapterText: text,
      bible: storyBible(u.story),
      chapters: sources,
    });
    const contentHash = row.contentHash ?? (await sha256Hex(text));
    return {
      usage,
      writes: [auditItem(u.db, chapterId, { contentHash, findings, unverifiedDropped: dropped })],
      announce: async () => [event("chapter_checked", { storyId: u.story.id, chapterId, counts: countsOf(findings) })],
    };
  },
};
