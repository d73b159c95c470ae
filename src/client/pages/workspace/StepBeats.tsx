import { useEffect, useMemo, useState } from "preact/hooks";
import type { ChapterSummary, GuidePart } from "../../../shared/api";
import { put } from "../../api";
import { TextArea } from "../../components/Field";
import { newKey, ListEditor } from "../../components/ListEditor";
import { Loading, Notice } from "../../components/misc";
import type { FieldErrors } from "../../components/useSubmit";
import { plural } from "../../format";
import { toast, toastError } from "../../toast";
import { addNames, type Kind } from "../continuity/actions";
import { chapterName, IncomingBanner, SaveBar, StageErrors, StepHead, useDraftEditor, type StepProps } from "./common";
import { ChapterContracts } from "./Contracts";
import { GenerateButton, missingFor, useEstimate, type Estimate } from "./generate";
import { beatsDraft, type BeatsDraft } from "./live";

function NamePicker({ legend, all, picked, onChange }: { legend: string; all: string[]; picked: string[]; onChange: (v: string[]) => void }) {
  if (!all.length) return null;
  const lower = new Set(picked.map((p) => p.toLowerCase()));
  return (
    <fieldset class="name-picker">
      <legend>{legend}</legend>
      {all.map((name) => (
        <label key={name} class="chip-check">
          <input
            type="checkbox"
            checked={lower.has(name.toLowerCase())}
            onChange={(e) => {
              const on = (e.currentTarget as HTMLInputElement).checked;
              onChange(on ? [...picked, name] : picked.filter((p) => p.toLowerCase() !== name.toLowerCase()));
            }}
          />
          <span>{name}</span>
        </label>
      ))}
    </fieldset>
  );
}

