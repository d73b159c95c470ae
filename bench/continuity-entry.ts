// Bundled by bench/continuity-cpu.mjs and run in a fresh Node process: the CPU time of one
// checkBook over a generated 100-chapter, 250,000-word book, module load and JIT warm-up included.
import { checkBook } from "../src/core/continuity";
import { largeBook } from "../test/fixtures/continuity/large-book";

const book = largeBook();
const words = book.chapters.reduce((s, c) => s + (c.content ?? "").split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length, 0);
const start = process.cpuUsage();
const report = checkBook(book);
const used = process.cpuUsage(start);
const findings = report.book.findings.length + report.chapters.reduce((s, c) => s + c.findings.length, 0);
console.log(JSON.stringify({ ms: Math.round((used.user + used.system) / 100) / 10, chapters: report.chapters.length, words, findings }));
