// Reading other people's stories: Explore, spotlight, favourites, reports, comments.
// The database is shared by the tests of this file, so each test tags or names its stories with
// a word of its own and looks only at those.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admin, anonymous, newStory, newUser, storyInput, trustedReader, type Client } from "../support/client";
import { openTab } from "../support/ws";

const uniq = () => `w${Math.random().toString(36).slice(2, 10)}`;

const rows = async <T = any>(query: string, ...args: unknown[]) => (await env.DB.prepare(query).bind(...args).all<T>()).results;
const one = async <T = any>(query: string, ...args: unknown[]) => (await rows<T>(query, ...args))[0]!;

async function publicStory(c: Client, over: Record<string, unknown> = {}) {
  return (await newStory(c, { shared: true, chaptersCount: 1, ...over })).story;
}

const ids = (res: { body: { stories: { id: number }[] } }) => res.body.stories.map((s) => s.id);

/** Everything the social routes could change, for "nothing changed" checks. */
const socialSnapshot = async (storyId: number) =>
  JSON.stringify(
    await env.DB.batch([
      env.DB.prepare("SELECT shared, flagged, spotlight, favorites_count, updated_at FROM stories WHERE id = ?").bind(storyId),
      env.DB.prepare("SELECT user_id, created_at FROM favorites WHERE story_id = ? ORDER BY user_id").bind(storyId),
      env.DB.prepare("SELECT user_id, reason FROM story_flags WHERE story_id = ? ORDER BY user_id").bind(storyId),
      env.DB.prepare("SELECT id, user_id, body, updated_at FROM comments WHERE story_id = ? ORDER BY id").bind(storyId),
      env.DB.prepare("SELECT count(*) AS n FROM notifications").bind(),
    ]).then((rs) => rs.map((r) => r.results)),
  );