function ChapterBeats({ chapter, props, estimate, open, onToggle }: { chapter: ChapterSummary; props: StepProps; estimate: Estimate | null; open: boolean; onToggle: () => void }) {
  const { storyId, live, mem, detail } = props;
  const guide = live.guides[chapter.id];
  const server = useMemo<BeatsDraft | null>(() => (guide ? { parts: guide.map((p) => ({ ...p, k: newKey() })) } : null), [guide]);
  const ed = useDraftEditor(beatsDraft(storyId, mem, chapter.id), server);
  const { value } = ed;
  const streaming = live.busy && (live.job?.currentStage === "guides" || live.job?.stage === "guides");
  useEffect(() => {
    if (open) live.loadGuide(chapter.id);
  }, [open, chapter.id]);
  const names = (list: { name: string }[]) => list.map((x) => x.name);
  const unitCost = estimate?.units.find((u) => u.chapterId === chapter.id)?.credits ?? null;
  const count = guide?.length;
  const panelId = `beats-${chapter.id}`;

  const save = () => {
    if (!value) return;
    const f: FieldErrors = {};
    value.parts.forEach((p, i) => {
      if (!p.text.trim()) f[`parts.${i}.text`] = "Describe the beat, or remove it";
    });
    ed.run(f, async () => {
      const { chapter: c } = await put<{ chapter: { guide: GuidePart[] } }>(`/api/stories/${storyId}/chapters/${chapter.id}/guide`, {
        parts: value.parts.map(({ text, characters, locations }) => ({ text: text.trim(), characters, locations })),
      });
      live.setGuide(chapter.id, c.guide);
      ed.drop();
      live.reload();
      toast(`Beats of chapter ${chapter.number} saved.`, "success");
    });
  };

  return (
    <li class={`beats-chapter card${open ? " is-open" : ""}`}>
      <div class="beats-chapter-head">
        <button type="button" class="disclosure" aria-expanded={open} aria-controls={panelId} onClick={onToggle}>
          <span class="disclosure-icon" aria-hidden="true">
            ▸
          </span>
          <span class="beats-chapter-title">{chapterName(chapter)}</span>
        </button>
        <span class="beats-meta">
          {ed.dirty && <span class="badge badge-warning">Unsaved</span>}
          {chapter.guideStale && <span class="badge" title="The summary changed after these beats were written">Out of date</span>}
          {chapter.hasGuide ? (
            <span class="badge badge-success">{count !== undefined ? plural(count, "beat") : "Has beats"}</span>
          ) : (
            <span class="badge">No beats</span>
          )}
        </span>
        <GenerateButton
          storyId={storyId}
          stage="guides"
          chapterIds={[chapter.id]}
          label={chapter.hasGuide ? "Regenerate" : "Generate"}
          ariaLabel={`${chapter.hasGuide ? "Regenerate" : "Generate"} beats for chapter ${chapter.number}`}
          credits={unitCost}
          class="btn btn-sm"
          missing={missingFor("guides", detail, [chapter.id])}
          busy={live.busy}
          onStarted={live.startJob}
        />
      </div>
      <StageErrors live={live} stages={["guides"]} chapterId={chapter.id} />
      {open && (
        <div id={panelId} class="beats-panel">
          {chapter.summary && <p class="muted">{chapter.summary}</p>}
          {/* A new guide for beats that are loaded and not being edited is simply shown. */}
          <IncomingBanner what={`beats for chapter ${chapter.number}`} editor={ed} />
          {ed.error && <Notice tone="error">{ed.error}</Notice>}
          {!value ? (
            streaming ? <Loading label="Writing beats…" /> : <Loading label="Loading beats…" />
          ) : (
            <>
              <ListEditor
                label={`Beats of chapter ${chapter.number}`}
                field="parts"
                items={value.parts}
                onChange={(parts) => ed.update({ parts })}
                nameOf={(_, i) => `beat ${i + 1}`}
                errors={ed.fields}
                empty={<p class="muted">No beats yet.</p>}
                addLabel="+ Add beat"
                blank={() => ({ text: "", characters: [], locations: [] })}
                focusNew={false}
                render={(p, i, { set, error }) => (
                  <div class="item-fields">
                    <TextArea label={`Beat ${i + 1}`} rows={2} value={p.text} error={error("text")} onValue={(text) => set({ text })} />
                    <NamePicker legend="Characters" all={names(detail.characters)} picked={p.characters} onChange={(characters) => set({ characters })} />
                    <NamePicker legend="Places" all={names(detail.locations)} picked={p.locations} onChange={(locations) => set({ locations })} />
                  </div>
                )}
              />
              <SaveBar editor={ed} onSave={save} label={`Save beats of chapter ${chapter.number}`} />
              <ChapterContracts storyId={storyId} chapter={chapter} />
            </>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * Names that newly written beats gave but the cast and places do not have: the beats left them
 * out (a guide keeps only names the story knows). Offered for the cast or the places, while the
 * workspace is open.
 */
function DroppedNames({ props }: { props: StepProps }) {
  const { storyId, live, detail } = props;
  const [pending, setPending] = useState<string | null>(null);
  const known = new Set([...detail.characters, ...detail.locations].flatMap((x) => [x.name, ...(x.aliases ?? [])]).map((n) => n.trim().toLowerCase()));
  const where = new Map<string, { name: string; chapters: number[] }>();
  for (const c of detail.chapters)
    for (const name of live.dropped[c.id] ?? []) {
      const key = name.trim().toLowerCase();
      if (!key || known.has(key)) continue;
      const e = where.get(key) ?? { name: name.trim(), chapters: [] };
      e.chapters.push(c.number);
      where.set(key, e);
    }
  const names = [...where.values()];
  if (!names.length) return null;
  const chapters = [...new Set(names.flatMap((n) => n.chapters))].sort((a, b) => a - b);
  const add = async (key: string, kind: Kind, list: string[]) => {
    setPending(key);
    try {
      live.setDetail(await addNames(storyId, kind, list));
      toast(`${list.length === 1 ? list[0] : plural(list.length, "name")} added to the ${kind === "characters" ? "cast" : "places"}.`, "success");
    } catch (e) {
      toastError(e);
    } finally {
      setPending(null);
    }
  };
  const one = names.length === 1;
  return (
    <Notice
      tone="warning"
      title={`${one ? "1 name in these beats is" : `${names.length} names in these beats are`} not in your cast — add ${one ? "it" : "them"}?`}
      actions={
        <>
          <button type="button" class="btn btn-sm" disabled={pending !== null} onClick={() => add("all", "characters", names.map((n) => n.name))}>
            {pending === "all" ? "Adding…" : one ? "Add to the cast" : "Add all to the cast"}
          </button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={live.clearDropped}>
            Not now
          </button>
        </>
      }
    >
      <p>
        The beats of {chapters.length === 1 ? `chapter ${chapters[0]}` : `chapters ${chapters.join(", ")}`}{" "}
        {one
          ? "gave this name, but left it out because the story does not know it. Once it is in, regenerate those beats to include it."
          : "gave these names, but left them out because the story does not know them. Once they are in, regenerate those beats to include them."}
      </p>
      <ul class="dropped-names">
        {names.map((n) => (
          <li key={n.name}>
            <strong>{n.name}</strong>
            {!one && (
              <button type="button" class="btn btn-ghost btn-sm" disabled={pending !== null} aria-label={`Add ${n.name} to the cast`} onClick={() => add(n.name, "characters", [n.name])}>
                To the cast
              </button>
            )}
            <button type="button" class="btn btn-ghost btn-sm" disabled={pending !== null} aria-label={`Add ${n.name} to the places`} onClick={() => add(n.name, "locations", [n.name])}>
              To the places
            </button>
          </li>
        ))}
      </ul>
    </Notice>
  );
}

export function StepBeats(props: StepProps) {
  const { storyId, live, detail } = props;
  const missing = missingFor("guides", detail);
  const estimate = useEstimate(storyId, "guides", { version: live.rev, enabled: !live.busy && !missing.length });
  const [open, setOpen] = useState<Set<number>>(() => new Set(detail.chapters[0] ? [detail.chapters[0].id] : []));
  const withBeats = detail.chapters.filter((c) => c.hasGuide).length;
  return (
    <section aria-labelledby="step-title">
      <StepHead
        title="Beats"
        actions={
          <GenerateButton
            storyId={storyId}
            stage="guides"
            label={withBeats ? "Regenerate beats for all chapters" : "Generate beats for all chapters"}
            estimate={estimate}
            missing={missing}
            busy={live.busy}
            onStarted={live.startJob}
          />
        }
      >
        <p>
          A scene-by-scene plan for each chapter, with who is in it and where. {withBeats} of {detail.chapters.length} chapters have beats.
        </p>
      </StepHead>
      <StageErrors live={live} stages={["guides"]} chapterId={null} />
      <DroppedNames props={props} />
      <ol class="beats-list">
        {detail.chapters.map((c) => (
          <ChapterBeats
            key={c.id}
            chapter={c}
            props={props}
            estimate={estimate.data}
            open={open.has(c.id)}
            onToggle={() =>
              setOpen((s) => {
                const n = new Set(s);
                if (n.has(c.id)) n.delete(c.id);
                else n.add(c.id);
                return n;
              })
            }
          />
        ))}
      </ol>
    </section>
  );
}
