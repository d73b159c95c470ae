// One seam of a hybrid book: chapter k's actual ending (its digest) against its exit contract.
// Where they agree, nothing is called and nothing charged. Where they disagree, only the opening of
// chapter k+1 is rewritten, in one targeted call; its digest keeps describing it (facts whose quote
// left with the old opening are dropped).
import { eq } from "drizzle-orm";
import { boundaryMismatches, lastWords, verifyFacts } from "../../core/memory";
import { cleanProse } from "../../core/outputs";
import { boundaryPrompt, PREVIOUS_ENDING_WORDS } from "../../core/prompts";
import { OPENING_WORDS, splitOpening } from "../../core/stages/boundaries";
import type { Digest } from "../../shared/schemas";
import { event } from "../../shared/events";
import { chapterDigests, chapters } from "../../domain/db/schema";
import { chapterCheckItems, countsOf } from "../../domain/continuity";
import { putProse } from "../../domain/prose";
import { setContentItems } from "../../domain/stories/revisions";
import { chatRequest, measured, NO_USAGE, proseOf, UnitFailure, type StageModule } from "../unit";

export const boundariesModule: StageModule = {
  async run(u) {
    const chapterId = u.log.chapterId!;
    const i = u.story.chapters.findIndex((c) => c.id === chapterId);
    const prev = u.story.chapters[i - 1];
    const nothing = (differences: string[] = []) => ({
      usage: NO_USAGE,
      writes: [],
      free: true,
      announce: async () => [event("boundary_checked", { storyId: u.story.id, chapterId, rewritten: false, differences })],
    });
    // Read live: this run's digest of the previous chapter was written after the story was loaded.
    const [digestRow] = prev ? await u.db.select().from(chapterDigests).where(eq(chapterDigests.chapterId, prev.id)) : [];
    if (!prev?.exit || !digestRow) return nothing();
    const differences = boundaryMismatches(prev.exit, digestRow.digest as Digest);
    if (!differences.length) return nothing();

    const texts = await proseOf(u.db, u.env.FILES, u.story.id, [prev.id, chapterId]);
    const prose = texts[chapterId];
    if (!prose || !texts[prev.id]) return nothing(differences);
    const { opening, rest } = splitOpening(prose);
    const messages = boundaryPrompt(u.story, chapterId, {
      previousEnding: lastWords(texts[prev.id]!, PREVIOUS_ENDING_WORDS),
      mismatches: differences,
      opening,
      openingWords: Math.max(OPENING_WORDS, opening.split(/\s+/).length),
    }).messages;
    const res = await u.provider.chat(chatRequest(u, messages));
    if (res.finish === "length") throw new UnitFailure("The rewritten opening ran past its length limit; the chapter was left as it was");
    const fresh = cleanProse(res.text);
    if (fresh.split(/\s+/).length < 20) throw new UnitFailure("The model returned an empty opening; the chapter was left as it was");
    const content = rest ? `${fresh}\n\n${rest}` : fresh;

    const [row] = await u.db.select().from(chapters).where(eq(chapters.id, chapterId));
    if (!row) throw new UnitFailure("The chapter was deleted meanwhile");
    const checks = await chapterCheckItems(u.db, u.env.FILES, u.story.id, row, content);
    const stored = await putProse(u.env.FILES, u.story.id, chapterId, content);
    const contentHash = stored.contentHash!;
    const [own] = await u.db.select().from(chapterDigests).where(eq(chapterDigests.chapterId, chapterId));
    const keptDigest = own && own.contentHash === row.contentHash ? verifyFacts(own.digest as Digest, content) : null;
    return {
      usage: await measured(messages, res.text, res.usage),
      objects: [stored.key!, ...checks.objects],
      writes: [
        ...setContentItems(u.db, row, stored, "generated", null, { bibleHash: row.bibleHash }),
        ...(keptDigest
          ? [
              u.db
                .update(chapterDigests)
                .set({ contentHash, digest: keptDigest.digest, droppedFacts: own!.droppedFacts + keptDigest.dropped, updatedAt: new Date() })
                .where(eq(chapterDigests.chapterId, chapterId)),
            ]
          : []),
        ...checks.items,
      ],
      announce: async () => [
        event("boundary_checked", { storyId: u.story.id, chapterId, rewritten: true, differences }),
        event("chapter_checked", { storyId: u.story.id, chapterId, counts: countsOf(checks.report.findings) }),
        event("chapter_generated", { storyId: u.story.id, chapterId, number: row.number, title: row.title, content }),
      ],
    };
  },
};
