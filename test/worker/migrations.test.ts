// The migrations that move data (docs/SCALE.md), replayed on an empty database: each runs on rows
// written by the schema before it, and leaves them readable by the code after it.
import type { D1Migration } from "cloudflare:test";
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const all = (env as unknown as { TEST_MIGRATIONS: D1Migration[] }).TEST_MIGRATIONS;
const db = (env as unknown as { MIGRATION_DB: D1Database }).MIGRATION_DB;
const upTo = (name: string) => all.slice(0, all.findIndex((m) => m.name.startsWith(name)));
const only = (name: string) => all.filter((m) => m.name.startsWith(name));

describe("migrations", () => {
  it("0007 copies every chapter's beats, in order, into its guide column before their table goes", async () => {
    await applyD1Migrations(db, upTo("0007"), "d1_migrations");
    await db.batch([
      db.prepare("INSERT INTO roles (id, name) VALUES (1, 'Free')"),
      db.prepare("INSERT INTO users (id, username, email, password_hash, role_id) VALUES (1, 'ada', 'ada@example.com', 'x', 1)"),
      db.prepare("INSERT INTO stories (id, user_id, title, chapters_count) VALUES (1, 1, 'Low Tide', 2)"),
      db.prepare("INSERT INTO chapters (id, story_id, number, title) VALUES (10, 1, 1, 'One'), (11, 1, 2, 'Two')"),
      db.prepare(
        `INSERT INTO chapter_guides (chapter_id, position, text, characters, locations) VALUES
         (10, 1, 'Second beat.', '["Bram"]', '[]'), (10, 0, 'First beat, "quoted".', '["Ada","Bram"]', '["The Point"]')`,
      ),
    ]);
    await applyD1Migrations(db, only("0007"), "d1_migrations");
    const rows = (await db.prepare("SELECT id, guide, guide_hash, guide_count FROM chapters ORDER BY id").all<{ id: number; guide: string | null; guide_hash: string | null; guide_count: number }>()).results;
    expect(rows.map((r) => ({ ...r, guide: r.guide && JSON.parse(r.guide) }))).toEqual([
      {
        id: 10,
        guide: [
          { text: 'First beat, "quoted".', characters: ["Ada", "Bram"], locations: ["The Point"] },
          { text: "Second beat.", characters: ["Bram"], locations: [] },
        ],
        guide_hash: null,
        guide_count: 2,
      },
      { id: 11, guide: null, guide_hash: null, guide_count: 0 },
    ]);
    expect(await db.prepare("SELECT name FROM sqlite_master WHERE name = 'chapter_guides'").first()).toBeNull();
  });

  it("0008 gives every story a version, and a new one whenever its rows change", async () => {
    // Runs after the test above, on the same database: stories 1 and 2 exist before 0008.
    await db.prepare("INSERT INTO stories (id, user_id, title, chapters_count) VALUES (2, 1, 'High Water', 1)").run();
    await applyD1Migrations(db, only("0008"), "d1_migrations");
    const versions = async () => (await db.prepare("SELECT story_id, version FROM story_versions ORDER BY story_id").all<{ story_id: number; version: string }>()).results;
    const before = await versions();
    expect(before.map((v) => v.story_id)).toEqual([1, 2]);
    expect(before.every((v) => /^[0-9a-f]{16}$/.test(v.version))).toBe(true);
    await db.prepare("UPDATE chapters SET title = 'Uno' WHERE id = 10").run();
    const after = await versions();
    expect(after[0]!.version).not.toBe(before[0]!.version);
    expect(after[1]!.version).toBe(before[1]!.version);
    await db.prepare("INSERT INTO stories (id, user_id, title, chapters_count) VALUES (3, 1, 'Slack', 1)").run();
    expect((await versions()).map((v) => v.story_id)).toEqual([1, 2, 3]);
    await db.prepare("DELETE FROM stories WHERE id = 1").run();
    expect((await versions()).map((v) => v.story_id)).toEqual([2, 3]);
  });
});
