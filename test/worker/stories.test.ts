import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { anonymous, newStory, newUser, storyInput, type Client } from "../support/client";

const meta = {
  characters: [
    { name: "Ada Quill", description: "Keeper's daughter", exampleDialogue: "\"Tide's turning.\"" },
    { name: "Bram Holt", description: "Salvage diver", exampleDialogue: "" },
  ],
  locations: [{ name: "The Point Light", description: "A dark lighthouse" }],
};

async function storyWithOutline(c: Client, chapters = 3) {
  const s = await newStory(c, { chaptersCount: chapters });
  await c.put(`/api/stories/${s.story.id}/meta`, meta);
  const res = await c.put(`/api/stories/${s.story.id}/outline`, {
    chapters: s.chapters.map((ch, i) => ({ id: ch.id, title: `T${i + 1}`, summary: `S${i + 1}` })),
  });
  expect(res.status).toBe(200);
  return res.body as import("../../src/shared/api").StoryDetail;
}

const snapshot = async (storyId: number) =>
  JSON.stringify(
    await env.DB.batch([
      env.DB.prepare("SELECT * FROM stories WHERE id = ?").bind(storyId),
      env.DB.prepare("SELECT id, number, title, summary, content FROM chapters WHERE story_id = ? ORDER BY id").bind(storyId),
      env.DB.prepare("SELECT name, description FROM characters WHERE story_id = ? ORDER BY position").bind(storyId),
      env.DB.prepare("SELECT text FROM story_arcs WHERE story_id = ? ORDER BY position").bind(storyId),
    ]).then((rs) => rs.map((r) => r.results)),
  );

