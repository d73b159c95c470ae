// "What the book remembers from this chapter": the chapter's digest (docs/MEMORY.md), which later
// chapters read. It says when it describes an older version of the prose, rebuilds on request, and
// lets the author correct it; every fact must quote the chapter word for word.
import { useState } from "preact/hooks";
import type { Chapter, Job } from "../../../shared/api";
import type { CharacterState, Digest } from "../../../shared/schemas";
import { put } from "../../api";
import { Form, FormError, TextArea, TextField } from "../../components/Field";
import { Notice } from "../../components/misc";
import { useSubmit } from "../../components/useSubmit";
import { toast } from "../../toast";
import { GenerateButton } from "../workspace/generate";

const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);
const stateLine = (st: CharacterState) => [st.name, st.where, st.condition].join(" | ");
const parseState = (l: string, before: CharacterState[]): CharacterState => {
  const [name = "", where = "", condition = ""] = l.split("|").map((x) => x.trim());
  const old = before.find((b) => b.name.toLowerCase() === name.toLowerCase());
  return { name, where, condition, knows: old?.knows ?? [], has: old?.has ?? [] };
};

type Draft = { summary: string; place: string; time: string; present: string; lastBeat: string; states: string; facts: string; opened: string; closed: string; meetings: string };

const toDraft = (d: Digest): Draft => ({
  summary: d.summary,
  place: d.ending.place,
  time: d.ending.time,
  present: d.ending.present.join(", "),
  lastBeat: d.ending.lastBeat,
  states: d.states.map(stateLine).join("\n"),
  facts: d.facts.map((f) => `${f.text} | ${f.quote}`).join("\n"),
  opened: d.threadsOpened.join("\n"),
  closed: d.threadsClosed.join("\n"),
  meetings: d.firstMeetings.map(([a, b]) => `${a} & ${b}`).join("\n"),
});

const fromDraft = (v: Draft, before: Digest): Digest => ({
  summary: v.summary.trim(),
  ending: { place: v.place.trim(), time: v.time.trim(), present: v.present.split(",").map((x) => x.trim()).filter(Boolean), lastBeat: v.lastBeat.trim() },
  states: lines(v.states).map((l) => parseState(l, before.states)),
  facts: lines(v.facts).map((l) => {
    const i = l.lastIndexOf("|");
    return i < 0 ? { text: l, quote: l } : { text: l.slice(0, i).trim(), quote: l.slice(i + 1).trim() };
  }),
  threadsOpened: lines(v.opened),
  threadsClosed: lines(v.closed),
  firstMeetings: lines(v.meetings).flatMap((l) => {
    const [a, b] = l.split("&").map((x) => x.trim());
    return a && b ? [[a, b] as [string, string]] : [];
  }),
});

type Props = { storyId: number; chapter: Chapter; busy: boolean; onChanged: (c: Chapter) => void; onStarted: (j: Job) => void };

