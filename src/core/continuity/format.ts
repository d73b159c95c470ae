// Text that belongs to the machinery, not the novel: Markdown headings, chapter labels, notes to
// the author, assistant chatter, code fences, word counts, beat labels and prompt tags.
import { draft, type Draft } from "./finding";
import { isBoilerplate } from "./prose";

type Rule = { test: RegExp; message: string; edgesOnly?: boolean };

const NUMBER_WORD = "\\d+|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty[\\w-]*|thirty[\\w-]*|forty[\\w-]*|fifty[\\w-]*";

// Dialogue is the author's: a line that opens a quotation is left to the softer rules' judgement.
const RULES: Rule[] = [
  { test: /^\s{0,3}#{1,6}\s+\S/, message: "A Markdown heading ended up in the prose; readers would see the # marks." },
  { test: /^\s*(?:```|~~~)/, message: "A code fence (```) ended up in the prose." },
  {
    test: new RegExp(`^\\s*[*_]*\\s*chapter\\s+(?:${NUMBER_WORD})\\b(?:[^.!?,;]*|\\s*[:.—–-].*)$`, "i"),
    message: "A chapter heading sits inside the text; the app shows chapter numbers and titles itself.",
  },
  { test: /\bto be continued\b|^\s*[*_(]*\s*end of (?:the )?chapter\b/i, message: "A note about the chapter's ending was left in the text." },
  {
    test: /\bas an ai\b|\bas a (?:large )?language model\b|\bi(?:'m| am) (?:just )?(?:an ai|a language model)\b/i,
    message: "The model talked about itself inside the story.",
  },
  {
    test: /^[^"“‘']*\bhere(?:'s|’s| is| are)\s+(?:the|your|a|an)\s+(?:[\w-]+\s+){0,3}(?:chapter|draft|version|rewrite|revision|continuation|story|text)\b/i,
    message: "A note from the model introducing its answer was left at the top of the text.",
  },
  {
    test: /^\s*(?:sure|certainly|of course|absolutely|okay)\b[^"“\n]{0,40}[!,.]\s*(?:here|below|i(?:'ve|’ve| have| will|'ll|’ll))\b/i,
    message: "A note from the model introducing its answer was left at the top of the text.",
  },
  {
    test: /\bword[\s-]?count\b|^\s*[[(]?\s*(?:approx(?:imately|\.)?|about|around|~|≈)?\s*\d[\d,.]*\s*words?\s*[\])]?\s*$|\(\s*~?\d[\d,]*\s+words?\s*\)/i,
    message: "A word-count note was left in the text.",
  },
  {
    test: /\[\s*(?:beat|scene|part|act|chapter|pov|insert|end|note|tbd|todo)\b[^\]]*\]|^\s*\[[^\]\n]{1,80}\]\s*$|^\s*[*_]*\s*beat\s*\d+\b/i,
    message: "A bracketed label or beat marker was left in the text.",
  },
  {
    test: /^\s*[*_]*\s*(?:title|chapter title|summary|synopsis|pov|setting|notes?|author'?s note|editor'?s note|a\/n)\s*[*_]*\s*:/i,
    message: "A label or note for the writer was left in the text.",
  },
  {
    test: /<\/?(?:beats?|task|chapter|story|length|format|author_instructions|summary|prose|book|characters?|locations?)\b[^>]*>/i,
    message: "A tag from the writing instructions ended up in the text.",
  },
  {
    test: /^[^"“‘]*\b(?:let me know if|would you like me to|i hope (?:this|you enjoy)|feel free to (?:ask|let)|i can (?:also )?(?:revise|expand|continue|adjust|rewrite)|if you(?:'d|’d| would) like,? i)\b/i,
    message: "A message from the model to the writer was left in the text.",
    edgesOnly: true,
  },
];

// One pass over a line finds whether any rule might apply; most lines are prose and stop here.
const ANY = new RegExp(RULES.map((r) => r.test.source).join("|"), "i");

const bare = (s: string) => s.replace(/[*_#\s]+/g, " ").replace(/[’‘]/g, "'").trim().toLowerCase();

export function formatFindings(text: string, title: string): Draft[] {
  const out: Draft[] = [];
  const lines: { start: number; line: string }[] = [];
  let pos = 0;
  for (const line of text.split("\n")) {
    if (line.trim()) lines.push({ start: pos, line });
    pos += line.length + 1;
  }
  lines.forEach(({ start, line }, i) => {
    if (isBoilerplate(line)) return;
    const edge = i < 2 || i >= lines.length - 2;
    let message = ANY.test(line) ? RULES.find((r) => (!r.edgesOnly || edge) && r.test.test(line))?.message : undefined;
    // The chapter's own title as its first line is a heading too, whatever its markup.
    if (!message && i === 0 && title.trim() && bare(line) === bare(title)) message = "The chapter starts with its own title; the app shows titles itself.";
    if (!message) return;
    const lead = line.length - line.trimStart().length;
    const quote = line.trim().length <= 300 ? line.trim() : line.slice(lead, lead + 300).replace(/\s+\S*$/, "");
    out.push(draft("format_leak", "error", message, { quote, at: start + lead }));
  });
  return out;
}
