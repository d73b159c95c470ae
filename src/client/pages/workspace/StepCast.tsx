import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import type { StoryDetail } from "../../../shared/api";
import { put } from "../../api";
import { TextArea, TextField } from "../../components/Field";
import { newKey, ListEditor, type ItemTools, type Keyed } from "../../components/ListEditor";
import { Notice } from "../../components/misc";
import type { FieldErrors } from "../../components/useSubmit";
import { toast } from "../../toast";
import { IncomingBanner, SaveBar, StageErrors, StepHead, useDraftEditor, type StepProps } from "./common";
import { GenerateButton, useEstimate } from "./generate";
import { stepDraft, type CastDraft } from "./live";

const fromDetail = (d: StoryDetail): CastDraft => ({
  characters: d.characters.map((c) => ({ ...c, k: newKey() })),
  locations: d.locations.map((l) => ({ ...l, k: newKey() })),
});

/** Other names, as typed (comma-separated) or as saved. */
const aliasesOf = (x: { aliases?: string[]; aliasText?: string }): string[] =>
  x.aliasText === undefined
    ? (x.aliases ?? [])
    : x.aliasText
        .split(",")
        .map((a) => a.trim())
        .filter((a, i, all) => a && all.findIndex((b) => b.toLowerCase() === a.toLowerCase()) === i);

function validate(v: CastDraft) {
  const f: FieldErrors = {};
  const check = (list: { name: string; aliases?: string[]; aliasText?: string }[], kind: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      const n = x.name.trim().toLowerCase();
      if (!n) f[`${kind}.${i}.name`] = "Required";
      else if (seen.has(n)) f[`${kind}.${i}.name`] = "Names must be unique";
      seen.add(n);
      const aliases = aliasesOf(x);
      if (aliases.length > 10) f[`${kind}.${i}.aliases`] = "At most 10 other names";
      else if (aliases.some((a) => a.length > 100)) f[`${kind}.${i}.aliases`] = "Each name at most 100 characters";
    });
  };
  check(v.characters, "characters");
  check(v.locations, "locations");
  return f;
}

type Named = Keyed & { name: string; description: string; aliases?: string[]; aliasText?: string };

/**
 * Characters or places: each has a name, other names and a description (and whatever `more`
 * adds). Other names are the nicknames and titles the prose may use; the continuity checks
 * accept them as this one (docs/CONTINUITY.md).
 */
function CastList<T extends Named>({ title, field, noun, empty, more, ...list }: {
  title: string;
  field: keyof CastDraft;
  noun: string;
  empty: string;
  items: T[];
  onChange: (items: T[]) => void;
  errors: FieldErrors;
  blank: () => Omit<T, "k">;
  more?: (item: T, tools: ItemTools<T>) => ComponentChildren;
}) {
  return (
    <div>
      <h3>{title}</h3>
      <ListEditor
        {...list}
        label={title}
        field={field}
        nameOf={(x, i) => x.name || `${noun} ${i + 1}`}
        empty={<p class="muted">{empty}</p>}
        addLabel={`+ Add ${noun}`}
        render={(x, i, tools) => (
          <div class="item-fields">
            <TextField label="Name" value={x.name} error={tools.error("name")} onValue={(name) => tools.set({ name } as Partial<T>)} />
            <TextField
              label="Other names"
              value={x.aliasText ?? (x.aliases ?? []).join(", ")}
              error={tools.error("aliases") ?? Object.entries(list.errors).find(([k]) => k.startsWith(`${field}.${i}.aliases.`))?.[1]}
              hint="Nicknames or titles the text may use instead, separated by commas."
              onValue={(aliasText) => tools.set({ aliasText } as Partial<T>)}
            />
            <TextArea label="Description" rows={3} value={x.description} error={tools.error("description")} onValue={(description) => tools.set({ description } as Partial<T>)} />
            {more?.(x, tools)}
          </div>
        )}
      />
    </div>
  );
}

export function StepCast({ storyId, live, mem, detail }: StepProps) {
  const server = useMemo(() => fromDetail(detail), [detail.characters, detail.locations]);
  const ed = useDraftEditor(stepDraft(storyId, mem, "cast"), server);
  const { value } = ed;
  const estimate = useEstimate(storyId, "meta", { version: live.rev, enabled: !live.busy });
  const hasAny = detail.characters.length + detail.locations.length > 0;

  const save = () =>
    ed.run(validate(value), async () => {
      const d = await put<StoryDetail>(`/api/stories/${storyId}/meta`, {
        characters: value.characters.map((c) => ({ name: c.name.trim(), description: c.description, exampleDialogue: c.exampleDialogue, aliases: aliasesOf(c) })),
        locations: value.locations.map((l) => ({ name: l.name.trim(), description: l.description, aliases: aliasesOf(l) })),
      });
      live.setDetail(d);
      ed.drop();
      toast("Characters and places saved.", "success");
    });

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
      <IncomingBanner what="characters and places" editor={ed} />
      <StageErrors live={live} stages={["meta"]} />
      {ed.error && <Notice tone="error">{ed.error}</Notice>}

      <div class="split-2">
        <CastList
          title="Characters"
          field="characters"
          noun="character"
          empty="No characters yet. Generate them, or add your own."
          items={value.characters}
          onChange={(characters) => ed.update({ ...value, characters })}
          errors={ed.fields}
          blank={() => ({ name: "", description: "", exampleDialogue: "" })}
          more={(c, { set, error }) => (
            <TextArea label="Example dialogue" rows={2} value={c.exampleDialogue} error={error("exampleDialogue")} onValue={(exampleDialogue) => set({ exampleDialogue })} />
          )}
        />
        <CastList
          title="Places"
          field="locations"
          noun="place"
          empty="No places yet."
          items={value.locations}
          onChange={(locations) => ed.update({ ...value, locations })}
          errors={ed.fields}
          blank={() => ({ name: "", description: "" })}
        />
      </div>
      <SaveBar editor={ed} onSave={save} label="Save characters & places" />
    </section>
  );
}
