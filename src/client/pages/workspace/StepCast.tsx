import { useMemo, useState } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { fieldsOf, messageOf, put } from "../../api";
import { TextArea, TextField } from "../../components/Field";
import { Notice } from "../../components/misc";
import { move, Sortable } from "../../components/Sortable";
import { toast } from "../../toast";
import { IncomingBanner, SaveBar, StageErrors, StepHead, type StepProps } from "./common";
import { GenerateButton, useEstimate } from "./generate";
import { dropDraft, keepDraft, newKey, setDraft, type CastDraft } from "./live";

const fromDetail = (d: StoryDetail): CastDraft => ({
  characters: d.characters.map((c) => ({ ...c, k: newKey() })),
  locations: d.locations.map((l) => ({ ...l, k: newKey() })),
});

function validate(v: CastDraft) {
  const f: Record<string, string> = {};
  const check = (list: { name: string }[], kind: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      const n = x.name.trim().toLowerCase();
      if (!n) f[`${kind}.${i}.name`] = "Required";
      else if (seen.has(n)) f[`${kind}.${i}.name`] = "Names must be unique";
      seen.add(n);
    });
  };
  check(v.characters, "characters");
  check(v.locations, "locations");
  return f;
}

const focusLast = (selector: string) =>
  requestAnimationFrame(() => {
    const all = document.querySelectorAll<HTMLInputElement>(selector);
    all[all.length - 1]?.focus();
  });

export function StepCast({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => fromDetail(detail), [detail.characters, detail.locations]);
  const draft = mem.cast;
  const value = draft?.value ?? server;
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const estimate = useEstimate(storyId, "meta", { version: live.rev, enabled: !live.busy });
  const update = (v: CastDraft) => setDraft(storyId, "cast", v);
  const hasAny = detail.characters.length + detail.locations.length > 0;

  const save = async () => {
    const f = validate(value);
    setFields(f);
    setError(null);
    if (Object.keys(f).length) {
      setError("Please fix the highlighted fields.");
      return;
    }
    setSaving(true);
    try {
      const d = await put<StoryDetail>(`/api/stories/${storyId}/meta`, {
        characters: value.characters.map(({ name, description, exampleDialogue }) => ({ name: name.trim(), description, exampleDialogue })),
        locations: value.locations.map(({ name, description }) => ({ name: name.trim(), description })),
      });
      live.setDetail(d);
      dropDraft(storyId, "cast");
      setFields({});
      toast("Characters and places saved.", "success");
    } catch (e) {
      setFields(fieldsOf(e));
      setError(messageOf(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="step-title">
      <StepHead
        title="Characters & places"
        actions={
          <GenerateButton
            storyId={storyId}
            stage="meta"
            label={hasAny ? "Regenerate characters & places" : "Generate characters & places"}
            estimate={estimate}
            busy={live.busy}
            onStarted={live.startJob}
          />
        }
      >
        <p>Who the story is about and where it happens. Example dialogue gives each character a voice the chapters keep.</p>
      </StepHead>
      {draft && mem.incoming.cast > draft.base && (
        <IncomingBanner what="characters and places" onLoad={() => dropDraft(storyId, "cast")} onKeep={() => keepDraft(storyId, "cast")} />
      )}
      <StageErrors live={live} stages={["meta"]} />
      {error && <Notice tone="error">{error}</Notice>}

      <div class="split-2">
        <div>
          <h3>Characters</h3>
          {value.characters.length === 0 && <p class="muted">No characters yet. Generate them, or add your own.</p>}
          <Sortable
            label="Characters"
            items={value.characters}
            keyOf={(c) => c.k}
            nameOf={(c, i) => c.name || `character ${i + 1}`}
            onMove={(a, b) => update({ ...value, characters: move(value.characters, a, b) })}
            onRemove={(i) => update({ ...value, characters: value.characters.filter((_, j) => j !== i) })}
            render={(c, i) => (
              <div class="item-fields">
                <TextField
                  label="Name"
                  class="char-name"
                  value={c.name}
                  error={fields[`characters.${i}.name`]}
                  onValue={(name) => update({ ...value, characters: value.characters.map((x, j) => (j === i ? { ...x, name } : x)) })}
                />
                <TextArea
                  label="Description"
                  rows={3}
                  value={c.description}
                  error={fields[`characters.${i}.description`]}
                  onValue={(description) => update({ ...value, characters: value.characters.map((x, j) => (j === i ? { ...x, description } : x)) })}
                />
                <TextArea
                  label="Example dialogue"
                  rows={2}
                  value={c.exampleDialogue}
                  error={fields[`characters.${i}.exampleDialogue`]}
                  onValue={(exampleDialogue) => update({ ...value, characters: value.characters.map((x, j) => (j === i ? { ...x, exampleDialogue } : x)) })}
                />
              </div>
            )}
          />
          <button
            type="button"
            class="btn btn-ghost btn-add"
            onClick={() => {
              update({ ...value, characters: [...value.characters, { k: newKey(), name: "", description: "", exampleDialogue: "" }] });
              focusLast(".char-name input");
            }}
          >
            + Add character
          </button>
        </div>
        <div>
          <h3>Places</h3>
          {value.locations.length === 0 && <p class="muted">No places yet.</p>}
          <Sortable
            label="Places"
            items={value.locations}
            keyOf={(l) => l.k}
            nameOf={(l, i) => l.name || `place ${i + 1}`}
            onMove={(a, b) => update({ ...value, locations: move(value.locations, a, b) })}
            onRemove={(i) => update({ ...value, locations: value.locations.filter((_, j) => j !== i) })}
            render={(l, i) => (
              <div class="item-fields">
                <TextField
                  label="Name"
                  class="place-name"
                  value={l.name}
                  error={fields[`locations.${i}.name`]}
                  onValue={(name) => update({ ...value, locations: value.locations.map((x, j) => (j === i ? { ...x, name } : x)) })}
                />
                <TextArea
                  label="Description"
                  rows={3}
                  value={l.description}
                  error={fields[`locations.${i}.description`]}
                  onValue={(description) => update({ ...value, locations: value.locations.map((x, j) => (j === i ? { ...x, description } : x)) })}
                />
              </div>
            )}
          />
          <button
            type="button"
            class="btn btn-ghost btn-add"
            onClick={() => {
              update({ ...value, locations: [...value.locations, { k: newKey(), name: "", description: "" }] });
              focusLast(".place-name input");
            }}
          >
            + Add place
          </button>
        </div>
      </div>
      <SaveBar dirty={!!draft} saving={saving} onSave={save} onDiscard={() => (dropDraft(storyId, "cast"), setFields({}), setError(null))} label="Save characters & places" />
    </section>
  );
}