describe("explore", () => {
  it("lists only public stories of everyone, with author, tags, cover and counts", async () => {
    const tag = uniq();
    const owner = await newUser();
    const shared = await publicStory(owner, { tags: [tag, "sea"], chaptersCount: 2 });
    const priv = await newStory(owner, { tags: [tag] });
    const flagged = await publicStory(owner, { tags: [tag] });
    await env.DB.prepare("UPDATE stories SET flagged = 1 WHERE id = ?").bind(flagged.id).run();
    await env.DB.prepare("UPDATE stories SET cover_image_key = ? WHERE id = ?").bind(`stories/${shared.id}/cover.png`, shared.id).run();
    const chapter = (await owner.get(`/api/stories/${shared.id}`)).body.chapters[0];
    await owner.patch(`/api/stories/${shared.id}/chapters/${chapter.id}`, { content: "Some prose." });

    const reader = await newUser();
    const res = await reader.get(`/api/explore?tags=${tag}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, pageSize: 24, total: 1 });
    expect(ids(res)).toEqual([shared.id]);
    expect(res.body.stories[0]).toMatchObject({
      id: shared.id,
      author: owner.user.username,
      tags: [tag, "sea"],
      favoritesCount: 0,
      favorited: false,
      chaptersCount: 2,
      chaptersWritten: 1,
      coverImageUrl: expect.stringMatching(new RegExp(`^/api/images/${shared.id}/cover\\?v=\\d+$`)),
    });
    expect(ids(await owner.get(`/api/explore?tags=${tag}`))).not.toContain(priv.story.id);
    expect((await anonymous().get("/api/explore")).status).toBe(401);
    expect((await anonymous().get("/api/explore/spotlight")).status).toBe(401);
  });

  it("searches title and details, taking % and _ literally and clipping long queries to D1's pattern limit", async () => {
    const w = uniq();
    const u = await newUser();
    const inTitle = await publicStory(u, { title: `The ${w} affair` });
    const inDetails = await publicStory(u, { details: `Somewhere in ${w.toUpperCase()} county.` });
    const literal = await publicStory(u, { title: `${w} 100%_sure` });
    const wildcardBait = await publicStory(u, { title: `${w} 100xxsure` });
    const long = `${w}${"x".repeat(80)}`;
    const longTitle = await publicStory(u, { title: long });
    const reader = await newUser();

    expect(ids(await reader.get(`/api/explore?q=${w}`)).sort()).toEqual(
      [inTitle.id, inDetails.id, literal.id, wildcardBait.id, longTitle.id].sort(),
    );
    expect(ids(await reader.get(`/api/explore?q=${encodeURIComponent(`${w} 100%_`)}`))).toEqual([literal.id]);
    // 89 characters: longer than the 48 bytes a LIKE pattern may hold, so only its start is matched.
    expect(ids(await reader.get(`/api/explore?q=${long}`))).toEqual([longTitle.id]);
    for (const q of ["é".repeat(100), "%".repeat(100), "_\\%'\"", "😀".repeat(50), "   "]) {
      const res = await reader.get(`/api/explore?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
  });

  it("filters by tags: a story must carry all of them, in any case", async () => {
    const [a, b] = [uniq(), uniq()];
    const u = await newUser();
    const both = await publicStory(u, { tags: [a, b] });
    const onlyA = await publicStory(u, { tags: [a] });
    const reader = await newUser();
    expect(ids(await reader.get(`/api/explore?tags=${a}`)).sort()).toEqual([both.id, onlyA.id].sort());
    expect(ids(await reader.get(`/api/explore?tags=${a.toUpperCase()},%20${b}`))).toEqual([both.id]);
    expect(ids(await reader.get(`/api/explore?tags=${a},${a},${b}`))).toEqual([both.id]);
    expect(ids(await reader.get(`/api/explore?tags=${a},${uniq()}`))).toEqual([]);
    expect((await reader.get("/api/explore?tags=")).status).toBe(200);
  });

  it("sorts by recent activity, favourites and chapters written", async () => {
    const tag = uniq();
    const u = await newUser();
    const [s1, s2, s3] = [await publicStory(u, { tags: [tag], chaptersCount: 2 }), await publicStory(u, { tags: [tag] }), await publicStory(u, { tags: [tag] })];
    for (const ch of (await u.get(`/api/stories/${s1!.id}`)).body.chapters) await u.patch(`/api/stories/${s1!.id}/chapters/${ch.id}`, { content: "Words." });
    const c3 = (await u.get(`/api/stories/${s3!.id}`)).body.chapters[0];
    await u.patch(`/api/stories/${s3!.id}/chapters/${c3.id}`, { content: "Words." });
    for (const fan of [await newUser(), await newUser()]) await fan.post(`/api/stories/${s2!.id}/favorite`);
    await (await newUser()).post(`/api/stories/${s3!.id}/favorite`);
    for (const [s, t] of [[s1, 1000], [s2, 2000], [s3, 3000]] as const)
      await env.DB.prepare("UPDATE stories SET updated_at = ? WHERE id = ?").bind(Date.now() - 1_000_000 + t, s!.id).run();

    const reader = await newUser();
    const order = async (sort: string) => ids(await reader.get(`/api/explore?tags=${tag}&sort=${sort}`));
    expect(await order("recent")).toEqual([s3!.id, s2!.id, s1!.id]);
    expect(ids(await reader.get(`/api/explore?tags=${tag}`))).toEqual([s3!.id, s2!.id, s1!.id]);
    expect(await order("favorites")).toEqual([s2!.id, s3!.id, s1!.id]);
    expect(await order("chapters")).toEqual([s1!.id, s3!.id, s2!.id]);
  });

  it("pages 24 stories at a time", async () => {
    const tag = uniq();
    const u = await newUser();
    const made: number[] = [];
    for (let i = 0; i < 26; i++) made.push((await publicStory(u, { tags: [tag] })).id);
    const reader = await newUser();
    const p1 = await reader.get(`/api/explore?tags=${tag}`);
    const p2 = await reader.get(`/api/explore?tags=${tag}&page=2`);
    expect(p1.body).toMatchObject({ page: 1, pageSize: 24, total: 26 });
    expect(p1.body.stories).toHaveLength(24);
    expect(p2.body).toMatchObject({ page: 2, total: 26 });
    expect(p2.body.stories).toHaveLength(2);
    expect([...ids(p1), ...ids(p2)].sort()).toEqual([...made].sort());
    expect((await reader.get(`/api/explore?tags=${tag}&page=3`)).body.stories).toEqual([]);
  });

  it("shows mature stories only to viewers who asked for them, in Explore and the spotlight", async () => {
    const tag = uniq();
    const u = await newUser();
    const plain = await publicStory(u, { tags: [tag] });
    const mature = await publicStory(u, { tags: [tag], mature: true });
    const a = await admin();
    expect((await a.post(`/api/admin/stories/${mature.id}/spotlight`, { spotlight: true })).status).toBe(200);
    const reader = await newUser();
    expect(ids(await reader.get(`/api/explore?tags=${tag}`))).toEqual([plain.id]);
    expect(ids(await reader.get("/api/explore/spotlight"))).not.toContain(mature.id);
    expect((await reader.patch("/api/me", { showMature: true })).status).toBe(200);
    expect(ids(await reader.get(`/api/explore?tags=${tag}`)).sort()).toEqual([plain.id, mature.id].sort());
    expect(ids(await reader.get("/api/explore/spotlight"))).toContain(mature.id);
  });

  it.each([
    ["an unknown sort", "sort=best", "sort"],
    ["page 0", "page=0", "page"],
    ["a page that is not a number", "page=two", "page"],
    ["an oversized query", `q=${"x".repeat(101)}`, "q"],
    ["a repeated query", "q=a&q=b", "q"],
    ["markup in a tag", `tags=${encodeURIComponent("<b>x</b>")}`, "tags.0"],
    ["an oversized tag", `tags=${"t".repeat(41)}`, "tags.0"],
    ["too many tags", `tags=${Array.from({ length: 21 }, (_, i) => `t${i}`).join(",")}`, "tags"],
  ])("refuses %s (400 naming the field)", async (_, query, field) => {
    const res = await (await newUser()).get(`/api/explore?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[field]).toBeTruthy();
  });
});

describe("spotlight", () => {
  it("lists public stories the admins picked, newest first, and drops one that stops being public", async () => {
    const u = await newUser();
    const older = await publicStory(u);
    const newer = await publicStory(u);
    const a = await admin();
    for (const s of [older, newer]) expect((await a.post(`/api/admin/stories/${s.id}/spotlight`, { spotlight: true })).status).toBe(200);
    const reader = await newUser();
    let res = await reader.get("/api/explore/spotlight");
    expect(res.status).toBe(200);
    expect(res.body.stories.length).toBeLessThanOrEqual(12);
    expect(ids(res).slice(0, 2)).toEqual([newer.id, older.id]);
    expect(res.body.stories[0]).toMatchObject({ spotlight: true, author: u.user.username });

    await u.patch(`/api/stories/${newer.id}`, { shared: false });
    res = await reader.get("/api/explore/spotlight");
    expect(ids(res)).not.toContain(newer.id);
    expect(ids(res)).toContain(older.id);
  });
});

describe("favourites", () => {
  it("toggles idempotently, keeps the count exact and lists my favourites", async () => {
    const owner = await newUser();
    const s = await publicStory(owner);
    const fan = await newUser();
    let res = await fan.post(`/api/stories/${s.id}/favorite`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ favorited: true, favoritesCount: 1 });
    expect((await fan.post(`/api/stories/${s.id}/favorite`)).body).toEqual({ favorited: true, favoritesCount: 1 });
    expect((await fan.get(`/api/stories/${s.id}/social`)).body).toEqual({ favorited: true, reported: false, favoritesCount: 1, commentsCount: 0, own: false });

    const mine = await fan.get("/api/me/favorites");
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ page: 1, total: 1 });
    expect(mine.body.stories[0]).toMatchObject({ id: s.id, favorited: true, favoritesCount: 1, author: owner.user.username });
    expect((await fan.get(`/api/explore?q=${encodeURIComponent(s.title)}`)).body.stories.find((x: any) => x.id === s.id)?.favorited).toBe(true);

    res = await fan.del(`/api/stories/${s.id}/favorite`);
    expect(res.body).toEqual({ favorited: false, favoritesCount: 0 });
    expect((await fan.del(`/api/stories/${s.id}/favorite`)).body).toEqual({ favorited: false, favoritesCount: 0 });
    expect((await fan.get("/api/me/favorites")).body.stories).toEqual([]);
    expect((await anonymous().get("/api/me/favorites")).status).toBe(401);
  });

  it("counts exactly under concurrent requests", async () => {
    const s = await publicStory(await newUser());
    const fans = await Promise.all(Array.from({ length: 10 }, () => newUser()));
    let results = await Promise.all(fans.map((f) => f.post(`/api/stories/${s.id}/favorite`)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const count = async () => (await one("SELECT favorites_count AS n FROM stories WHERE id = ?", s.id)).n;
    expect(await count()).toBe(10);

    // One user pressing ten times at once is still one favourite.
    const eager = await newUser();
    results = await Promise.all(Array.from({ length: 10 }, () => eager.post(`/api/stories/${s.id}/favorite`)));
    expect(results.every((r) => r.status === 200 && r.body.favorited)).toBe(true);
    expect(await count()).toBe(11);

    await Promise.all([...fans.map((f) => f.del(`/api/stories/${s.id}/favorite`)), ...fans.map((f) => f.post(`/api/stories/${s.id}/favorite`))]);
    const real = (await one("SELECT count(*) AS n FROM favorites WHERE story_id = ?", s.id)).n;
    expect(await count()).toBe(real);
    await Promise.all(fans.map((f) => f.del(`/api/stories/${s.id}/favorite`)));
    expect(await count()).toBe(1);
  });

  it("refuses one's own story (403) and stories one cannot read (404); admins cannot favourite private ones", async () => {
    const owner = await newUser();
    const s = await publicStory(owner);
    const own = await owner.post(`/api/stories/${s.id}/favorite`);
    expect(own.status).toBe(403);
    expect(own.body.error).toMatchObject({ code: "own_story", message: "You cannot favourite your own story" });
    expect((await owner.del(`/api/stories/${s.id}/favorite`)).status).toBe(403);

    const priv = await newStory(owner);
    const stranger = await newUser();
    expect((await stranger.post(`/api/stories/${priv.story.id}/favorite`)).status).toBe(404);
    const a = await admin();
    const res = await a.post(`/api/stories/${priv.story.id}/favorite`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("story_not_public");
    expect((await one("SELECT count(*) AS n FROM favorites WHERE story_id IN (?, ?)", s.id, priv.story.id)).n).toBe(0);
    expect((await stranger.post(`/api/stories/${s.id}/favorite`, { extra: 1 })).status).toBe(400);
  });

  it("keeps a favourite while the story is private, hidden from my list until it is shared again", async () => {
    const owner = await newUser();
    const s = await publicStory(owner);
    const fan = await newUser();
    await fan.post(`/api/stories/${s.id}/favorite`);
    await owner.patch(`/api/stories/${s.id}`, { shared: false });
    expect((await fan.get("/api/me/favorites")).body.stories).toEqual([]);
    expect((await fan.post(`/api/stories/${s.id}/favorite`)).status).toBe(404);
    await owner.patch(`/api/stories/${s.id}`, { shared: true });
    expect(ids(await fan.get("/api/me/favorites"))).toEqual([s.id]);
    // Removing it works whatever the story's state.
    await owner.patch(`/api/stories/${s.id}`, { shared: false });
    expect((await fan.del(`/api/stories/${s.id}/favorite`)).body).toEqual({ favorited: false, favoritesCount: 0 });
  });
});

describe("reports", () => {
  it("five counted reports unshare and flag the story and tell its author; an admin puts them under review", async () => {
    const author = await newUser();
    const s = await publicStory(author, { title: `Contested ${uniq()}` });
    const tab = await openTab(author);
    const reporters = await Promise.all(Array.from({ length: 5 }, () => trustedReader()));
    for (const r of reporters.slice(0, 4)) {
      const res = await r.post(`/api/stories/${s.id}/flag`, { reason: "Spam" });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ reported: true });
    }
    expect(await one("SELECT shared, flagged FROM stories WHERE id = ?", s.id)).toEqual({ shared: 1, flagged: 0 });
    expect((await reporters[0]!.get(`/api/stories/${s.id}/social`)).body.reported).toBe(true);

    expect((await reporters[4]!.post(`/api/stories/${s.id}/flag`)).status).toBe(200);
    expect(await one("SELECT shared, flagged, spotlight FROM stories WHERE id = ?", s.id)).toEqual({ shared: 0, flagged: 1, spotlight: 0 });
    // Reports alone never put an author under review: an admin decides.
    expect((await author.get("/api/me")).body.user.underReview).toBe(false);
    expect((await (await admin()).patch(`/api/admin/users/${author.user.id}`, { underReview: true })).status).toBe(200);
    expect((await author.get("/api/me")).body.user.underReview).toBe(true);
    const seen = await tab.waitFor((e) => e.event === "notification" && e.data.message.includes(s.title));
    expect(seen.data).toMatchObject({ level: "warning" });
    tab.close();
    const notes = (await author.get("/api/me/notifications")).body.notifications.filter((n: any) => n.message.includes(s.title));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: "warning", link: `/stories/${s.id}` });

    // Gone from public view; the author still has it.
    const reader = await newUser();
    expect((await reader.get(`/api/stories/${s.id}`)).status).toBe(404);
    expect(ids(await reader.get(`/api/explore?q=${encodeURIComponent(s.title)}`))).toEqual([]);
    expect((await author.get(`/api/stories/${s.id}`)).body.story).toMatchObject({ flagged: true, shared: false });
    // Withdrawing a report does not unflag (admins do).
    expect((await reporters[0]!.del(`/api/stories/${s.id}/flag`)).body).toEqual({ reported: false });
    // Under review, the author shares nothing: not this story, not another one, not a new one.
    const other = (await newStory(author, { title: `Quiet ${uniq()}` })).story;
    const before = await socialSnapshot(other.id);
    for (const refused of [
      await author.patch(`/api/stories/${s.id}`, { shared: true }),
      await author.patch(`/api/stories/${other.id}`, { shared: true, title: "Renamed" }),
      await author.post("/api/stories", storyInput({ title: "Fresh", shared: true })),
    ]) {
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: "under_review", fields: { shared: expect.stringContaining("under review") } });
    }
    expect(await socialSnapshot(other.id)).toBe(before);
    expect((await author.get(`/api/stories/${other.id}`)).body.story.title).toBe(other.title);
    // Private work goes on as before.
    expect((await author.patch(`/api/stories/${other.id}`, { title: "Renamed" })).status).toBe(200);
    expect((await author.post("/api/stories", storyInput({ title: "Fresh" }))).status).toBe(201);
    // Once an admin clears the review they may share again; the flagged story still stays out of view.
    const a = await admin();
    expect((await a.patch(`/api/admin/users/${author.user.id}`, { underReview: false })).status).toBe(200);
    expect((await author.patch(`/api/stories/${s.id}`, { shared: true })).status).toBe(200);
    expect((await one("SELECT flagged FROM stories WHERE id = ?", s.id)).flagged).toBe(1);
    expect((await reader.get(`/api/stories/${s.id}`)).status).toBe(404);
    expect((await author.patch(`/api/stories/${other.id}`, { shared: true })).status).toBe(200);
    expect((await reader.get(`/api/stories/${other.id}`)).status).toBe(200);
  });

  it("flags exactly once when many reports arrive at once", async () => {
    const author = await newUser();
    const s = await publicStory(author, { title: `Rushed ${uniq()}` });
    const reporters = await Promise.all(Array.from({ length: 7 }, () => trustedReader()));
    const results = await Promise.all(reporters.flatMap((r) => [r.post(`/api/stories/${s.id}/flag`), r.post(`/api/stories/${s.id}/flag`)]));
    // Reports that arrive after the story left public view find nothing to report.
    expect(results.every((r) => r.status === 200 || r.status === 404)).toBe(true);
    expect(await one("SELECT shared, flagged FROM stories WHERE id = ?", s.id)).toEqual({ shared: 0, flagged: 1 });
    expect((await one("SELECT count(*) AS n FROM story_flags WHERE story_id = ?", s.id)).n).toBeGreaterThanOrEqual(5);
    expect((await one("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND message LIKE ?", author.user.id, `%${s.title}%`)).n).toBe(1);
  });

  it("is idempotent, keeps the reason, and refuses one's own or an unreadable story", async () => {
    const owner = await newUser();
    const s = await publicStory(owner);
    const r = await newUser();
    await r.post(`/api/stories/${s.id}/flag`, { reason: "  Copied from a published novel  " });
    await r.post(`/api/stories/${s.id}/flag`, { reason: "Again" });
    expect(await rows("SELECT user_id, reason FROM story_flags WHERE story_id = ?", s.id)).toEqual([
      { user_id: r.user.id, reason: "Copied from a published novel" },
    ]);
    const own = await owner.post(`/api/stories/${s.id}/flag`);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe("You cannot report your own story");
    const priv = await newStory(owner);
    expect((await r.post(`/api/stories/${priv.story.id}/flag`)).status).toBe(404);
    expect((await r.del(`/api/stories/${priv.story.id}/flag`)).status).toBe(404);
  });

  it.each([
    ["an oversized reason", { reason: "x".repeat(501) }, "reason"],
    ["a reason that is not text", { reason: 5 }, "reason"],
    ["markup in the reason", { reason: "<script>alert(1)</script>" }, "reason"],
    ["an unknown field", { reason: "spam", count: 5 }, "count"],
  ])("refuses %s and records nothing", async (_, body, field) => {
    const s = await publicStory(await newUser());
    const before = await socialSnapshot(s.id);
    const res = await (await newUser()).post(`/api/stories/${s.id}/flag`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[field]).toBeTruthy();
    expect(await socialSnapshot(s.id)).toBe(before);
  });
});

describe("comments", () => {
  it("are written, listed newest first, edited and deleted by their author only; admins may delete any", async () => {
    const author = await newUser();
    const s = await publicStory(author);
    const reader = await newUser();
    const first = await reader.post(`/api/stories/${s.id}/comments`, { body: "  Loved the *storm* chapter. a < b, <3  " });
    expect(first.status).toBe(201);
    expect(first.body.comment).toMatchObject({
      storyId: s.id,
      userId: reader.user.id,
      author: reader.user.username,
      body: "Loved the *storm* chapter. a < b, <3",
      updatedAt: null,
    });
    const second = await author.post(`/api/stories/${s.id}/comments`, { body: "Thank you!" });
    let list = await (await newUser()).get(`/api/stories/${s.id}/comments`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 50, total: 2 });
    expect(list.body.comments.map((c: any) => [c.id, c.author])).toEqual([
      [second.body.comment.id, author.user.username],
      [first.body.comment.id, reader.user.username],
    ]);

    const id = first.body.comment.id;
    const edited = await reader.patch(`/api/comments/${id}`, { body: "Loved it." });
    expect(edited.status).toBe(200);
    expect(edited.body.comment).toMatchObject({ id, body: "Loved it.", updatedAt: expect.any(String) });
    const notMine = await author.patch(`/api/comments/${id}`, { body: "Hacked" });
    expect(notMine.status).toBe(403);
    expect((await author.del(`/api/comments/${id}`)).status).toBe(403);
    expect((await one("SELECT body FROM comments WHERE id = ?", id)).body).toBe("Loved it.");

    expect((await author.del(`/api/comments/${second.body.comment.id}`)).status).toBe(200);
    const a = await admin();
    expect((await a.del(`/api/comments/${id}`)).status).toBe(200);
    expect(await rows("SELECT action FROM audit_log WHERE target = ?", `comment:${id}`)).toEqual([{ action: "comment.delete" }]);
    list = await reader.get(`/api/stories/${s.id}/comments`);
    expect(list.body).toMatchObject({ comments: [], total: 0 });
    expect((await reader.del(`/api/comments/${id}`)).status).toBe(404);
  });

  it("notifies the story's author live when someone else comments, and not for their own", async () => {
    const author = await newUser();
    const s = await publicStory(author, { title: `Talked about ${uniq()}` });
    const tab = await openTab(author);
    expect((await author.post(`/api/stories/${s.id}/comments`, { body: "A note from me" })).status).toBe(201);
    const reader = await newUser();
    expect((await reader.post(`/api/stories/${s.id}/comments`, { body: "Great!" })).status).toBe(201);
    const seen = await tab.waitFor((e) => e.event === "notification" && e.data.message.includes(s.title));
    expect(seen.data).toEqual({ message: `${reader.user.username} commented on "${s.title}"`, level: "info" });
    // Events arrive in order: had the author's own comment notified them, it would be here first.
    expect(tab.events.filter((e) => e.event === "notification")).toHaveLength(1);
    tab.close();
    const notes = (await author.get("/api/me/notifications")).body.notifications.filter((n: any) => n.message.includes(s.title));
    expect(notes).toEqual([expect.objectContaining({ level: "info", link: `/stories/${s.id}/read#comments` })]);
    expect((await reader.get("/api/me/notifications")).body.notifications).toEqual([]);
    expect((await reader.get(`/api/stories/${s.id}/social`)).body.commentsCount).toBe(2);
  });

  it("are open on one's own private story, and on any story to admins", async () => {
    const owner = await newUser();
    const priv = (await newStory(owner)).story;
    expect((await owner.post(`/api/stories/${priv.id}/comments`, { body: "Note to self" })).status).toBe(201);
    const a = await admin();
    expect((await a.get(`/api/stories/${priv.id}/comments`)).body.total).toBe(1);
    expect((await a.post(`/api/stories/${priv.id}/comments`, { body: "Moderator here" })).status).toBe(201);
    expect((await one("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND message LIKE '%commented%'", owner.user.id)).n).toBe(1);
  });

  it.each([
    ["a missing body", {}, "body"],
    ["an empty body", { body: "" }, "body"],
    ["a blank body", { body: "   \n " }, "body"],
    ["a body that is not text", { body: ["hi"] }, "body"],
    ["an oversized body", { body: "x".repeat(4001) }, "body"],
    ["markup", { body: '<img src=x onerror="alert(1)">' }, "body"],
    ["an unknown field", { body: "hi", userId: 1 }, "userId"],
  ])("refuse %s, when written or edited, and change nothing", async (_, body, field) => {
    const s = await publicStory(await newUser());
    const reader = await newUser();
    const mine = (await reader.post(`/api/stories/${s.id}/comments`, { body: "Original" })).body.comment;
    const before = await socialSnapshot(s.id);
    for (const res of [await reader.post(`/api/stories/${s.id}/comments`, body), await reader.patch(`/api/comments/${mine.id}`, body)]) {
      expect(res.status).toBe(400);
      expect(res.body.error.fields[field]).toBeTruthy();
    }
    expect(await socialSnapshot(s.id)).toBe(before);
  });

  it("refuse bad pages and ids", async () => {
    const u = await newUser();
    const s = await publicStory(u);
    for (const path of [`/api/stories/${s.id}/comments?page=0`, `/api/stories/${s.id}/comments?page=x`, "/api/stories/abc/comments"]) {
      const res = await u.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.fields).toBeTruthy();
    }
    for (const res of [await u.patch("/api/comments/abc", { body: "x" }), await u.del("/api/comments/0")]) expect(res.status).toBe(400);
    expect((await u.patch("/api/comments/999999999", { body: "x" })).status).toBe(404);
  });
});

describe("ownership", () => {
  it("hides another user's private story (404) and refuses anonymous callers (401) on every social route", async () => {
    const owner = await newUser();
    const id = (await newStory(owner)).story.id;
    const comment = (await owner.post(`/api/stories/${id}/comments`, { body: "Private note" })).body.comment.id;
    const routes: [string, string, unknown?][] = [
      ["GET", `/api/stories/${id}/social`],
      ["POST", `/api/stories/${id}/favorite`],
      ["DELETE", `/api/stories/${id}/favorite`],
      ["POST", `/api/stories/${id}/flag`, { reason: "x" }],
      ["DELETE", `/api/stories/${id}/flag`],
      ["GET", `/api/stories/${id}/comments`],
      ["POST", `/api/stories/${id}/comments`, { body: "Let me in" }],
      ["PATCH", `/api/comments/${comment}`, { body: "Overwritten" }],
      ["DELETE", `/api/comments/${comment}`],
    ];
    const stranger = await newUser();
    const before = await socialSnapshot(id);
    for (const [method, path, body] of routes) {
      expect((await stranger.req(method, path, body)).status, `${method} ${path} as another user`).toBe(404);
      expect((await anonymous().req(method, path, body)).status, `${method} ${path} anonymously`).toBe(401);
    }
    expect(await socialSnapshot(id)).toBe(before);
  });
});
