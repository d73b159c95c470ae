// Site content and moderation: news, feedback, tags, and the admin's story tools.
// Every admin change leaves an audit row; non-admins get 403, visitors 401, and bad input is a 400
// that changes nothing.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, anonymous, newStory, newUser, trustedReader, type Client } from "../support/client";
import { openTab } from "../support/ws";

let a: Client;
beforeAll(async () => {
  a = await admin();
});

const uniq = () => `w${Math.random().toString(36).slice(2, 10)}`;
const rows = async <T = any>(query: string, ...args: unknown[]) => (await env.DB.prepare(query).bind(...args).all<T>()).results;
const one = async <T = any>(query: string, ...args: unknown[]) => (await rows<T>(query, ...args))[0]!;
const auditFor = (target: string) => rows("SELECT actor_id, action, before, after FROM audit_log WHERE target = ? ORDER BY id", target);

const publicStory = async (c: Client, over: Record<string, unknown> = {}) =>
  (await newStory(c, { shared: true, chaptersCount: 1, ...over })).story;

/** Five readers report the story: it is flagged and unshared, and an admin puts its author under review. */
async function flagByReports(storyId: number) {
  for (let i = 0; i < 5; i++) expect((await (await trustedReader()).post(`/api/stories/${storyId}/flag`, { reason: `reason ${i}` })).status).toBe(200);
  const { flagged, user_id } = await one("SELECT flagged, user_id FROM stories WHERE id = ?", storyId);
  expect(flagged).toBe(1);
  expect((await a.patch(`/api/admin/users/${user_id}`, { underReview: true })).status).toBe(200);
}

/** Everything the admin content routes could change. */
const contentSnapshot = async () =>
  JSON.stringify(
    await env.DB.batch(
      [
        "SELECT * FROM news ORDER BY id",
        "SELECT * FROM feedback ORDER BY id",
        "SELECT * FROM tags ORDER BY id",
        "SELECT * FROM story_tags ORDER BY story_id, tag_id",
        "SELECT id, shared, flagged, spotlight FROM stories ORDER BY id",
        "SELECT count(*) AS n FROM story_flags",
        "SELECT count(*) AS n FROM audit_log",
      ].map((q) => env.DB.prepare(q)),
    ).then((rs) => rs.map((r) => r.results)),
  );

