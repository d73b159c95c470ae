import { beforeEach, describe, expect, it } from "vitest";
import { grantCredits, newStory, newUser } from "../support/client";
import { fakeOpenAi } from "../support/fake-openai";
import { generate } from "../support/jobs";

beforeEach(async () => {
  await fakeOpenAi.reset();
});

describe("the six stages through the fake OpenAI server", () => {
  it("writes every artifact of a story", async () => {
    const u = await newUser();
    await grantCredits(u, 5000, 10);
    const s = await newStory(u, { chaptersCount: 3 });
    const id = s.story.id;

    let r = await generate(u, id, { stage: "meta" });
    expect(r.job.status).toBe("succeeded");
    let d = (await u.get(`/api/stories/${id}`)).body;
    expect(d.characters.map((c: any) => c.name)).toContain("Ada Quill");

    r = await generate(u, id, { stage: "summaries" });
    expect(r.job.status).toBe("succeeded");
    d = (await u.get(`/api/stories/${id}`)).body;
    expect(d.chapters).toHaveLength(3);
    expect(d.chapters[0].title).toBe("Low Tide 1");
    expect(d.chapters.map((c: any) => c.id)).toEqual(s.chapters.map((c) => c.id));

    r = await generate(u, id, { stage: "arcs" });
    expect(r.job.status).toBe("succeeded");

    r = await generate(u, id, { stage: "guides" });
    expect(r.job.status).toBe("succeeded");
    expect(r.units).toHaveLength(3);

    r = await generate(u, id, { stage: "chapters" });
    expect(r.job.status).toBe("succeeded");
    const ch = (await u.get(`/api/stories/${id}/chapters/${s.chapters[0]!.id}`)).body.chapter;
    expect(ch.content.length).toBeGreaterThan(100);
    expect(ch.guide.length).toBe(4);

    r = await generate(u, id, { stage: "cover" });
    expect(r.job.status).toBe("succeeded");
    d = (await u.get(`/api/stories/${id}`)).body;
    expect(d.story.coverImageUrl).toMatch(/^\/api\/images\/\d+\/cover/);
    const img = await u.get(d.story.coverImageUrl);
    expect(img.status).toBe(200);
  });
});
