// Chapter contracts of a hybrid book: the opening and every chapter's exit, planned in one call.
import { eq } from "drizzle-orm";
import { contractsStage, toContract } from "../../core/stages/contracts";
import { event } from "../../shared/events";
import { chapters, stories } from "../../domain/db/schema";
import { callJson, type StageModule } from "../unit";

export const contractsModule: StageModule = {
  async run(u) {
    const { value, usage } = await callJson(u, contractsStage);
    const now = new Date();
    return {
      usage,
      writes: [
        u.db.update(stories).set({ openingContract: toContract(value.opening, u.story), updatedAt: now }).where(eq(stories.id, u.story.id)),
        ...u.story.chapters.map((c, i) =>
          u.db.update(chapters).set({ exitContract: toContract(value.exits[i]!, u.story) }).where(eq(chapters.id, c.id)),
        ),
      ],
      announce: async () => [event("contracts_generated", { storyId: u.story.id })],
    };
  },
};
