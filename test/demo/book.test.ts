// The same Worker with no API key set: the built-in demo model (no network) writes the book.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO_NOTICE } from "../../src/core/providers";
import { grantCredits, newStory, newUser } from "../support/client";
import { generate } from "../support/jobs";
import { openTab } from "../support/ws";

describe("the demo model", () => {
  it("writes a whole book through the API, every stage's artifacts and events included", async () => {
    const u = await newUser();
    await grantCredits(u, 50_000, 20);
    const tab = await openTab(u);
    const s = await newStory(u, { title: "Salt and Static", chaptersCount: 3, targetChapterWords: 600 });
    // A hybrid book, the default: contracts planned first, chapters drafted against them, each
    // remembered, and each seam checked (the demo's chapters keep their contracts: no rewrites).
    const { job, units } = await generate(u, s.story.id, { stage: "book" });
    expect(job.status).toBe("succeeded");
    expect(units.map((x: any) => x.stage)).toEqual([
      "meta", "summaries", "arcs", "contracts", "guides", "guides", "guides",
      "chapters", "digests", "chapters", "digests", "boundaries", "chapters", "digests", "boundaries",
      "cover",
    ]);
    const seams = (await env.DB.prepare("SELECT real_cost FROM generation_logs WHERE job_id = ? AND stage = 'boundaries'").bind(job.id).all<any>()).results;
    expect(seams.map((x: any) => x.real_cost)).toEqual([0, 0]);

    const d = (await u.get(`/api/stories/${s.story.id}`)).body;
    expect(d.characters.length).toBeGreaterThanOrEqual(4);
    expect(d.chapters.every((c: any) => c.hasDigest && !c.digestStale && !c.stale)).toBe(true);
    expect(d.characters[0].description).toContain("Salt and Static");
    expect(d.locations.length).toBeGreaterThan(0);
    expect(d.arcs.length).toBeGreaterThan(0);
    expect(d.chapters.map((c: any) => c.title.length > 0 && c.summary.length > 0 && c.hasGuide && c.hasContent)).toEqual([true, true, true]);
    for (const c of d.chapters) expect(c.wordCount).toBeGreaterThanOrEqual(600);
    const chapter = (await u.get(`/api/stories/${s.story.id}/chapters/${d.chapters[0].id}`)).body.chapter;
    expect(chapter.content.startsWith(DEMO_NOTICE)).toBe(true);
    const names = new Set(d.characters.map((c: any) => c.name));
    for (const part of chapter.guide) for (const n of part.characters) expect(names.has(n)).toBe(true);

    // A first book shows what a clean continuity report looks like (docs/CONTINUITY.md).
    const report = (await u.get(`/api/stories/${s.story.id}/continuity`)).body;
    expect(report.book.metrics.checked).toBe(3);
    expect(report.book.metrics.bySeverity).toMatchObject({ error: 0, warning: 0 });
    expect(tab.events.filter((e) => e.event === "chapter_checked")).toHaveLength(3);

    const cover = await u.get(d.story.coverImageUrl);
    expect(cover.status).toBe(200);
    expect(cover.headers.get("content-type")).toBe("image/png");

    // Without usage from the model, tokens were counted with the tokenizer and charged.
    const logs = (await env.DB.prepare("SELECT input_tokens, output_tokens, real_cost FROM generation_logs WHERE job_id = ? AND stage = 'chapters'").bind(job.id).all<any>()).results;
    for (const l of logs) {
      expect(l.input_tokens).toBeGreaterThan(100);
      expect(l.output_tokens).toBeGreaterThan(600);
      expect(l.real_cost).toBeGreaterThan(0);
    }

    for (const name of ["meta_generated", "summaries_generated", "arcs_generated", "contracts_generated", "chapter_guide_generated", "chapter_delta", "chapter_generated", "digest_generated", "chapter_checked", "boundary_checked", "image_generated", "credits_updated", "job_progress", "job_finished"])
      expect(tab.events.some((e) => e.event === name), name).toBe(true);

    const image = await generate(u, s.story.id, { stage: "chapter_image", chapterIds: [d.chapters[1].id], prompt: "A radio room at night, green dials" });
    expect(image.job.status).toBe("succeeded");
    const ch2 = (await u.get(`/api/stories/${s.story.id}/chapters/${d.chapters[1].id}`)).body.chapter;
    expect(ch2.imagePrompt).toBe("A radio room at night, green dials");
    expect((await u.get(ch2.imageUrl)).status).toBe(200);
    tab.close();
  });
});
