// The cast and the places as the prose may name them: full names, aliases, and the single name
// parts ("Hanna", "Ferris") that readers accept as the whole person when no one else shares them.
import { draft, finalize, type Draft } from "./finding";
import { parseProse } from "./prose";
import type { CastMember, Finding } from "./types";
import { CONNECTORS, HONORIFICS } from "./words";

/** What a run of words in the prose can stand for. `ids` index `Cast.entities`. */
export type Phrase = {
  words: string[];
  /** Per word: must the prose capitalise it? Aliases written in lower case ("the magistrate") match any case. */
  caps: boolean[];
  ids: number[];
};

export type Entity = { kind: "character" | "location"; index: number; name: string };

export type Cast = {
  entities: Entity[];
  /** Phrases by their first word (lower case), longest first. */
  byFirst: Map<string, Phrase[]>;
  /** The entity a name written in a beat's list refers to, if any. */
  resolve(name: string, kind: Entity["kind"]): number | undefined;
};

const words = (name: string) => parseProse(name).tokens.map((t) => ({ lower: t.lower, cap: t.cap || /^\p{Lu}/u.test(t.norm) }));

/** A person's name parts that identify them: not titles, not "of", not initials. */
export function nameParts(name: string): string[] {
  return words(name)
    .filter((w) => w.cap && w.lower.length > 1 && !HONORIFICS.has(w.lower) && !CONNECTORS.has(w.lower))
    .map((w) => w.lower);
}

export function buildCast(characters: CastMember[], locations: CastMember[]): Cast {
  const entities: Entity[] = [
    ...characters.map((c, index) => ({ kind: "character" as const, index, name: c.name.trim() })),
    ...locations.map((l, index) => ({ kind: "location" as const, index, name: l.name.trim() })),
  ];
  // key → { strong: ids named in full or by alias, parts: ids owning the key as a name part }
  const table = new Map<string, { w: { lower: string; cap: boolean }[]; strong: Set<number>; parts: Set<number> }>();
  const add = (text: string, id: number, strong: boolean) => {
    const w = words(text);
    if (!w.length) return;
    const key = w.map((x) => x.lower).join(" ");
    const row = table.get(key) ?? { w, strong: new Set(), parts: new Set() };
    (strong ? row.strong : row.parts).add(id);
    table.set(key, row);
  };
  entities.forEach((e, id) => {
    const member = e.kind === "character" ? characters[e.index]! : locations[e.index]!;
    for (const n of [member.name, ...(member.aliases ?? [])]) {
      if (!n.trim()) continue;
      add(n, id, true);
      // "The Furnace House" is also "the Furnace House" and "Furnace House".
      const bare = n.trim().replace(/^(?:the|a|an)\s+/i, "");
      if (bare !== n.trim()) add(bare, id, true);
    }
    for (const p of nameParts(member.name)) add(p, id, false);
  });
  const byFirst = new Map<string, Phrase[]>();
  for (const { w, strong, parts } of table.values()) {
    let ids = [...strong];
    if (!ids.length) {
      // A part shared by two people is ambiguous; a part shared by a person and a place is the person's.
      const people = [...parts].filter((id) => entities[id]!.kind === "character");
      ids = people.length ? people : [...parts].slice(0, 1);
    }
    const phrase: Phrase = { words: w.map((x) => x.lower), caps: w.map((x) => x.cap), ids };
    const list = byFirst.get(phrase.words[0]!) ?? [];
    list.push(phrase);
    byFirst.set(phrase.words[0]!, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);

  const find = (key: string) => byFirst.get(key.split(" ")[0]!)?.find((p) => p.words.join(" ") === key);
  // Beats repeat the same few names in every chapter.
  const resolved = new Map<string, number | undefined>();
  const resolve = (name: string, kind: Entity["kind"]) => {
    const memo = `${kind}:${name}`;
    if (resolved.has(memo)) return resolved.get(memo);
    const id = lookup(name, kind);
    resolved.set(memo, id);
    return id;
  };
  const lookup = (name: string, kind: Entity["kind"]) => {
    const key = words(name)
      .map((x) => x.lower)
      .join(" ");
    for (const k of [key, key.replace(/^(?:the|a|an) /, "")]) {
      const ids = (find(k)?.ids ?? []).filter((id) => entities[id]!.kind === kind);
      if (ids.length === 1) return ids[0];
    }
    // "Dr. Hanna Ferris" or "Ferris, Hanna": one person's parts and nobody else's.
    const owners = new Set<number>();
    for (const p of nameParts(name)) {
      const ids = (find(p)?.ids ?? []).filter((id) => entities[id]!.kind === kind);
      if (ids.length === 1) owners.add(ids[0]!);
    }
    return owners.size === 1 ? [...owners][0] : undefined;
  };
  return { entities, byFirst, resolve };
}

/** Characters who share a first or a last name: readers mix them up, and so do models. */
export function clashFindings(characters: CastMember[]): Draft[] {
  const byPart = new Map<string, { part: string; names: string[] }>();
  for (const c of characters) {
    const parts = nameParts(c.name);
    const ends = [...new Set([parts[0], parts.at(-1)].filter((p): p is string => !!p))];
    for (const p of ends) {
      const row = byPart.get(p) ?? { part: display(c.name, p), names: [] };
      if (!row.names.includes(c.name.trim())) row.names.push(c.name.trim());
      byPart.set(p, row);
    }
  }
  const out: Draft[] = [];
  for (const [key, { part, names }] of byPart) {
    if (names.length < 2) continue;
    const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
    out.push(draft("name_clash", "warning", `${list} share the name "${part}", so readers may mix them up.`, { names, key }));
  }
  return out;
}

/** The part as the author spelled it ("Mara", not "mara"). */
function display(name: string, lower: string): string {
  return parseProse(name).tokens.find((t) => t.lower === lower)?.norm ?? lower;
}

export function checkCast(characters: CastMember[]): Finding[] {
  return finalize(0, clashFindings(characters));
}
