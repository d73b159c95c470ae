// Live events sent to every open tab of a user over /api/ws (docs/ARCHITECTURE.md, "How a job flows").
// Frames are JSON: {"event": "<name>", "data": {...}}.
import type { Character, Credits, GuidePart, Job, Location } from "./api";
import type { UnitStage } from "./stages";

type Payloads = {
  notification: { message: string; level: "info" | "success" | "warning" | "error" };
  job_started: { job: Job };
  job_progress: { jobId: number; storyId: number; stage: UnitStage; done: number; total: number; failed: number };
  meta_generated: { storyId: number; characters: Character[]; locations: Location[] };
  summaries_generated: { storyId: number; chapters: { id: number; number: number; title: string; summary: string }[] };
  arcs_generated: { storyId: number; arcs: string[] };
  chapter_guide_generated: { storyId: number; chapterId: number; parts: GuidePart[]; dropped: string[] };
  chapter_delta: { storyId: number; chapterId: number; text: string };
  chapter_generated: { storyId: number; chapterId: number; number: number; title: string; content: string };
  /** What the book remembers from a chapter was (re)built. */
  digest_generated: { storyId: number; chapterId: number; droppedFacts: number };
  /** Contracts were planned for every chapter of a hybrid book. */
  contracts_generated: { storyId: number };
  /** A chapter's continuity checks ran: what they found, by severity (dismissed ones left out). */
  chapter_checked: { storyId: number; chapterId: number; counts: { error: number; warning: number; info: number } };
  /** A seam was checked; `rewritten` when the next chapter's opening was rewritten to follow the real ending. */
  boundary_checked: { storyId: number; chapterId: number; rewritten: boolean; differences: string[] };
  image_generated: { storyId: number; kind: "cover" | "chapter"; chapterId: number | null; url: string };
  credits_updated: Credits;
  generation_error: { storyId: number; jobId: number; stage: UnitStage; chapterId: number | null; error: string };
  job_finished: { job: Job };
};

export type EventName = keyof Payloads;
export type ServerEvent = { [K in EventName]: { event: K; data: Payloads[K] } }[EventName];
export type EventData<K extends EventName> = Payloads[K];

export const event = <K extends EventName>(name: K, data: Payloads[K]) =>
  ({ event: name, data }) as Extract<ServerEvent, { event: K }>;