describe("news", () => {
  it("admins write, edit, unpublish and delete news; readers see what is published, newest first", async () => {
    const title = `Release ${uniq()}`;
    const created = await a.post("/api/admin/news", { title, body: "We shipped **Explore**." });
    expect(created.status).toBe(201);
    expect(created.body.news).toMatchObject({ title, body: "We shipped **Explore**.", published: true, createdAt: expect.any(String) });
    const id = created.body.news.id;
    const draft = (await a.post("/api/admin/news", { title: `Draft ${uniq()}`, body: "Soon", published: false })).body.news;

    const reader = await newUser();
    let list = (await reader.get("/api/news")).body.news;
    expect(list[0]).toMatchObject({ id, title });
    expect(list.map((n: any) => n.id)).not.toContain(draft.id);
    expect((await a.get("/api/admin/news")).body).toMatchObject({ page: 1, pageSize: 50, news: expect.arrayContaining([expect.objectContaining({ id: draft.id, published: false })]) });

    const edited = await a.patch(`/api/admin/news/${id}`, { body: "We shipped Explore and comments.", published: false });
    expect(edited.status).toBe(200);
    expect(edited.body.news).toMatchObject({ id, title, body: "We shipped Explore and comments.", published: false });
    list = (await reader.get("/api/news")).body.news;
    expect(list.map((n: any) => n.id)).not.toContain(id);

    expect((await a.del(`/api/admin/news/${id}`)).status).toBe(200);
    expect((await a.del(`/api/admin/news/${id}`)).status).toBe(404);
    expect((await a.patch(`/api/admin/news/${id}`, { title: "x" })).status).toBe(404);
    expect((await auditFor(`news:${id}`)).map((r) => r.action)).toEqual(["news.create", "news.update", "news.delete"]);
    expect((await anonymous().get("/api/news")).status).toBe(401);
  });

  it.each([
    // A patch may leave the title out; everything else is refused by both.
    ["a missing title", { body: "b" }, "title", false],
    ["a blank title", { title: "  ", body: "b" }, "title", true],
    ["an oversized title", { title: "t".repeat(201), body: "b" }, "title", true],
    ["an oversized body", { title: "t", body: "b".repeat(20_001) }, "body", true],
    ["a body that is not text", { title: "t", body: 42 }, "body", true],
    ["published as text", { title: "t", body: "b", published: "yes" }, "published", true],
    ["markup", { title: "t", body: "<script>alert(1)</script>" }, "body", true],
    ["an unknown field", { title: "t", body: "b", createdAt: "2020-01-01" }, "createdAt", true],
  ])("refuses %s", async (_, body, field, inPatch) => {
    const existing = (await a.post("/api/admin/news", { title: `Keep ${uniq()}`, body: "Kept" })).body.news;
    const before = await contentSnapshot();
    const attempts = [await a.post("/api/admin/news", body)];
    if (inPatch) attempts.push(await a.patch(`/api/admin/news/${existing.id}`, body));
    for (const res of attempts) {
      expect(res.status).toBe(400);
      expect(res.body.error.fields[field]).toBeTruthy();
    }
    expect(await contentSnapshot()).toBe(before);
  });

  it("refuses an empty patch", async () => {
    const existing = (await a.post("/api/admin/news", { title: `Keep ${uniq()}`, body: "Kept" })).body.news;
    const res = await a.patch(`/api/admin/news/${existing.id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toBeTruthy();
  });
});

describe("feedback", () => {
  it("any signed-in user sends feedback; admins read it with the sender and delete it", async () => {
    const u = await newUser();
    const message = `The reader's font is too small ${uniq()}`;
    const sent = await u.post("/api/feedback", { message });
    expect(sent.status).toBe(201);
    expect(sent.body.feedback).toMatchObject({ userId: u.user.id, username: u.user.username, message });
    expect((await anonymous().post("/api/feedback", { message })).status).toBe(401);

    const list = await a.get("/api/admin/feedback");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 50 });
    expect(list.body.feedback[0]).toMatchObject({ id: sent.body.feedback.id, userId: u.user.id, username: u.user.username, message });

    const id = sent.body.feedback.id;
    expect((await a.del(`/api/admin/feedback/${id}`)).status).toBe(200);
    expect((await a.del(`/api/admin/feedback/${id}`)).status).toBe(404);
    expect((await a.get("/api/admin/feedback")).body.feedback.map((f: any) => f.id)).not.toContain(id);
    expect((await auditFor(`feedback:${id}`)).map((r) => r.action)).toEqual(["feedback.delete"]);
  });

  it("takes at most ten messages an hour from one user", async () => {
    const u = await newUser();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => u.post("/api/feedback", { message: `Idea ${i}` })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(2);
    expect((await one("SELECT count(*) AS n FROM feedback WHERE user_id = ?", u.user.id)).n).toBe(10);
    expect((await (await newUser()).post("/api/feedback", { message: "Someone else" })).status).toBe(201);
  });

  it.each([
    ["a missing message", {}, "message"],
    ["a blank message", { message: "   " }, "message"],
    ["a message that is not text", { message: { text: "hi" } }, "message"],
    ["an oversized message", { message: "m".repeat(4001) }, "message"],
    ["markup", { message: "<iframe src=//evil>" }, "message"],
    ["an unknown field", { message: "hi", userId: 1 }, "userId"],
  ])("refuses %s", async (_, body, field) => {
    const u = await newUser();
    const before = await contentSnapshot();
    const res = await u.post("/api/feedback", body);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[field]).toBeTruthy();
    expect(await contentSnapshot()).toBe(before);
  });
});

