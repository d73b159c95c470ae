// Puts the checks together: one chapter against the chapters before it, or the whole book in one
// pass that parses every chapter once and grows the repetition history as it reads.
import { beatBags, beatFindings, planWeights } from "./beats";
import { buildCast, clashFindings, type Cast } from "./cast";
import { firstPlanned, planOf, presenceFindings, type ChapterPlan } from "./characters";
import { capPerType, finalize, type Draft } from "./finding";
import { formatFindings } from "./format";
import { lengthFindings, lengthScore } from "./length";
import { findMentions, nameFindings } from "./names";
import { parseProse } from "./prose";
import { emptyHistory, remember, repetitionFindings, type History } from "./repetition";
import type { BookInput, BookReport, ChapterReport, Finding, FindingType, Severity } from "./types";

type Book = {
  input: BookInput;
  cast: Cast;
  plans: ChapterPlan[];
  first: Map<number, number>;
  bags: ReturnType<typeof beatBags>[];
  weight: ReturnType<typeof planWeights>;
};

/** Everything that depends on the cast and the plan only, built once per check. */
function prepare(input: BookInput): Book {
  const cast = buildCast(input.characters, input.locations);
  const plans = input.chapters.map((c) => planOf(c.guide, cast));
  const bags = plans.map(beatBags);
  return { input, cast, plans, first: firstPlanned(plans), bags, weight: planWeights(bags) };
}

const hasText = (content: string | null): content is string => !!content && content.trim() !== "";

/** Words the chapter's title and beats capitalise: the author has named these things already. */
function acceptedWords(book: Book, k: number): Set<string> {
  const out = new Set<string>();
  for (const t of parseProse(book.input.chapters[k]!.title).tokens) out.add(t.lower);
  for (const b of book.plans[k]!.beats) for (const t of b.prose.tokens) if (t.cap) out.add(t.lower);
  return out;
}

function chapterReport(book: Book, k: number, history: History): ChapterReport {
  const c = book.input.chapters[k]!;
  const target = book.input.targetChapterWords;
  if (!hasText(c.content)) {
    return { chapterId: c.id, number: c.number, metrics: { words: 0, target, lengthScore: 0, beatCoverage: null, copyRate: 0 }, findings: [] };
  }
  const p = parseProse(c.content);
  const words = p.words;
  const mentions = findMentions(p, book.cast);
  const beats = beatFindings(p, mentions, book.plans[k]!, book.bags[k]!, book.weight);
  const repetition = repetitionFindings(p, history, c.number);
  remember(history, repetition, c.number);
  const drafts: Draft[] = [
    ...formatFindings(c.content, c.title),
    ...repetition.findings,
    ...nameFindings(p, book.cast, mentions, acceptedWords(book, k)),
    ...presenceFindings(p, book.cast, mentions, book.plans[k]!, k, book.first, (j) => book.input.chapters[j]!.number),
    ...beats.findings,
    ...lengthFindings(words, target),
  ];
  return {
    chapterId: c.id,
    number: c.number,
    metrics: {
      words,
      target,
      lengthScore: lengthScore(words, target),
      beatCoverage: beats.coverage === null ? null : round(beats.coverage),
      copyRate: round(repetition.copyRate),
    },
    findings: finalize(c.id, capPerType(drafts)),
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Only what the repetition check needs from a chapter before the one being checked. */
function rememberChapter(book: Book, k: number, history: History) {
  const c = book.input.chapters[k]!;
  if (hasText(c.content)) remember(history, repetitionFindings(parseProse(c.content), history, c.number), c.number);
}

export function checkChapter(input: BookInput, chapterId: number): ChapterReport {
  const k = input.chapters.findIndex((c) => c.id === chapterId);
  if (k < 0) throw new RangeError(`No chapter with id ${chapterId} in this book`);
  const book = prepare(input);
  const history = emptyHistory();
  for (let j = 0; j < k; j++) rememberChapter(book, j, history);
  return chapterReport(book, k, history);
}

export function checkBook(input: BookInput): BookReport {
  const book = prepare(input);
  const history = emptyHistory();
  const chapters = input.chapters.map((_, k) => chapterReport(book, k, history));
  const findings = finalize(0, clashFindings(input.characters));
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byType: Partial<Record<FindingType, number>> = {};
  const count = (f: Finding) => {
    bySeverity[f.severity]++;
    byType[f.type] = (byType[f.type] ?? 0) + 1;
  };
  findings.forEach(count);
  for (const c of chapters) c.findings.forEach(count);
  return {
    book: {
      findings,
      metrics: {
        words: chapters.reduce((s, c) => s + c.metrics.words, 0),
        chapters: chapters.length,
        checked: input.chapters.filter((c) => hasText(c.content)).length,
        bySeverity,
        byType,
      },
    },
    chapters,
  };
}
