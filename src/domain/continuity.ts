// The continuity report (docs/CONTINUITY.md): the deterministic checks of src/core/continuity run
// over a story's prose, stored per chapter with the hash of the prose they read, and joined with
// the verified findings of the model audit and the author's dismissals. A chapter's findings quote
// its prose, so they live in R2 under the hash of their JSON (docs/SCALE.md); D1 keeps the metrics
// and that hash, and a chapter with no findings stores no object.
import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { checkBook, checkCast, checkChapter, type BookInput, type ChapterReport } from "../core/continuity";
import type { ContinuityReport, Finding, Severity } from "../shared/continuity";
import { event } from "../shared/events";
import { sha256Hex } from "./crypto";
import { runBatch } from "./db/batch";
import type { Db } from "./db/client";
import { chapterChecks, chapters, characters, findingDismissals, stories } from "./db/schema";
import type { Deps } from "./deps";
import { notFound } from "./errors";
import { publish } from "./hub";
import { findingsKey, getNamed, putAddressed, readGuides, readProse } from "./prose";
import { storyNamesColumns } from "./stories/context";

/** The audit's verified contradictions of a chapter, with the prose they read. */
export type AuditResult = { contentHash: string; findings: Finding[]; unverifiedDropped: number };

/**
 * What the checks read: the cast and places with their aliases, the target length, and the
 * chapters in order with their beats; prose for every chapter up to `upTo` (a chapter's checks look
 * only at the chapters before it), or for all when it is left out.
 */
export async function bookInput(
  db: Db,
  bucket: R2Bucket,
  storyId: number,
  upTo?: number,
  /** A chapter whose text the caller has (its new prose): not read. */
  skip?: number,
): Promise<BookInput & { hashes: Map<number, string | null> }> {
  // The cast's and places' names come as columns of the story's row: two statements in all, not four.
  const [storyRows, rows] = await db.batch([
    db.select({ target: stories.targetChapterWords, ...storyNamesColumns() }).from(stories).where(eq(stories.id, storyId)),
    db
      .select({
        id: chapters.id,
        number: chapters.number,
        title: chapters.title,
        content: chapters.content,
        contentHash: chapters.contentHash,
        guide: chapters.guide,
        guideHash: chapters.guideHash,
      })
      .from(chapters)
      .where(and(eq(chapters.storyId, storyId), upTo === undefined ? undefined : lte(chapters.number, upTo)))
      .orderBy(asc(chapters.number)),
  ]);
  const story = storyRows[0];
  if (!story) throw notFound("Story");
  const [texts, beats] = await Promise.all([
    readProse(
      bucket,
      storyId,
      rows.filter((c) => c.id !== skip),
    ),
    readGuides(bucket, storyId, rows),
  ]);
  return {
    characters: story.characters,
    locations: story.locations,
    targetChapterWords: story.target,
    chapters: rows.map((c) => ({ id: c.id, number: c.number, title: c.title, content: texts.get(c.id) ?? null, guide: beats.get(c.id) ?? [] })),
    hashes: new Map(rows.map((c) => [c.id, c.contentHash])),
  };
}

/**
 * Puts a chapter's findings before the batch that names them; none is no object (a null hash).
 * `stored` is the hash of the object the chapter already has: the same findings are not put again.
 */
async function putFindings(bucket: R2Bucket, storyId: number, chapterId: number, findings: Finding[], stored?: string | null): Promise<{ hash: string | null; key: string | null }> {
  if (!findings.length) return { hash: null, key: null };
  return putAddressed(bucket, JSON.stringify(findings), (h) => findingsKey(storyId, chapterId, h), "application/json", stored);
}

/** A check's findings: from R2 by hash, or inline for a check made before they moved there. */
async function readFindings(bucket: R2Bucket, storyId: number, r: { chapterId: number; findingsHash: string | null; findings: unknown[] | null }): Promise<Finding[]> {
  if (!r.findingsHash) return (r.findings as Finding[] | null) ?? [];
  return (await getNamed(bucket, findingsKey(storyId, r.chapterId, r.findingsHash))).json<Finding[]>();
}