describe("tags", () => {
  it("suggests tag names by prefix, most used first, never a tag only other people's private stories use", async () => {
    const p = uniq();
    const author = await newUser();
    await publicStory(author, { tags: [`${p}-popular`] });
    await publicStory(author, { tags: [`${p}-popular`, `${p}-rare`] });
    await newStory(author, { tags: [`${p}-secret`] });
    await a.post("/api/admin/tags", { name: `${p}-curated` });
    await publicStory(author, { tags: [`other-${p}`] });

    const reader = await newUser();
    const res = await reader.get(`/api/tags?q=${p.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.tags).toEqual([`${p}-popular`, `${p}-rare`, `${p}-curated`]);
    // The author sees their own private tag.
    expect((await author.get(`/api/tags?q=${p}`)).body.tags).toContain(`${p}-secret`);
    expect((await reader.get("/api/tags")).body.tags.length).toBeLessThanOrEqual(20);
    for (const q of ["%", "_", "\\", "é".repeat(40)]) expect((await reader.get(`/api/tags?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
    expect((await reader.get(`/api/tags?q=${"t".repeat(41)}`)).body.error.fields.q).toBeTruthy();
    expect((await reader.get("/api/tags?q=a&q=b")).status).toBe(400);
    expect((await anonymous().get("/api/tags")).status).toBe(401);
  });

  it("admins create, rename and delete tags; deleting one removes it from every story", async () => {
    const name = uniq();
    const created = await a.post("/api/admin/tags", { name });
    expect(created.status).toBe(201);
    expect(created.body.tag).toMatchObject({ name, stories: 0 });
    const id = created.body.tag.id;
    const dup = await a.post("/api/admin/tags", { name: name.toUpperCase() });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields.name).toBeTruthy();

    const u = await newUser();
    const s = await publicStory(u, { tags: [name, "keep"] });
    const listed = await a.get(`/api/admin/tags?q=${name}`);
    expect(listed.body).toMatchObject({ total: 1, tags: [{ id, name, stories: 1 }] });

    const renamed = await a.patch(`/api/admin/tags/${id}`, { name: `${name}-renamed` });
    expect(renamed.status).toBe(200);
    expect(renamed.body.tag).toEqual({ id, name: `${name}-renamed`, stories: 1 });
    expect((await u.get(`/api/stories/${s.id}`)).body.story.tags).toEqual([`${name}-renamed`, "keep"]);
    // Only the case changes: the same tag.
    expect((await a.patch(`/api/admin/tags/${id}`, { name: `${name.toUpperCase()}-RENAMED` })).status).toBe(200);
    const other = (await a.post("/api/admin/tags", { name: `${name}-other` })).body.tag;
    expect((await a.patch(`/api/admin/tags/${other.id}`, { name: `${name}-renamed` })).status).toBe(409);

    expect((await a.del(`/api/admin/tags/${id}`)).status).toBe(200);
    expect((await u.get(`/api/stories/${s.id}`)).body.story.tags).toEqual(["keep"]);
    expect((await a.del(`/api/admin/tags/${id}`)).status).toBe(404);
    expect((await auditFor(`tag:${id}`)).map((r) => r.action)).toEqual(["tag.create", "tag.update", "tag.update", "tag.delete"]);
  });

  it.each([
    ["a missing name", {}, "name"],
    ["a blank name", { name: "  " }, "name"],
    ["an oversized name", { name: "n".repeat(41) }, "name"],
    ["a name that is not text", { name: 7 }, "name"],
    ["markup", { name: "<b>bold</b>" }, "name"],
    ["a comma", { name: "a,b" }, "name"],
    ["an unknown field", { name: "ok", id: 1 }, "id"],
  ])("refuses %s", async (_, body, field) => {
    const existing = (await a.post("/api/admin/tags", { name: uniq() })).body.tag;
    const before = await contentSnapshot();
    for (const res of [await a.post("/api/admin/tags", body), await a.patch(`/api/admin/tags/${existing.id}`, body)]) {
      expect(res.status).toBe(400);
      expect(res.body.error.fields[field]).toBeTruthy();
    }
    expect(await contentSnapshot()).toBe(before);
  });
});