export function MemoryPanel({ storyId, chapter, busy, onChanged, onStarted }: Props) {
  const [editing, setEditing] = useState(false);
  const d = chapter.digest;
  return (
    <section class="card memory" aria-labelledby="memory-title">
      <h2 id="memory-title">What the book remembers from this chapter</h2>
      {!chapter.hasContent ? (
        <p class="muted small">Once the chapter is written, what it makes true is remembered here, and later chapters read it.</p>
      ) : !d ? (
        <p class="muted small">Nothing yet: the book has not read this chapter. Build its memory so later chapters know what happened here.</p>
      ) : editing ? (
        <DigestForm storyId={storyId} chapter={chapter} digest={d} onDone={(c) => (setEditing(false), c && onChanged(c))} />
      ) : (
        <DigestView digest={d} />
      )}
      {chapter.digestStale && (
        <Notice tone="warning" title="The prose changed since.">
          <p>This describes an earlier version of the chapter. Rebuild it, or correct it by hand.</p>
        </Notice>
      )}
      {chapter.hasContent && !editing && (
        <div class="form-actions">
          <GenerateButton
            storyId={storyId}
            stage="digests"
            chapterIds={[chapter.id]}
            label={d ? "Rebuild" : "Build memory"}
            busy={busy}
            class="btn btn-sm"
            onStarted={onStarted}
          />
          {d && (
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => setEditing(true)}>
              Correct
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function DigestView({ digest: d }: { digest: NonNullable<Chapter["digest"]> }) {
  return (
    <div class="digest">
      <p>{d.summary}</p>
      <dl class="digest-facts">
        <dt>Ends</dt>
        <dd>
          {[d.ending.place, d.ending.time].filter(Boolean).join(", ") || "—"}
          {d.ending.present.length > 0 && <span class="muted"> · with {d.ending.present.join(", ")}</span>}
        </dd>
        {d.states.length > 0 && (
          <>
            <dt>Where everyone is</dt>
            <dd>
              <ul>
                {d.states.map((s) => (
                  <li key={s.name}>
                    <strong>{s.name}</strong>
                    {s.where && ` — ${s.where}`}
                    {s.condition && `, ${s.condition}`}
                    {s.has.length > 0 && <span class="muted"> · has {s.has.join(", ")}</span>}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {d.facts.length > 0 && (
          <>
            <dt>Facts</dt>
            <dd>
              <ul>
                {d.facts.map((f, i) => (
                  <li key={i}>
                    {f.text} <q class="muted small">{f.quote}</q>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {(d.threadsOpened.length > 0 || d.threadsClosed.length > 0) && (
          <>
            <dt>Threads</dt>
            <dd>
              {d.threadsOpened.length > 0 && <p>Opened: {d.threadsOpened.join("; ")}</p>}
              {d.threadsClosed.length > 0 && <p>Closed: {d.threadsClosed.join("; ")}</p>}
            </dd>
          </>
        )}
        {d.firstMeetings.length > 0 && (
          <>
            <dt>First meetings</dt>
            <dd>{d.firstMeetings.map(([a, b]) => `${a} and ${b}`).join("; ")}</dd>
          </>
        )}
      </dl>
      <p class="muted small">
        {d.source === "edited" ? "Corrected by you." : "Read by the model."}
        {d.droppedFacts > 0 && ` ${d.droppedFacts} claimed fact${d.droppedFacts === 1 ? " was" : "s were"} left out: ${d.droppedFacts === 1 ? "its quote is" : "their quotes are"} not in the chapter.`}
      </p>
    </div>
  );
}

function DigestForm({ storyId, chapter, digest, onDone }: { storyId: number; chapter: Chapter; digest: Digest; onDone: (c: Chapter | null) => void }) {
  const [v, setV] = useState<Draft>(() => toDraft(digest));
  const set = (k: keyof Draft) => (x: string) => setV({ ...v, [k]: x });
  const submit = useSubmit();
  const save = () =>
    submit.run({}, async () => {
      const { chapter: c } = await put<{ chapter: Chapter }>(`/api/stories/${storyId}/chapters/${chapter.id}/digest`, fromDraft(v, digest));
      toast("The book will remember it this way.", "success");
      onDone(c);
    });
  const err = (k: string) => submit.fields[k];
  return (
    <Form onSubmit={save} aria-busy={submit.busy}>
      <TextArea label="What happened" rows={4} value={v.summary} onValue={set("summary")} error={err("summary")} hint="At most 120 words." />
      <TextField label="Where it ends" value={v.place} onValue={set("place")} error={err("ending.place")} />
      <TextField label="When it ends" value={v.time} onValue={set("time")} error={err("ending.time")} />
      <TextField label="Who is there at the end" value={v.present} onValue={set("present")} hint="Names, separated by commas." />
      <TextArea label="The last beat" rows={2} value={v.lastBeat} onValue={set("lastBeat")} />
      <TextArea label="Where everyone is" rows={3} value={v.states} onValue={set("states")} hint="One character a line: name | where | condition." />
      <TextArea
        label="Facts"
        rows={4}
        value={v.facts}
        onValue={set("facts")}
        error={Object.entries(submit.fields).find(([k]) => k.startsWith("facts."))?.[1]}
        hint="One a line: the fact | the words of the chapter that show it, copied exactly."
      />
      <TextArea label="Threads opened" rows={2} value={v.opened} onValue={set("opened")} hint="One a line." />
      <TextArea label="Threads closed" rows={2} value={v.closed} onValue={set("closed")} hint="One a line." />
      <TextArea label="First meetings" rows={2} value={v.meetings} onValue={set("meetings")} hint="One a line: name & name." />
      <FormError error={submit.error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-sm" disabled={submit.busy}>
          Save
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </Form>
  );
}
