// Chapter prose lives in R2 (docs/SCALE.md): D1 keeps what the app queries (word count, source,
// the text's SHA-256), and the object's key is derived from that hash, so one text is one object
// and writing it again changes nothing. Rows written before prose moved out keep their text inline
// (`content`) until `moveInlineProse` carries it over; every reader takes either. A chapter's beats
// (its guide) move the same way. A story's other content-addressed objects, its canons and its
// chapters' findings, follow the same rules and are swept here too; its built books (exports)
// replace each other as they are built.
import { and, eq, gte, inArray, isNotNull, ne, or, sql, type SQLWrapper } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { SizedLru } from "../core/lru";
import { countWords } from "../core/text";
import type { GuidePart } from "../shared/api";
import { sha256Hex } from "./crypto";
import type { Db } from "./db/client";
import { chapterChecks, chapterRevisions, chapters, generationJobs, stories } from "./db/schema";

/**
 * A text as a chapter row knows it: inline when `content` is not null (a row from before the move;
 * '' is an empty chapter), else in R2 by hash; neither is "no prose". A revision row moved to R2
 * keeps '' in its NOT NULL column, so it is read with `revisionRef`.
 */
export type TextRef = { content: string | null; contentHash: string | null };
export const revisionRef = (r: { content: string; contentHash: string | null }): TextRef => ({ content: r.content || null, contentHash: r.contentHash });

const chaptersPrefix = (storyId: number) => `stories/${storyId}/chapters/`;
/** The trailing slash keeps chapter 1's versions apart from chapter 12's. */
export const proseKey = (storyId: number, chapterId: number, hash: string) => `${chaptersPrefix(storyId)}${chapterId}/${hash}.md`;
/** A chapter's beats, in order, under the hash of their JSON. */
export const guideKey = (storyId: number, chapterId: number, hash: string) => `${chaptersPrefix(storyId)}${chapterId}/guides/${hash}.json`;
/** A chapter's findings as last checked (docs/CONTINUITY.md), under the hash of their JSON. */
export const findingsKey = (storyId: number, chapterId: number, hash: string) => `${chaptersPrefix(storyId)}${chapterId}/checks/${hash}.json`;
/** A built book (src/domain/export.ts), under the hash of what it was built from. */
export const exportsPrefix = (storyId: number) => `stories/${storyId}/exports/`;
export const exportKey = (storyId: number, version: string, extension: string) => `${exportsPrefix(storyId)}${version}.${extension}`;
/** A job's story bible (docs/MEMORY.md, "One canon per run"), under the hash of its JSON. */
export const canonKey = (storyId: number, hash: string) => `stories/${storyId}/canons/${hash}.json`;

/** What a key is, as the rows that name it say it: `prose:7/<hash>`, `guide:7/<hash>`, `findings:7/<hash>`, `canon:<hash>`; null for other objects (images). */
function refOf(key: string): string | null {
  let m = /\/chapters\/(\d+)\/([0-9a-f]{64})\.md$/.exec(key);
  if (m) return `prose:${m[1]}/${m[2]}`;
  m = /\/chapters\/(\d+)\/guides\/([0-9a-f]{64})\.json$/.exec(key);
  if (m) return `guide:${m[1]}/${m[2]}`;
  m = /\/chapters\/(\d+)\/checks\/([0-9a-f]{64})\.json$/.exec(key);
  if (m) return `findings:${m[1]}/${m[2]}`;
  m = /\/canons\/([0-9a-f]{64})\.json$/.exec(key);
  return m ? `canon:${m[1]}` : null;
}

/** The objects under `prefix`, a listing page at a time. */
async function* pagesUnder(bucket: R2Bucket, prefix: string): AsyncGenerator<R2Object[]> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor });
    yield page.objects;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/** Deletes every object under `prefix`, a page of keys at a time. */
export async function deleteUnder(bucket: R2Bucket, prefix: string) {
  for await (const objects of pagesUnder(bucket, prefix)) if (objects.length) await bucket.delete(objects.map((o) => o.key));
}