describe("story CRUD", () => {
  it("creates a story with its empty chapters and de-duplicated tags", async () => {
    const u = await newUser();
    const res = await u.post("/api/stories", storyInput({ tags: ["Mystery", "mystery", "Sea"], chaptersCount: 4 }));
    expect(res.status).toBe(201);
    expect(res.body.story).toMatchObject({ title: "The Lighthouse Keeper", tags: ["Mystery", "Sea"], chaptersCount: 4, targetChapterWords: 800, author: u.user.username });
    expect(res.body.chapters.map((c: any) => c.number)).toEqual([1, 2, 3, 4]);
    const list = await u.get("/api/stories");
    expect(list.body.stories.map((s: any) => s.id)).toEqual([res.body.story.id]);
    expect((await (await newUser()).get("/api/stories")).body.stories).toEqual([]);
  });

  it.each([
    ["missing title", { chaptersCount: 3 }, "title"],
    ["blank title", { title: "   ", chaptersCount: 3 }, "title"],
    ["oversized title", { title: "x".repeat(201), chaptersCount: 3 }, "title"],
    ["zero chapters", { title: "t", chaptersCount: 0 }, "chaptersCount"],
    ["too many chapters", { title: "t", chaptersCount: 101 }, "chaptersCount"],
    ["fractional chapters", { title: "t", chaptersCount: 2.5 }, "chaptersCount"],
    ["chapters as text", { title: "t", chaptersCount: "3" }, "chaptersCount"],
    ["oversized details", { title: "t", chaptersCount: 3, details: "x".repeat(10_001) }, "details"],
    ["too many tags", { title: "t", chaptersCount: 3, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
    ["markup in a tag", { title: "t", chaptersCount: 3, tags: ["<b>x</b>"] }, "tags.0"],
    ["an owner field", { title: "t", chaptersCount: 3, userId: 1 }, "userId"],
    ["a flag only admins set", { title: "t", chaptersCount: 3, spotlight: true }, "spotlight"],
  ])("refuses %s", async (_, body, field) => {
    const u = await newUser();
    const res = await u.post("/api/stories", body);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[field]).toBeTruthy();
    expect((await u.get("/api/stories")).body.stories).toHaveLength(0);
  });

  it("patches only allowed fields and grows or trims the outline without losing written chapters", async () => {
    const u = await newUser();
    const s = await storyWithOutline(u, 3);
    const id = s.story.id;
    const bad = await u.patch(`/api/stories/${id}`, { title: "New", flagged: false, favoritesCount: 99 });
    expect(bad.status).toBe(400);
    expect((await u.get(`/api/stories/${id}`)).body.story.title).toBe("The Lighthouse Keeper");

    const grown = await u.patch(`/api/stories/${id}`, { title: "New title", chaptersCount: 5, tags: ["a"] });
    expect(grown.status).toBe(200);
    expect(grown.body.story).toMatchObject({ title: "New title", chaptersCount: 5, tags: ["a"] });
    expect(grown.body.chapters).toHaveLength(5);

    // Chapter 2 has a summary: shrinking to 1 drops the blank 4 and 5 but keeps 2 and 3.
    const shrunk = await u.patch(`/api/stories/${id}`, { chaptersCount: 1 });
    expect(shrunk.body.chapters.map((c: any) => c.title)).toEqual(["T1", "T2", "T3"]);
  });

  it("deletes exactly the story's rows and images (the key prefix ends in a slash)", async () => {
    const u = await newUser();
    const stories = [];
    for (let i = 0; i < 12; i++) stories.push(await newStory(u, { chaptersCount: 1 }));
    const one = stories[0]!.story.id;
    const twelve = stories.find((s) => String(s.story.id).startsWith(String(one)) && s.story.id !== one);
    await env.FILES.put(`stories/${one}/cover.png`, "a");
    const keep = twelve ? `stories/${twelve.story.id}/cover.png` : `stories/${one}0/cover.png`;
    await env.FILES.put(keep, "b");
    expect((await u.del(`/api/stories/${one}`)).status).toBe(200);
    expect(await env.FILES.get(`stories/${one}/cover.png`)).toBeNull();
    expect(await env.FILES.get(keep)).not.toBeNull();
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM chapters WHERE story_id = ?").bind(one).first<{ n: number }>();
    expect(rows!.n).toBe(0);
    expect((await u.get(`/api/stories/${one}`)).status).toBe(404);
    expect((await u.get("/api/stories")).body.stories).toHaveLength(11);
  });
});

describe("artifacts", () => {
  it("replaces characters and places, refusing duplicate or oversized ones", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const id = s.story.id;
    const res = await u.put(`/api/stories/${id}/meta`, meta);
    expect(res.status).toBe(200);
    // Every character comes back with its aliases (none given: an empty list).
    expect(res.body.characters).toEqual(meta.characters.map((c) => ({ aliases: [], ...c })));
    const before = await snapshot(id);
    for (const body of [
      { characters: [meta.characters[0], { ...meta.characters[0] }], locations: [] },
      { characters: [{ name: "", description: "x" }], locations: [] },
      { characters: [{ name: "x".repeat(101) }], locations: [] },
      { characters: [{ name: "A", description: "d".repeat(4001) }], locations: [] },
      { characters: "Ada", locations: [] },
      { characters: [] },
    ]) {
      const r = await u.put(`/api/stories/${id}/meta`, body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body.error.fields).toBeTruthy();
    }
    expect(await snapshot(id)).toBe(before);
  });

  it("replaces arcs", async () => {
    const u = await newUser();
    const s = await newStory(u);
    const res = await u.put(`/api/stories/${s.story.id}/arcs`, { arcs: ["One", "Two"] });
    expect(res.body.arcs).toEqual(["One", "Two"]);
    expect((await u.put(`/api/stories/${s.story.id}/arcs`, { arcs: [""] })).status).toBe(400);
    expect((await u.put(`/api/stories/${s.story.id}/arcs`, { arcs: [1] })).status).toBe(400);
    expect((await u.get(`/api/stories/${s.story.id}`)).body.arcs).toEqual(["One", "Two"]);
  });

  it("says which chapters have beats, each by its own", async () => {
    const u = await newUser();
    const s = await newStory(u, { chaptersCount: 3 });
    const [, second] = s.chapters;
    const put = await u.put(`/api/stories/${s.story.id}/chapters/${second!.id}/guide`, { parts: [{ text: "Ada opens the archive.", characters: [], locations: [] }] });
    expect(put.status).toBe(200);
    const read = (await u.get(`/api/stories/${s.story.id}`)).body.chapters;
    expect(read.map((c: { hasGuide: boolean }) => c.hasGuide)).toEqual([false, true, false]);
  });

  it("reorders the outline in array order, keeping ids and prose, and keeps left-out chapters unless told", async () => {
    const u = await newUser();
    const s = await storyWithOutline(u, 3);
    const id = s.story.id;
    const [c1, c2, c3] = s.chapters;
    await u.patch(`/api/stories/${id}/chapters/${c1!.id}`, { content: "Prose of the first chapter." });

    // Swap 1 and 2, leave 3 out, add a new one.
    let res = await u.put(`/api/stories/${id}/outline`, {
      chapters: [
        { id: c2!.id, title: "T2", summary: "S2" },
        { id: c1!.id, title: "T1 renamed", summary: "S1" },
        { title: "Fresh", summary: "New" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.chapters.map((c: any) => [c.id, c.number, c.title])).toEqual([
      [c2!.id, 1, "T2"],
      [c1!.id, 2, "T1 renamed"],
      [expect.any(Number), 3, "Fresh"],
      [c3!.id, 4, "T3"],
    ]);
    expect(res.body.story.chaptersCount).toBe(4);
    const ch1 = (await u.get(`/api/stories/${id}/chapters/${c1!.id}`)).body.chapter;
    expect(ch1.content).toBe("Prose of the first chapter.");
    // Its summary changed after the prose: the prose is marked stale, not deleted.
    expect(ch1.stale).toBe(true);

    res = await u.put(`/api/stories/${id}/outline`, { chapters: [{ id: c1!.id, title: "Only", summary: "S" }], deleteMissing: true });
    expect(res.body.chapters.map((c: any) => c.id)).toEqual([c1!.id]);
  });

  it("refuses an outline naming another story's chapter or the same chapter twice", async () => {
    const u = await newUser();
    const s = await storyWithOutline(u, 2);
    const other = await newStory(u);
    const before = await snapshot(s.story.id);
    const foreign = await u.put(`/api/stories/${s.story.id}/outline`, { chapters: [{ id: other.chapters[0]!.id, title: "x", summary: "y" }] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields["chapters.0.id"]).toBeTruthy();
    const twice = await u.put(`/api/stories/${s.story.id}/outline`, {
      chapters: [
        { id: s.chapters[0]!.id, title: "a", summary: "b" },
        { id: s.chapters[0]!.id, title: "a", summary: "b" },
      ],
    });
    expect(twice.status).toBe(400);
    expect(await snapshot(s.story.id)).toBe(before);
  });

  it("edits, deletes and renumbers chapters", async () => {
    const u = await newUser();
    const s = await storyWithOutline(u, 3);
    const id = s.story.id;
    const res = await u.patch(`/api/stories/${id}/chapters/${s.chapters[1]!.id}`, { title: "Middle", content: "# Some *prose* here" });
    expect(res.body.chapter).toMatchObject({ title: "Middle", content: "# Some *prose* here", wordCount: 3, hasContent: true });
    expect((await u.patch(`/api/stories/${id}/chapters/${s.chapters[1]!.id}`, { number: 9 })).status).toBe(400);
    expect((await u.patch(`/api/stories/${id}/chapters/${s.chapters[1]!.id}`, { content: "x".repeat(300_001) })).status).toBe(400);
    expect((await u.del(`/api/stories/${id}/chapters/${s.chapters[0]!.id}`)).status).toBe(200);
    const d = (await u.get(`/api/stories/${id}`)).body;
    expect(d.chapters.map((c: any) => [c.number, c.title])).toEqual([
      [1, "Middle"],
      [2, "T3"],
    ]);
    expect(d.story.chaptersCount).toBe(2);
  });

  it("keeps the beats' names canonical and refuses names the story does not have", async () => {
    const u = await newUser();
    const s = await storyWithOutline(u, 1);
    const path = `/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}/guide`;
    const ok = await u.put(path, { parts: [{ text: "Ada climbs the tower", characters: ["ada quill"], locations: ["the point light"] }] });
    expect(ok.status).toBe(200);
    expect(ok.body.chapter.guide).toEqual([{ text: "Ada climbs the tower", characters: ["Ada Quill"], locations: ["The Point Light"] }]);
    const bad = await u.put(path, { parts: [{ text: "x", characters: ["Ada Quill", "Zed"], locations: ["Nowhere"] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({
      "parts.0.characters.1": 'Unknown character "Zed"',
      "parts.0.locations.0": 'Unknown location "Nowhere"',
    });
    expect((await u.put(path, { parts: [{ text: "" }] })).status).toBe(400);
    expect((await u.get(`/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`)).body.chapter.guide).toHaveLength(1);
  });
});

describe("revisions", () => {
  it("keeps what each content change replaced, lists it and restores it (restores can be undone)", async () => {
    const u = await newUser();
    const s = await storyWithOutline(u, 1);
    const base = `/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`;
    await env.DB.prepare("UPDATE chapters SET content = 'Generated draft.', content_source = 'generated' WHERE id = ?").bind(s.chapters[0]!.id).run();
    await u.patch(base, { content: "First edit." });
    let revs = (await u.get(`${base}/revisions`)).body.revisions;
    expect(revs.map((r: any) => [r.source, r.content])).toEqual([["generated", "Generated draft."]]);
    // Autosaves within one editing session share that snapshot.
    await u.patch(base, { content: "Second edit." });
    expect((await u.get(`${base}/revisions`)).body.revisions).toHaveLength(1);

    const restored = await u.post(`${base}/revisions/${revs[0].id}/restore`);
    expect(restored.body.chapter.content).toBe("Generated draft.");
    revs = (await u.get(`${base}/revisions`)).body.revisions;
    expect(revs[0].content).toBe("Second edit.");
    expect((await u.post(`${base}/revisions/999999/restore`)).status).toBe(404);
  });

  it("keeps the last 10", async () => {
    const u = await newUser();
    const s = await storyWithOutline(u, 1);
    const chapterId = s.chapters[0]!.id;
    for (let i = 0; i < 13; i++) {
      await env.DB.prepare("UPDATE chapters SET content_source = 'generated' WHERE id = ?").bind(chapterId).run();
      await u.patch(`/api/stories/${s.story.id}/chapters/${chapterId}`, { content: `Version ${i}` });
    }
    const revs = (await u.get(`/api/stories/${s.story.id}/chapters/${chapterId}/revisions`)).body.revisions;
    expect(revs).toHaveLength(10);
    expect(revs[0].content).toBe("Version 11");
  });
});

describe("ownership", () => {
  it("hides another user's private story (404) and refuses anonymous callers (401) on every story route", async () => {
    const owner = await newUser();
    const s = await storyWithOutline(owner, 1);
    const id = s.story.id;
    const ch = s.chapters[0]!.id;
    await owner.patch(`/api/stories/${id}/chapters/${ch}`, { content: "Secret prose" });
    const rev = (await owner.get(`/api/stories/${id}/chapters/${ch}/revisions`)).body.revisions[0]?.id ?? 1;
    const routes: [string, string, unknown?][] = [
      ["GET", `/api/stories/${id}`],
      ["PATCH", `/api/stories/${id}`, { title: "Mine now" }],
      ["DELETE", `/api/stories/${id}`],
      ["PUT", `/api/stories/${id}/meta`, meta],
      ["PUT", `/api/stories/${id}/arcs`, { arcs: ["x"] }],
      ["PUT", `/api/stories/${id}/outline`, { chapters: [] , deleteMissing: true }],
      ["GET", `/api/stories/${id}/chapters/${ch}`],
      ["PATCH", `/api/stories/${id}/chapters/${ch}`, { content: "overwritten" }],
      ["DELETE", `/api/stories/${id}/chapters/${ch}`],
      ["PUT", `/api/stories/${id}/chapters/${ch}/guide`, { parts: [] }],
      ["GET", `/api/stories/${id}/chapters/${ch}/revisions`],
      ["POST", `/api/stories/${id}/chapters/${ch}/revisions/${rev}/restore`],
      ["GET", `/api/stories/${id}/estimate?stage=meta`],
      ["POST", `/api/stories/${id}/generate`, { stage: "meta" }],
      ["GET", `/api/stories/${id}/jobs`],
      ["GET", `/api/images/${id}/cover`],
      ["GET", `/api/images/${id}/chapters/${ch}`],
    ];
    const stranger = await newUser();
    const before = await snapshot(id);
    for (const [method, path, body] of routes) {
      const other = await stranger.req(method, path, body);
      expect(other.status, `${method} ${path} as another user`).toBe(404);
      const anon = await anonymous().req(method, path, body);
      expect(anon.status, `${method} ${path} anonymously`).toBe(401);
    }
    expect(await snapshot(id)).toBe(before);
  });

  it("lets signed-in readers read a shared story but never change it", async () => {
    const owner = await newUser();
    const s = await storyWithOutline(owner, 1);
    await owner.patch(`/api/stories/${s.story.id}`, { shared: true });
    const reader = await newUser();
    expect((await reader.get(`/api/stories/${s.story.id}`)).status).toBe(200);
    expect((await reader.get(`/api/stories/${s.story.id}/chapters/${s.chapters[0]!.id}`)).status).toBe(200);
    expect((await reader.patch(`/api/stories/${s.story.id}`, { title: "x" })).status).toBe(404);
    expect((await reader.put(`/api/stories/${s.story.id}/arcs`, { arcs: ["x"] })).status).toBe(404);
    expect((await anonymous().get(`/api/stories/${s.story.id}`)).status).toBe(401);
  });

  it("answers 400 for ids that are not ids", async () => {
    const u = await newUser();
    for (const path of ["/api/stories/abc", "/api/stories/0", "/api/stories/-1", "/api/stories/1/chapters/x", "/api/stories/1e3"]) {
      const res = await u.get(path);
      expect(res.status, path).toBe(400);
    }
    expect((await u.get("/api/stories/999999")).status).toBe(404);
  });
});