const upsertCheck = (db: Db, r: ChapterReport, contentHash: string | null, findingsHash: string | null, at: Date) => {
  const set = { contentHash, checkedAt: at, metrics: r.metrics, findingsHash, findings: [] };
  return db
    .insert(chapterChecks)
    .values({ chapterId: r.chapterId, ...set })
    .onConflictDoUpdate({ target: chapterChecks.chapterId, set });
};

export const countsOf = (findings: { severity: Severity; dismissed?: boolean }[]) => {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (!f.dismissed) counts[f.severity]++;
  return counts;
};

/**
 * The statements that store one chapter's checks, its prose given as it will be committed (a
 * unit's new prose, or the author's save), against the chapters before it as they are now.
 */
export async function chapterCheckItems(
  db: Db,
  bucket: R2Bucket,
  storyId: number,
  chapter: { id: number; number: number },
  prose: string,
  at = new Date(),
): Promise<{ items: BatchItem<"sqlite">[]; report: ChapterReport; objects: string[] }> {
  const chapterId = chapter.id;
  const input = await bookInput(db, bucket, storyId, chapter.number, chapterId);
  input.chapters = input.chapters.map((c) => (c.id === chapterId ? { ...c, content: prose } : c));
  const report = checkChapter(input, chapterId);
  const stored = await putFindings(bucket, storyId, chapterId, report.findings);
  return { items: [upsertCheck(db, report, await sha256Hex(prose), stored.hash, at)], report, objects: stored.key ? [stored.key] : [] };
}

/** Checks every chapter of the book now, stores the results, and tells the author's tabs of the chapters whose findings changed. */
export async function recheckBook({ env, db }: Deps, storyId: number, userId: number): Promise<void> {
  const [input, [before, dismissed]] = await Promise.all([
    bookInput(db, env.FILES, storyId),
    db.batch([
      db
        .select({ chapterId: chapterChecks.chapterId, findingsHash: chapterChecks.findingsHash, findings: chapterChecks.findings })
        .from(chapterChecks)
        .innerJoin(chapters, eq(chapters.id, chapterChecks.chapterId))
        .where(eq(chapters.storyId, storyId)),
      db.select({ id: findingDismissals.findingId }).from(findingDismissals).where(eq(findingDismissals.storyId, storyId)),
    ]),
  ]);
  const report = checkBook(input);
  const at = new Date();
  const inR2 = new Map(before.map((b) => [b.chapterId, b.findingsHash]));
  const stored = await Promise.all(report.chapters.map((r) => putFindings(env.FILES, storyId, r.chapterId, r.findings, inR2.get(r.chapterId))));
  await runBatch(
    db,
    report.chapters.map((r, i) => upsertCheck(db, r, input.hashes.get(r.chapterId) ?? null, stored[i]!.hash, at)),
  );
  // Findings are stored under their hash, so a chapter's changed exactly when its hash did.
  const hashOf = async (b: (typeof before)[number]) => b.findingsHash ?? ((b.findings as unknown[] | null)?.length ? await sha256Hex(JSON.stringify(b.findings)) : null);
  const was = new Map(await Promise.all(before.map(async (b) => [b.chapterId, await hashOf(b)] as const)));
  const gone = new Set(dismissed.map((d) => d.id));
  const changed = report.chapters.filter((r, i) => was.get(r.chapterId) !== stored[i]!.hash);
  await publish(env, userId, ...changed.map((r) => event("chapter_checked", { storyId, chapterId: r.chapterId, counts: countsOf(r.findings.map((f) => ({ ...f, dismissed: gone.has(f.id) }))) })));
}

/** The report as the API returns it: stored checks and audits, the cast's clashes now, dismissals marked. */
export const continuityReport = async (db: Db, bucket: R2Bucket, storyId: number): Promise<ContinuityReport> =>
  continuityReportOf(bucket, storyId, await db.batch(continuityReportQueries(db, storyId)));