/** Deletes a deleted chapter's objects: every version of its prose, and its image. */
export async function deleteChapterObjects(bucket: R2Bucket, storyId: number, chapter: { id: number; imageKey: string | null }) {
  await deleteUnder(bucket, `${chaptersPrefix(storyId)}${chapter.id}/`);
  if (chapter.imageKey) await bucket.delete(chapter.imageKey);
}

/** How long an unreferenced object is left alone: a unit in flight has put it but not committed its hash yet. */
export const SWEEP_GRACE_MS = 60 * 60 * 1000;

/**
 * Puts `text` under the key its SHA-256 gives (`keyOf`), unless `stored` says that object is
 * already there; answers the hash and the key. Putting the same text again changes nothing.
 */
export async function putAddressed(bucket: R2Bucket, text: string, keyOf: (hash: string) => string, contentType: string, stored?: string | null): Promise<{ hash: string; key: string }> {
  const hash = await sha256Hex(text);
  const key = keyOf(hash);
  if (hash !== stored) await bucket.put(key, text, { httpMetadata: { contentType } });
  return { hash, key };
}

/** An object a row names. A missing one is lost data: an error (a 500), never an empty answer. */
export async function getNamed(bucket: R2Bucket, key: string): Promise<R2ObjectBody> {
  const object = await bucket.get(key);
  if (!object) throw new Error(`The object ${key} is missing`);
  return object;
}

/** What a chapter row records of a stored text. */
export type StoredText = { contentHash: string | null; wordCount: number; key: string | null };

/**
 * Stores a text before the batch that records it (so a unit redelivered after a crash finds its
 * object, or writes the same one again). An empty text is no prose: nothing is stored.
 */
export async function putProse(bucket: R2Bucket, storyId: number, chapterId: number, text: string): Promise<StoredText> {
  if (text === "") return { contentHash: null, wordCount: 0, key: null };
  const { hash, key } = await putAddressed(bucket, text, (h) => proseKey(storyId, chapterId, h), "text/markdown; charset=utf-8");
  return { contentHash: hash, wordCount: countWords(text), key };
}

/** A text's words, or null when there are none. A missing object is lost data: a 500, not a blank chapter. */
export async function readText(bucket: R2Bucket, storyId: number, chapterId: number, ref: TextRef): Promise<string | null> {
  if (ref.content !== null) return ref.content || null;
  if (!ref.contentHash) return null;
  return (await getNamed(bucket, proseKey(storyId, chapterId, ref.contentHash))).text();
}

/** The prose of chapters by id, read in parallel; chapters without prose are left out. */
export async function readProse(bucket: R2Bucket, storyId: number, rows: (TextRef & { id: number })[]): Promise<Map<number, string>> {
  const texts = await Promise.all(rows.map((r) => readText(bucket, storyId, r.id, r)));
  return new Map(rows.flatMap((r, i) => (texts[i] !== null ? [[r.id, texts[i]!] as const] : [])));
}

/** What a chapter row records of its beats: `guide` inline for a row from before the move, else `guideHash` (null: no beats). */
export type GuideRef = { id: number; guide: GuidePart[] | null; guideHash: string | null };
/** Stored beats: the chapter row's columns that record them (clearing any inline copy), and the object's key. */
export type StoredGuide = { columns: { guide: null; guideHash: string | null; guideCount: number }; key: string | null };

/** Stores a chapter's beats before the batch that records them; no beats is no object. */
export async function storeGuide(bucket: R2Bucket, storyId: number, chapterId: number, parts: GuidePart[]): Promise<StoredGuide> {
  if (!parts.length) return { columns: { guide: null, guideHash: null, guideCount: 0 }, key: null };
  const { hash, key } = await putAddressed(bucket, JSON.stringify(parts), (h) => guideKey(storyId, chapterId, h), "application/json");
  return { columns: { guide: null, guideHash: hash, guideCount: parts.length }, key };
}

// An object never changes under its hash, and every unit of a book reads every chapter's beats:
// an isolate keeps the texts of the last few hundred it read (about a kilobyte each).
const guideTexts = new SizedLru<string>(512);

