// Chapter contracts for a hybrid book: where things stand at the opening and at the end of every
// chapter, planned in one call. A chapter's entry is the previous chapter's exit, so consecutive
// chapters agree by construction; the prose is then drafted in parallel against them.
import { z } from "zod";
import { LIMITS, type Contract } from "../../shared/schemas";
import { contractsPrompt } from "../prompts";
import type { StoryContext } from "../story";
import { clip } from "../text";
import type { JsonStage } from "./types";
import { oneUnit, skipping } from "./units";

const State = z.strictObject({
  name: z.string(),
  where: z.string(),
  condition: z.string(),
  knows: z.array(z.string()),
  has: z.array(z.string()),
});
const ContractOutput = z.strictObject({
  place: z.string(),
  time: z.string(),
  present: z.array(z.string()),
  states: z.array(State),
  openThreads: z.array(z.string()),
});
export const ContractsOutput = z.strictObject({ opening: ContractOutput, exits: z.array(ContractOutput) });
type Contracts = z.infer<typeof ContractsOutput>;

const few = (xs: string[], n: number, len: number) => xs.map((x) => clip(x, len)).filter(Boolean).slice(0, n);

/** A contract as stored: clipped to the API's limits, names mapped to the cast's spelling. */
export function toContract(c: z.infer<typeof ContractOutput>, s: StoryContext): Contract {
  const cast = new Map(s.characters.map((x) => [x.name.toLowerCase(), x.name]));
  const spell = (n: string) => cast.get(n.trim().toLowerCase()) ?? clip(n, LIMITS.name);
  return {
    place: clip(c.place, 300),
    time: clip(c.time, 200),
    present: few(c.present, LIMITS.people, LIMITS.name).map(spell),
    states: c.states.slice(0, LIMITS.people).map((st) => ({
      name: spell(st.name),
      where: clip(st.where, 300),
      condition: clip(st.condition, 300),
      knows: few(st.knows, 20, 300),
      has: few(st.has, 20, 300),
    })),
    openThreads: few(c.openThreads, 30, 300),
  };
}

const allPlanned = (s: StoryContext) => !!s.opening && s.chapters.every((c) => c.exit);

export const contractsStage: JsonStage<Contracts> = {
  kind: "json",
  // Only a hybrid book plans contracts; asked for directly, they are planned again.
  units: (s, o) => (o.inBook && (o.mode !== "hybrid" || (skipping(o) && allPlanned(s))) ? [] : oneUnit("contracts")),
  prompt: (_u, s) => contractsPrompt(s),
  predictedOutputTokens: (s, cfg) => cfg.predictedOutputTokens * (s.chapters.length + 1),
  promptGrowsWith: ["meta", "summaries", "arcs"],
  // A later prompt carries one chapter's two contracts, its entry and its exit.
  outputInOnePrompt: (_s, cfg) => 2 * cfg.predictedOutputTokens,
  output: {
    name: "chapter_contracts",
    schema: ContractsOutput,
    check: (v, s) => (v.exits.length === s.chapters.length ? null : `it has ${v.exits.length} exits instead of exactly ${s.chapters.length}, one per chapter`),
  },
  demo: ({ story }) => demoContracts(story),
};

function demoContracts(s: StoryContext): Contracts {
  const lead = s.characters.slice(0, 2).map((c) => c.name);
  const places = s.locations.map((l) => l.name);
  const at = (i: number) => (places.length ? places[i % places.length]! : "the town");
  const state = (i: number) => ({
    place: at(i),
    time: i === 0 ? "The first evening" : `Evening of day ${i + 1}`,
    present: lead,
    states: lead.map((name) => ({ name, where: at(i), condition: "", knows: [], has: [] })),
    openThreads: [],
  });
  return { opening: state(0), exits: s.chapters.map((_, i) => state(i + 1)) };
}
