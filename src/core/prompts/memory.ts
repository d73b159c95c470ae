// The blocks that carry a book's memory into prompts (docs/MEMORY.md): the digests of earlier
// chapters, the characters' states, the previous chapter's ending, and chapter contracts.
import type { CharacterState, Contract, Digest } from "../../shared/schemas";
import { block, tag } from "../escape";
import type { MemoryItem } from "../memory";

const list = (xs: string[]) => xs.join("; ");

export const stateTag = (st: CharacterState) =>
  tag("state", [st.where && `at ${st.where}`, st.condition, st.knows.length && `knows: ${list(st.knows)}`, st.has.length && `has: ${list(st.has)}`].filter(Boolean).join(". "), {
    name: st.name,
  });

/** One chapter's digest, compactly: summary, ending, states, facts (without their quotes), threads, meetings. */
export function digestBlock(number: number, d: Digest): string {
  return block(
    "chapter_memory",
    [
      tag("summary", d.summary),
      tag("ending", d.ending.lastBeat, { place: d.ending.place, time: d.ending.time, present: d.ending.present.join(", ") }),
      ...d.states.map(stateTag),
      ...(d.facts.length ? [tag("facts", list(d.facts.map((f) => f.text)))] : []),
      ...(d.threadsOpened.length ? [tag("threads_opened", list(d.threadsOpened))] : []),
      ...(d.threadsClosed.length ? [tag("threads_closed", list(d.threadsClosed))] : []),
      ...(d.firstMeetings.length ? [tag("first_meetings", list(d.firstMeetings.map(([a, b]) => `${a} and ${b}`)))] : []),
    ],
    { number },
  );
}

/**
 * The second system message of a chapter prompt in a book with memory. It only ever grows at its
 * end as chapters are written, so each chapter's prompt starts with every byte of the previous
 * chapter's prompt up to its last digest: the provider's prefix cache keeps serving the book.
 */
export function storySoFarMessage(items: MemoryItem[]): string {
  return block(
    "story_so_far",
    items.map((it) => (it.kind === "part" ? tag("part", it.text, { chapters: `${it.from}-${it.to}` }) : digestBlock(it.number, it.digest))),
  );
}

export function contractBlock(name: "entry" | "exit" | "opening", c: Contract): string {
  return block(
    name,
    [
      tag("place", c.place),
      tag("time", c.time),
      tag("present", c.present.join(", ")),
      ...c.states.map(stateTag),
      ...(c.openThreads.length ? [tag("open_threads", list(c.openThreads))] : []),
    ],
  );
}

export const stateAtStartBlock = (states: CharacterState[]) => block("state_at_start", states.map(stateTag));