/** A chapter's beats, each read a fresh copy (callers may change theirs). */
export async function readGuide(bucket: R2Bucket, storyId: number, ref: GuideRef): Promise<GuidePart[]> {
  if (ref.guide) return ref.guide;
  if (!ref.guideHash) return [];
  const key = guideKey(storyId, ref.id, ref.guideHash);
  let text = guideTexts.get(key);
  if (text === undefined) {
    text = await (await getNamed(bucket, key)).text();
    guideTexts.set(key, text);
  }
  return JSON.parse(text) as GuidePart[];
}

/** The beats of chapters by id, read in parallel; a chapter without beats has []. */
export async function readGuides(bucket: R2Bucket, storyId: number, rows: GuideRef[]): Promise<Map<number, GuidePart[]>> {
  const guides = await Promise.all(rows.map((r) => readGuide(bucket, storyId, r)));
  return new Map(rows.map((r, i) => [r.id, guides[i]!]));
}

/** Whether a chapter row has prose, without reading it, in SQL (lists) and in code. */
export const hasProseSql = (content: SQLWrapper, contentHash: SQLWrapper) =>
  sql<boolean>`CASE WHEN ${content} IS NOT NULL THEN ${content} <> '' ELSE ${contentHash} IS NOT NULL END`.mapWith(Boolean);
export const hasProse = (ref: TextRef) => (ref.content !== null ? ref.content !== "" : ref.contentHash !== null);

/** The objects a story's rows point at (as `refOf` names them): prose of chapters and revisions, beats, findings, canons. */
async function referenced(db: Db, storyId: number): Promise<Set<string>> {
  const [own, revs, checks, jobs] = await db.batch([
    db.select({ id: chapters.id, hash: chapters.contentHash, guide: chapters.guideHash }).from(chapters).where(eq(chapters.storyId, storyId)),
    db
      .select({ id: chapterRevisions.chapterId, hash: chapterRevisions.contentHash })
      .from(chapterRevisions)
      .innerJoin(chapters, eq(chapterRevisions.chapterId, chapters.id))
      .where(and(eq(chapters.storyId, storyId), isNotNull(chapterRevisions.contentHash))),
    db
      .select({ id: chapterChecks.chapterId, hash: chapterChecks.findingsHash })
      .from(chapterChecks)
      .innerJoin(chapters, eq(chapterChecks.chapterId, chapters.id))
      .where(and(eq(chapters.storyId, storyId), isNotNull(chapterChecks.findingsHash))),
    db.selectDistinct({ hash: generationJobs.bibleHash }).from(generationJobs).where(and(eq(generationJobs.storyId, storyId), isNotNull(generationJobs.bibleHash))),
  ]);
  return new Set([
    ...[...own.filter((r) => r.hash), ...revs].map((r) => `prose:${r.id}/${r.hash}`),
    ...own.filter((r) => r.guide).map((r) => `guide:${r.id}/${r.guide}`),
    ...checks.map((r) => `findings:${r.id}/${r.hash}`),
    ...jobs.map((r) => `canon:${r.hash}`),
  ]);
}

/** Deletes those of `keys` that no row points at: a unit's objects when its commit did not apply. */
export async function dropUnreferenced(db: Db, bucket: R2Bucket, storyId: number, keys: string[]): Promise<void> {
  if (!keys.length) return;
  const refs = await referenced(db, storyId);
  const gone = keys.filter((k) => !refs.has(refOf(k) ?? ""));
  if (gone.length) await bucket.delete(gone);
}

/**
 * Deletes a story's objects that no row points at any more (versions past the last ten, findings
 * and canons that were replaced, a unit that crashed between its put and its commit), once older
 * than `graceMs`. Images are not this sweep's. Answers how many went.
 */