/** What the report reads from D1, for a batch of its own or a read's batch (GET …/continuity). */
export const continuityReportQueries = (db: Db, storyId: number) =>
  [
    db.select({ name: characters.name, aliases: characters.aliases }).from(characters).where(eq(characters.storyId, storyId)).orderBy(asc(characters.position)),
    db
      // D1's batch results collapse columns of the same name, so the check's hash is aliased.
      .select({
        id: chapters.id,
        number: chapters.number,
        contentHash: chapters.contentHash,
        words: chapters.wordCount,
        checkedHash: sql<string | null>`${chapterChecks.contentHash}`.as("checked_hash"),
        checkedAt: chapterChecks.checkedAt,
        metrics: chapterChecks.metrics,
        findingsHash: chapterChecks.findingsHash,
        findings: chapterChecks.findings,
        audit: chapterChecks.audit,
      })
      .from(chapters)
      .leftJoin(chapterChecks, eq(chapterChecks.chapterId, chapters.id))
      .where(eq(chapters.storyId, storyId))
      .orderBy(asc(chapters.number)),
    db.select({ id: findingDismissals.findingId }).from(findingDismissals).where(eq(findingDismissals.storyId, storyId)),
  ] as const;

export async function continuityReportOf(
  bucket: R2Bucket,
  storyId: number,
  [chars, rows, dismissed]: BatchResponse<ReturnType<typeof continuityReportQueries>>,
): Promise<ContinuityReport> {
  const gone = new Set(dismissed.map((d) => d.id));
  const mark = (f: Finding): Finding => (gone.has(f.id) ? { ...f, dismissed: true } : f);
  const bookFindings = checkCast(chars).map(mark);
  const stored = await Promise.all(rows.map((r) => readFindings(bucket, storyId, { chapterId: r.id, findingsHash: r.findingsHash, findings: r.findings })));
  const chaptersOut = rows.map((r, i) => {
    const audit = r.audit as AuditResult | null;
    // An audit of an earlier version of the prose no longer applies.
    const auditNow = audit && audit.contentHash === r.contentHash ? audit : null;
    const findings = [...stored[i]!, ...(auditNow?.findings ?? [])].map(mark);
    // A chapter audited before its first check (prose older than the checks) has no metrics yet.
    const metrics: ContinuityReport["chapters"][number]["metrics"] = {
      words: r.words,
      target: 0,
      lengthScore: 0,
      beatCoverage: null,
      copyRate: 0,
      ...((r.metrics as Partial<ContinuityReport["chapters"][number]["metrics"]> | null) ?? {}),
    };
    return {
      chapterId: r.id,
      number: r.number,
      checkedAt: r.checkedAt?.toISOString() ?? null,
      outdated: !!r.checkedAt && !!r.contentHash && r.checkedHash !== r.contentHash,
      metrics: { ...metrics, ...(auditNow ? { unverifiedDropped: auditNow.unverifiedDropped } : {}) },
      findings,
    };
  });
  const all = [...bookFindings, ...chaptersOut.flatMap((c) => c.findings)];
  const byType: ContinuityReport["book"]["metrics"]["byType"] = {};
  for (const f of all) if (!f.dismissed) byType[f.type] = (byType[f.type] ?? 0) + 1;
  return {
    book: {
      findings: bookFindings,
      metrics: {
        words: rows.reduce((n, r) => n + r.words, 0),
        chapters: rows.length,
        checked: chaptersOut.filter((c) => c.checkedAt).length,
        bySeverity: countsOf(all),
        byType,
      },
    },
    chapters: chaptersOut,
  };
}

/** Dismisses a finding of the story (409-free: dismissing twice is fine). 404 for an id the report does not have. */
export async function dismissFinding(db: Db, bucket: R2Bucket, storyId: number, findingId: string): Promise<Finding> {
  const report = await continuityReport(db, bucket, storyId);
  const finding = [...report.book.findings, ...report.chapters.flatMap((c) => c.findings)].find((f) => f.id === findingId);
  if (!finding) throw notFound("Finding");
  await db.insert(findingDismissals).values({ storyId, findingId, type: finding.type }).onConflictDoNothing();
  return { ...finding, dismissed: true };
}

/** The statement that stores a chapter's audit result with its checks. */
export const auditItem = (db: Db, chapterId: number, audit: AuditResult, at = new Date()) =>
  db
    .insert(chapterChecks)
    .values({ chapterId, contentHash: audit.contentHash, checkedAt: at, metrics: {}, findings: [], audit })
    .onConflictDoUpdate({ target: chapterChecks.chapterId, set: { audit } });