describe("story moderation", () => {
  it("lists stories with their report counts and recent reports, filtered by flag", async () => {
    const author = await newUser();
    const title = `Reported ${uniq()}`;
    const s = await publicStory(author, { title });
    // Shared before the reports: an author under review shares nothing new.
    const calm = await publicStory(author, { title: `${title} calm` });
    await flagByReports(s.id);

    const flagged = await a.get(`/api/admin/stories?flagged=true&q=${encodeURIComponent(title)}`);
    expect(flagged.status).toBe(200);
    expect(flagged.body).toMatchObject({ page: 1, pageSize: 50, total: 1 });
    const row = flagged.body.stories[0];
    expect(row).toMatchObject({ id: s.id, title, author: author.user.username, flagged: true, shared: false, reports: 5, authorUnderReview: true });
    expect(row.recentReports).toHaveLength(5);
    expect(row.recentReports[0]).toMatchObject({ reason: expect.stringMatching(/^reason \d$/), username: expect.any(String) });

    const all = await a.get(`/api/admin/stories?q=${encodeURIComponent(title)}`);
    expect(all.body.stories.map((x: any) => x.id).sort()).toEqual([s.id, calm.id].sort());
    expect((await a.get(`/api/admin/stories?flagged=false&q=${encodeURIComponent(title)}`)).body.stories.map((x: any) => x.id)).toEqual([calm.id]);
    expect((await a.get(`/api/admin/stories?q=${author.user.username}`)).body.total).toBe(2);
  });

  it("spotlights only public stories, and can take any story out of the spotlight", async () => {
    const u = await newUser();
    const pub = await publicStory(u);
    const priv = (await newStory(u)).story;
    let res = await a.post(`/api/admin/stories/${pub.id}/spotlight`, { spotlight: true });
    expect(res.status).toBe(200);
    expect(res.body.story).toMatchObject({ id: pub.id, spotlight: true });
    expect((await (await newUser()).get("/api/explore/spotlight")).body.stories.map((s: any) => s.id)).toContain(pub.id);

    res = await a.post(`/api/admin/stories/${priv.id}/spotlight`, { spotlight: true });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("story_not_public");
    expect((await one("SELECT spotlight FROM stories WHERE id = ?", priv.id)).spotlight).toBe(0);

    res = await a.post(`/api/admin/stories/${pub.id}/spotlight`, { spotlight: false });
    expect(res.body.story.spotlight).toBe(false);
    expect((await (await newUser()).get("/api/explore/spotlight")).body.stories.map((s: any) => s.id)).not.toContain(pub.id);
    expect(await auditFor(`story:${pub.id}`)).toEqual([
      { actor_id: a.user.id, action: "story.spotlight", before: '{"spotlight":false}', after: '{"spotlight":true}' },
      { actor_id: a.user.id, action: "story.spotlight", before: '{"spotlight":true}', after: '{"spotlight":false}' },
    ]);
    expect(await auditFor(`story:${priv.id}`)).toEqual([]);
    expect((await a.post("/api/admin/stories/999999999/spotlight", { spotlight: true })).status).toBe(404);
  });

  it("unflags: clears the flag and the reports, tells the author, and lets them share the story again", async () => {
    const author = await newUser();
    const s = await publicStory(author, { title: `Restored ${uniq()}` });
    const other = await publicStory(author);
    await flagByReports(s.id);
    await flagByReports(other.id);
    const tab = await openTab(author);

    let res = await a.post(`/api/admin/stories/${s.id}/unflag`);
    expect(res.status).toBe(200);
    expect(res.body.story).toMatchObject({ id: s.id, flagged: false, shared: false });
    expect((await one("SELECT count(*) AS n FROM story_flags WHERE story_id = ?", s.id)).n).toBe(0);
    const seen = await tab.waitFor((e) => e.event === "notification" && e.data.message.includes(s.title));
    expect(seen.data).toMatchObject({ level: "success" });
    tab.close();
    // Another story of theirs is still flagged: still under review.
    expect((await author.get("/api/me")).body.user.underReview).toBe(true);

    expect((await a.post(`/api/admin/stories/${other.id}/unflag`, {})).status).toBe(200);
    expect((await author.get("/api/me")).body.user.underReview).toBe(false);

    // Unshared until the author shares it again; then readers find it.
    const reader = await newUser();
    expect((await reader.get(`/api/stories/${s.id}`)).status).toBe(404);
    await author.patch(`/api/stories/${s.id}`, { shared: true });
    expect((await reader.get(`/api/explore?q=${encodeURIComponent(s.title)}`)).body.stories.map((x: any) => x.id)).toEqual([s.id]);
    // Reports start from zero again.
    expect((await reader.post(`/api/stories/${s.id}/flag`)).status).toBe(200);
    expect((await one("SELECT flagged FROM stories WHERE id = ?", s.id)).flagged).toBe(0);

    const log = await auditFor(`story:${s.id}`);
    expect(log).toEqual([expect.objectContaining({ actor_id: a.user.id, action: "story.unflag" })]);
    expect(JSON.parse(log[0].before)).toMatchObject({ flagged: true, reports: 5 });
    res = await a.post(`/api/admin/stories/${s.id}/unflag`, { clear: true });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.clear).toBeTruthy();
  });

  it("deletes a story with its rows and images (the prefix ends in a slash) and tells the author", async () => {
    const author = await newUser();
    const s = await publicStory(author, { title: `Removed ${uniq()}` });
    const keep = await publicStory(author);
    const chapterId = (await author.get(`/api/stories/${s.id}`)).body.chapters[0].id;
    await env.FILES.put(`stories/${s.id}/cover.png`, "cover");
    await env.FILES.put(`stories/${s.id}/chapters/${chapterId}.png`, "chapter");
    await env.FILES.put(`stories/${s.id}0/cover.png`, "not this one");
    await env.FILES.put(`stories/${keep.id}/cover.png`, "nor this one");
    await (await newUser()).post(`/api/stories/${s.id}/comments`, { body: "Hello" });

    expect((await a.del(`/api/admin/stories/${s.id}`)).status).toBe(200);
    expect(await env.FILES.get(`stories/${s.id}/cover.png`)).toBeNull();
    expect(await env.FILES.get(`stories/${s.id}/chapters/${chapterId}.png`)).toBeNull();
    expect(await env.FILES.get(`stories/${s.id}0/cover.png`)).not.toBeNull();
    expect(await env.FILES.get(`stories/${keep.id}/cover.png`)).not.toBeNull();
    for (const table of ["stories WHERE id", "chapters WHERE story_id", "comments WHERE story_id"])
      expect((await one(`SELECT count(*) AS n FROM ${table} = ?`, s.id)).n, table).toBe(0);
    expect((await author.get(`/api/stories/${keep.id}`)).status).toBe(200);
    expect((await auditFor(`story:${s.id}`)).map((r) => r.action)).toEqual(["story.delete"]);
    const notes = (await author.get("/api/me/notifications")).body.notifications;
    expect(notes.some((n: any) => n.message.includes(s.title) && n.level === "warning")).toBe(true);
    expect((await a.del(`/api/admin/stories/${s.id}`)).status).toBe(404);
    await env.FILES.delete([`stories/${s.id}0/cover.png`, `stories/${keep.id}/cover.png`]);
  });

  it.each([
    ["GET", "/api/admin/stories?flagged=maybe", undefined, "flagged"],
    ["GET", "/api/admin/stories?page=-1", undefined, "page"],
    ["GET", `/api/admin/stories?q=${"q".repeat(101)}`, undefined, "q"],
    ["GET", "/api/admin/tags?page=x", undefined, "page"],
    ["GET", "/api/admin/news?page=0", undefined, "page"],
    ["GET", "/api/admin/feedback?page=10001", undefined, "page"],
    ["POST", "/api/admin/stories/abc/spotlight", { spotlight: true }, "id"],
    ["POST", "/api/admin/stories/1/spotlight", {}, "spotlight"],
    ["POST", "/api/admin/stories/1/spotlight", { spotlight: "yes" }, "spotlight"],
    ["POST", "/api/admin/stories/1/spotlight", { spotlight: true, flagged: false }, "flagged"],
    ["DELETE", "/api/admin/stories/0", undefined, "id"],
    ["PATCH", "/api/admin/tags/-1", { name: "x" }, "id"],
    ["DELETE", "/api/admin/news/1.5", undefined, "id"],
    ["DELETE", "/api/admin/feedback/x", undefined, "id"],
  ])("refuses %s %s (400 naming the field)", async (method, path, body, field) => {
    const before = await contentSnapshot();
    const res = await a.req(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[field]).toBeTruthy();
    expect(await contentSnapshot()).toBe(before);
  });
});

