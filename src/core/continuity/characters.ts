// Who is on stage: the beats say which characters a chapter needs; the prose says who turns up.
import type { Cast } from "./cast";
import { draft, type Draft } from "./finding";
import { findMentions, type Mention } from "./names";
import { parseProse, sentenceQuote, type Prose } from "./prose";
import type { Beat } from "./types";

export type ChapterPlan = {
  /** Characters the beats list or name: this chapter may show them. */
  planned: Set<number>;
  /** Characters the beats list, with the first beat that lists them: this chapter must show them. */
  onStage: Map<number, number>;
  /** Each beat's text, parsed, with the cast and places it names. */
  beats: { text: string; prose: Prose; mentions: Mention[]; entities: Set<number> }[];
};

export function planOf(guide: Beat[], cast: Cast): ChapterPlan {
  const planned = new Set<number>();
  const onStage = new Map<number, number>();
  const beats = guide.map((b, i) => {
    // A leading label such as "Opening image:" is not part of what happens.
    const prose = parseProse(b.text.replace(/^\s*(?:[\p{L}'’-]+\s+){0,2}[\p{L}'’-]+:\s+/u, ""));
    const mentions = findMentions(prose, cast);
    const entities = new Set<number>();
    for (const m of mentions) if (m.ids.length === 1) entities.add(m.ids[0]!);
    for (const name of b.characters) {
      const id = cast.resolve(name, "character");
      if (id === undefined) continue;
      entities.add(id);
      if (!onStage.has(id)) onStage.set(id, i + 1);
    }
    for (const name of b.locations) {
      const id = cast.resolve(name, "location");
      if (id !== undefined) entities.add(id);
    }
    for (const id of entities) if (cast.entities[id]!.kind === "character") planned.add(id);
    return { text: b.text, prose, mentions, entities };
  });
  return { planned, onStage, beats };
}

/** The position (index in reading order) of the first chapter whose beats plan each character. */
export function firstPlanned(plans: ChapterPlan[]): Map<number, number> {
  const out = new Map<number, number>();
  plans.forEach((plan, k) => {
    for (const id of plan.planned) if (!out.has(id)) out.set(id, k);
  });
  return out;
}

export function presenceFindings(
  p: Prose,
  cast: Cast,
  mentions: Mention[],
  plan: ChapterPlan,
  position: number,
  first: Map<number, number>,
  numberAt: (position: number) => number,
): Draft[] {
  const out: Draft[] = [];
  const seen = new Map<number, number>();
  for (const m of mentions) if (m.ids.length === 1 && cast.entities[m.ids[0]!]!.kind === "character" && !seen.has(m.ids[0]!)) seen.set(m.ids[0]!, m.first);

  for (const [id, token] of seen) {
    const name = cast.entities[id]!.name;
    const { quote, at } = sentenceQuote(p, p.tokens[token]!);
    const from = first.get(id);
    if (from !== undefined && from > position) {
      out.push(
        draft("premature_introduction", "warning", `${name} appears here, but the beats only bring ${name} in at chapter ${numberAt(from)}.`, {
          quote,
          at,
          names: [name],
        }),
      );
    } else if (plan.beats.length && !plan.planned.has(id)) {
      out.push(draft("unplanned_character", "info", `${name} appears here although none of this chapter's beats includes ${name}.`, { quote, at, names: [name] }));
    }
  }
  for (const [id, beat] of plan.onStage) {
    if (seen.has(id)) continue;
    const name = cast.entities[id]!.name;
    out.push(
      draft("missing_character", "warning", `Beat ${beat} puts ${name} in this chapter, but the text never mentions ${name} by name or nickname.`, {
        beat,
        names: [name],
      }),
    );
  }
  return out;
}
