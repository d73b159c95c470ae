// A chapter's contracts in the Beats step (docs/MEMORY.md): where it starts (the previous chapter's
// exit, or the book's opening) and where it must leave the story. Editing one chapter's start edits
// the previous chapter's end: they are the same contract.
import { useEffect, useState } from "preact/hooks";
import type { Chapter, ChapterSummary } from "../../../shared/api";
import type { Contract } from "../../../shared/schemas";
import { get, put } from "../../api";
import { Form, FormError, TextArea, TextField } from "../../components/Field";
import { useSubmit } from "../../components/useSubmit";
import { toast } from "../../toast";

type Draft = { place: string; time: string; present: string; states: string; threads: string };
const blank: Draft = { place: "", time: "", present: "", states: "", threads: "" };
const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);

const toDraft = (c: Contract | null): Draft =>
  c
    ? {
        place: c.place,
        time: c.time,
        present: c.present.join(", "),
        states: c.states.map((s) => [s.name, s.where, s.condition].join(" | ")).join("\n"),
        threads: c.openThreads.join("\n"),
      }
    : blank;

function fromDraft(v: Draft, before: Contract | null): Contract | null {
  if (!Object.values(v).some((x) => x.trim())) return null;
  return {
    place: v.place.trim(),
    time: v.time.trim(),
    present: v.present.split(",").map((x) => x.trim()).filter(Boolean),
    states: lines(v.states).map((l) => {
      const [name = "", where = "", condition = ""] = l.split("|").map((x) => x.trim());
      const old = before?.states.find((s) => s.name.toLowerCase() === name.toLowerCase());
      return { name, where, condition, knows: old?.knows ?? [], has: old?.has ?? [] };
    }),
    openThreads: lines(v.threads),
  };
}

function ContractFields({ legend, v, set }: { legend: string; v: Draft; set: (d: Draft) => void }) {
  const on = (k: keyof Draft) => (x: string) => set({ ...v, [k]: x });
  return (
    <fieldset class="contract">
      <legend>{legend}</legend>
      <TextField label="Place" value={v.place} onValue={on("place")} />
      <TextField label="Time" value={v.time} onValue={on("time")} />
      <TextField label="Who is there" value={v.present} onValue={on("present")} hint="Names, separated by commas." />
      <TextArea label="Where everyone is" rows={2} value={v.states} onValue={on("states")} hint="One character a line: name | where | condition." />
      <TextArea label="Open threads" rows={2} value={v.threads} onValue={on("threads")} hint="One a line." />
    </fieldset>
  );
}

export function ChapterContracts({ storyId, chapter }: { storyId: number; chapter: ChapterSummary }) {
  const [server, setServer] = useState<Pick<Chapter, "entry" | "exit"> | null>(null);
  const [entry, setEntry] = useState<Draft>(blank);
  const [exit, setExit] = useState<Draft>(blank);
  const submit = useSubmit();
  useEffect(() => {
    get<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapter.id}`).then(({ chapter: c }) => {
      setServer({ entry: c.entry, exit: c.exit });
      setEntry(toDraft(c.entry));
      setExit(toDraft(c.exit));
    }, () => {});
  }, [storyId, chapter.id]);
  if (!server) return null;
  const save = () =>
    submit.run({}, async () => {
      const { chapter: c } = await put<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapter.id}/guide`, {
        entry: fromDraft(entry, server.entry),
        exit: fromDraft(exit, server.exit),
      });
      setServer({ entry: c.entry, exit: c.exit });
      toast(`Where chapter ${chapter.number} starts and ends is saved.`, "success");
    });
  return (
    <details class="contracts">
      <summary>Where this chapter starts and ends {server.exit ? "" : <span class="muted small">(not planned yet)</span>}</summary>
      <p class="muted small">A book written with planned seams drafts every chapter against these, then checks that each really ends as planned.</p>
      <Form onSubmit={save}>
        <ContractFields legend={chapter.number === 1 ? "Where the book starts" : "Where it starts (the previous chapter's end)"} v={entry} set={setEntry} />
        <ContractFields legend="Where it must leave the story" v={exit} set={setExit} />
        <FormError error={submit.error} />
        <div class="form-actions">
          <button type="submit" class="btn btn-sm" disabled={submit.busy}>
            Save start and end<span class="sr-only"> of chapter {chapter.number}</span>
          </button>
        </div>
      </Form>
    </details>
  );
}