export async function sweepProse(db: Db, bucket: R2Bucket, storyId: number, graceMs = SWEEP_GRACE_MS, now = Date.now()): Promise<number> {
  const refs = await referenced(db, storyId);
  let swept = 0;
  for await (const objects of pagesUnder(bucket, `stories/${storyId}/`)) {
    const gone = objects.filter((o) => {
      const ref = refOf(o.key);
      return ref !== null && !refs.has(ref) && now - o.uploaded.getTime() >= graceMs;
    });
    if (gone.length) await bucket.delete(gone.map((o) => o.key));
    swept += gone.length;
  }
  return swept;
}

/**
 * Moves up to `limit` chapters, revisions and guides whose text is still inline into R2: each text
 * is put first, then its row cleared only if it still holds that text (a save meanwhile wins, and
 * is already in R2). Safe to run any number of times; answers how many rows moved.
 */
export async function moveInlineProse(db: Db, bucket: R2Bucket, limit = 100): Promise<{ chapters: number; revisions: number; guides: number }> {
  const [own, revs, guides] = await db.batch([
    db.select({ id: chapters.id, storyId: chapters.storyId, content: chapters.content }).from(chapters).where(isNotNull(chapters.content)).limit(limit),
    db
      .select({ id: chapterRevisions.id, chapterId: chapterRevisions.chapterId, storyId: chapters.storyId, content: chapterRevisions.content })
      .from(chapterRevisions)
      .innerJoin(chapters, eq(chapterRevisions.chapterId, chapters.id))
      .where(ne(chapterRevisions.content, ""))
      .limit(limit),
    // The JSON as stored, so the guarded update compares it byte for byte.
    db.select({ id: chapters.id, storyId: chapters.storyId, raw: sql<string>`${chapters.guide}` }).from(chapters).where(isNotNull(chapters.guide)).limit(limit),
  ]);
  const items: BatchItem<"sqlite">[] = [];
  for (const c of own) {
    const text = c.content!;
    const stored = await putProse(bucket, c.storyId, c.id, text);
    items.push(
      db
        .update(chapters)
        .set({ content: null, contentHash: stored.contentHash, wordCount: stored.wordCount })
        .where(and(eq(chapters.id, c.id), eq(chapters.content, text))),
    );
  }
  for (const r of revs) {
    const stored = await putProse(bucket, r.storyId, r.chapterId, r.content);
    items.push(
      db
        .update(chapterRevisions)
        .set({ content: "", contentHash: stored.contentHash, wordCount: stored.wordCount })
        .where(and(eq(chapterRevisions.id, r.id), eq(chapterRevisions.content, r.content))),
    );
  }
  for (const g of guides) {
    const { columns } = await storeGuide(bucket, g.storyId, g.id, JSON.parse(g.raw) as GuidePart[]);
    items.push(
      db
        .update(chapters)
        .set(columns)
        .where(and(eq(chapters.id, g.id), sql`${chapters.guide} = ${g.raw}`)),
    );
  }
  if (items.length) await db.batch(items as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { chapters: own.length, revisions: revs.length, guides: guides.length };
}

/** Stories touched in this window are swept: late enough that their units' objects passed the grace, early enough to cover a missed run. */
const SWEEP_WINDOW_MS = 3 * 60 * 60 * 1000;

/**
 * The scheduled upkeep of R2 prose (hourly, `wrangler.toml`): move a batch of inline texts, then
 * sweep the stories written to, or generated for, in the last hours.
 */
export async function proseUpkeep(db: Db, bucket: R2Bucket, now = Date.now()): Promise<{ moved: Awaited<ReturnType<typeof moveInlineProse>>; swept: number }> {
  const moved = await moveInlineProse(db, bucket);
  const since = new Date(now - SWEEP_WINDOW_MS);
  const touched = await db
    .select({ id: stories.id })
    .from(stories)
    .where(or(gte(stories.updatedAt, since), inArray(stories.id, db.select({ id: generationJobs.storyId }).from(generationJobs).where(gte(generationJobs.createdAt, since)))))
    .limit(500);
  let swept = 0;
  for (const s of touched) swept += await sweepProse(db, bucket, s.id, SWEEP_GRACE_MS, now);
  return { moved, swept };
}
