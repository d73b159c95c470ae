// What the book remembers from one chapter: the digest is read from the chapter's prose as it is
// now (and its contracts), its facts kept only when their quote is really in the text, and it is
// stored with the hash of that prose, so an edit makes it stale.
import { eq, sql } from "drizzle-orm";
import { verifyFacts } from "../../core/memory";
import { digestsStage, toDigest } from "../../core/stages/digests";
import { event } from "../../shared/events";
import { sha256Hex } from "../../domain/crypto";
import { readText } from "../../domain/prose";
import { chapterDigests, chapters } from "../../domain/db/schema";
import { callJson, UnitFailure, type StageModule } from "../unit";

export const digestsModule: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const [row] = await u.db.select({ content: chapters.content, contentHash: chapters.contentHash }).from(chapters).where(eq(chapters.id, chapterId));
    const prose = row ? await readText(u.env.FILES, u.story.id, chapterId, row) : null;
    if (!row || !prose) throw new UnitFailure("The chapter has no prose to remember");
    const { value, usage } = await callJson({ ...u, params: { ...u.params, prose: { [chapterId]: prose } } }, digestsStage);
    const { digest, dropped } = verifyFacts(toDigest(value, u.story), prose);
    const contentHash = row.contentHash ?? (await sha256Hex(prose));
    const now = new Date();
    return {
      usage,
      writes: [
        u.db
          .insert(chapterDigests)
          .values({ chapterId, contentHash, digest, droppedFacts: dropped, source: "generated", updatedAt: now })
          .onConflictDoUpdate({
            target: chapterDigests.chapterId,
            set: { contentHash, digest, droppedFacts: dropped, source: "generated", updatedAt: now },
          }),
        // Prose written before hashes were kept gets its hash now, so the digest can be fresh.
        u.db.update(chapters).set({ contentHash: sql`coalesce(${chapters.contentHash}, ${contentHash})` }).where(eq(chapters.id, chapterId)),
      ],
      announce: async () => [event("digest_generated", { storyId: u.story.id, chapterId, droppedFacts: dropped })],
    };
  },
};