describe("admin access", () => {
  it("refuses visitors (401) and non-admins (403) on every admin content route, changing nothing", async () => {
    const u = await newUser();
    const s = await publicStory(u);
    await flagByReports(s.id);
    const tag = (await a.post("/api/admin/tags", { name: uniq() })).body.tag.id;
    const news = (await a.post("/api/admin/news", { title: "t", body: "b" })).body.news.id;
    const fb = (await u.post("/api/feedback", { message: "m" })).body.feedback.id;
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/admin/tags"],
      ["POST", "/api/admin/tags", { name: uniq() }],
      ["PATCH", `/api/admin/tags/${tag}`, { name: uniq() }],
      ["DELETE", `/api/admin/tags/${tag}`],
      ["GET", "/api/admin/news"],
      ["POST", "/api/admin/news", { title: "t", body: "b" }],
      ["PATCH", `/api/admin/news/${news}`, { title: "x" }],
      ["DELETE", `/api/admin/news/${news}`],
      ["GET", "/api/admin/feedback"],
      ["DELETE", `/api/admin/feedback/${fb}`],
      ["GET", "/api/admin/stories"],
      ["POST", `/api/admin/stories/${s.id}/spotlight`, { spotlight: false }],
      ["POST", `/api/admin/stories/${s.id}/unflag`],
      ["DELETE", `/api/admin/stories/${s.id}`],
    ];
    const before = await contentSnapshot();
    for (const [method, path, body] of routes) {
      expect((await anonymous().req(method, path, body)).status, `${method} ${path} anonymously`).toBe(401);
      const res = await u.req(method, path, body);
      expect(res.status, `${method} ${path} as a user`).toBe(403);
    }
    expect(await contentSnapshot()).toBe(before);
  });

  it("works with an admin API token", async () => {
    const created = await a.post("/api/me/tokens", { name: `script ${uniq()}` });
    expect(created.status).toBe(201);
    const script = anonymous();
    script.token = created.body.token.token;
    const res = await script.post("/api/admin/tags", { name: uniq() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await auditFor(`tag:${res.body.tag.id}`))[0]).toMatchObject({ actor_id: a.user.id, action: "tag.create" });
  });
});
