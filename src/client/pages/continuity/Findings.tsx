// Findings an author can act on (docs/CONTINUITY.md): each with its message and the words it quotes,
// and the one-click fix its kind allows. An unlisted name is added to the cast or the places, or
// renamed everywhere; a shared name is renamed; a chapter that misses a beat, runs long or short,
// repeats itself or contradicts the book is rewritten with instructions that say so, after the
// usual quote of its price; and any finding can be dismissed. Dismissed ones are kept, folded away.
import { useEffect, useRef, useState } from "preact/hooks";
import type { GuidePart, Job, StoryDetail } from "../../../shared/api";
import type { Finding } from "../../../shared/continuity";
import { Form, FormError, Select, TextArea, TextField, useFieldId } from "../../components/Field";
import { ReportPending } from "./Pending";
import { useSubmit } from "../../components/useSubmit";
import { plural } from "../../format";
import { toast, toastError } from "../../toast";
import { GenerateButton, missingFor, useEstimate } from "../workspace/generate";
import { addNames, renameName, type Kind } from "./actions";
import { FindingsBadge } from "./Badge";
import { dismissFinding, SEVERITY_LABEL, TYPE_LABEL, useReport, type ChapterReport } from "./report";

/** The chapter the findings belong to, when they belong to one (book-level ones do not). */
export type FindingChapter = { id: number; number: number; guide: GuidePart[]; metrics: ChapterReport["metrics"] };

export type FindingsProps = {
  storyId: number;
  detail: StoryDetail;
  chapter?: FindingChapter;
  /** A generation is running on the story: rewrites wait. */
  busy: boolean;
  /** Shows the quoted words in the text being edited. */
  onLocate?: (quote: string) => void;
  /** The story changed (the cast, or a rename). */
  onStory?: (d: StoryDetail) => void;
  /** Called before a rename rewrites the prose, e.g. to save what is being typed first. */
  beforeRename?: () => Promise<void>;
  onRenamed?: () => void;
  onStarted?: (job: Job) => void;
  /** A finding was resolved or dismissed and left the list: where focus goes. */
  onGone?: () => void;
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

/** What a rewrite is asked to do about a finding, in words the author can read and change first. */
function rewriteFor(f: Finding, ch: FindingChapter, others: Finding[]): { label: string; instructions: string } | null {
  switch (f.type) {
    case "beat_missing": {
      const beat = f.beat ? ch.guide[f.beat - 1]?.text : undefined;
      if (!beat) return null;
      return {
        label: "Regenerate with this beat stressed",
        instructions: `Make sure the chapter clearly tells beat ${f.beat}: "${beat}" Give it a scene of its own, and name the people and places it involves.`,
      };
    }
    case "length": {
      const { words, target } = ch.metrics;
      if (!target) return null;
      return words < target
        ? {
            label: "Expand",
            instructions: `The chapter is too short (${words} words). Write at least ${target} words: develop the scenes with more detail, dialogue and inner life, keeping every beat and the ending.`,
          }
        : {
            label: "Tighten",
            instructions: `The chapter is too long (${words} words). Tighten it to about ${target} words: cut repetition and slack description, keeping every beat and the ending.`,
          };
    }
    case "repeated_text":
      if (!f.quote) return null;
      return {
        label: "Rewrite this passage",
        instructions: `This passage repeats, word for word, what an earlier chapter already says. Tell it in fresh words, or leave it out:\n"${clip(f.quote, 1500)}"`,
      };
    case "contradiction": {
      // Every open contradiction of the chapter at once: one rewrite, not one per issue.
      const issues = [f, ...others.filter((o) => o.type === "contradiction" && o.id !== f.id && !o.dismissed)].map((c) => {
        const where = c.contradicts ? (c.contradicts.chapterNumber ? `chapter ${c.contradicts.chapterNumber}` : "the story bible") : "the book";
        const says = c.quote ? ` The chapter says "${clip(c.quote, 400)}"` : "";
        const but = c.contradicts?.quote ? `, but ${where} says "${clip(c.contradicts.quote, 400)}".` : ".";
        return `- ${c.message}${says}${says ? but : ""}`;
      });
      return { label: "Fix", instructions: clip(`Fix these continuity errors, changing as little else as possible:\n${issues.join("\n")}`, 4000) };
    }
    default:
      return null;
  }
}

type Open = null | { kind: "rename"; choices: string[] } | { kind: "rewrite"; label: string; instructions: string };

function FindingItem({ f, all, p }: { f: Finding; all: Finding[]; p: FindingsProps }) {
  const [open, setOpen] = useState<Open>(null);
  const [pending, setPending] = useState<string | null>(null);
  const msgId = `finding-${f.id}`;
  const rewrite = p.chapter ? rewriteFor(f, p.chapter, all) : null;
  const act = async (what: string, run: () => Promise<void>) => {
    setPending(what);
    try {
      await run();
    } catch (e) {
      toastError(e);
    } finally {
      setPending(null);
    }
  };
  const dismiss = () =>
    act("dismiss", async () => {
      await dismissFinding(p.storyId, f.id);
      toast("Dismissed, until the words it quotes change.", "info");
      p.onGone?.();
    });
  const add = (kind: Kind) =>
    act(kind, async () => {
      const name = f.names?.[0];
      if (!name) return;
      p.onStory?.(await addNames(p.storyId, kind, [name]));
      toast(`${name} is now in the ${kind === "characters" ? "cast" : "places"}.`, "success");
      p.onGone?.();
    });
  const btn = (label: string, onClick: () => void, key: string, primary = false) => (
    <button key={key} type="button" class={`btn btn-sm${primary ? "" : " btn-ghost"}`} aria-describedby={msgId} disabled={pending !== null} onClick={onClick}>
      {pending === key ? "Working…" : label}
    </button>
  );
  const toggle = (next: Open) => setOpen(open && next && open.kind === next.kind ? null : next);

  const actions = [];
  if (f.type === "unknown_name" && f.names?.[0]) {
    actions.push(btn("Add to cast", () => add("characters"), "characters", true));
    actions.push(btn("Add to places", () => add("locations"), "locations"));
    actions.push(btn("Rename everywhere…", () => toggle({ kind: "rename", choices: [f.names![0]!] }), "rename"));
  }
  if ((f.type === "name_clash" || f.type === "ambiguous_name") && f.names?.length) {
    // An ambiguous name lists the word used first, then the characters it could be.
    const who = f.type === "ambiguous_name" ? f.names.slice(1) : f.names;
    if (who.length) actions.push(btn("Rename one character…", () => toggle({ kind: "rename", choices: who }), "rename"));
  }
  if (rewrite) actions.push(btn(rewrite.label, () => toggle({ kind: "rewrite", ...rewrite }), "rewrite"));
  actions.push(btn(f.type === "contradiction" ? "Not a contradiction" : "Ignore", dismiss, "dismiss"));

  return (
    <li class={`finding finding-${f.severity}`} data-finding-id={f.id} data-type={f.type}>
      <p class="finding-head">
        <span class={`badge badge-${f.severity}`}>{SEVERITY_LABEL[f.severity]}</span>
        <span class="finding-type">{TYPE_LABEL[f.type]}</span>
      </p>
      <p class="finding-message" id={msgId}>
        {f.message}
      </p>
      {f.quote &&
        (p.onLocate ? (
          <button type="button" class="finding-quote" onClick={() => p.onLocate!(f.quote!)} title="Show these words in the text">
            <q>{clip(f.quote, 240)}</q>
            <span class="finding-locate" aria-hidden="true">
              Show in the text
            </span>
            <span class="sr-only">: show these words in the text</span>
          </button>
        ) : (
          <blockquote class="finding-quote">{clip(f.quote, 240)}</blockquote>
        ))}
      {f.contradicts && (
        <p class="muted small">
          Against {f.contradicts.chapterNumber ? `chapter ${f.contradicts.chapterNumber}` : "the story bible"}: <q>{clip(f.contradicts.quote, 240)}</q>
        </p>
      )}
      <div class="finding-actions">{actions}</div>
      {open?.kind === "rename" && (
        <RenameForm
          storyId={p.storyId}
          choices={open.choices}
          pickOne={f.type !== "unknown_name"}
          onCancel={() => setOpen(null)}
          onDone={(d) => {
            setOpen(null);
            p.onStory?.(d);
            p.onRenamed?.();
            p.onGone?.();
          }}
          before={p.beforeRename}
        />
      )}
      {open?.kind === "rewrite" && p.chapter && (
        <RewriteBox
          key={open.label}
          storyId={p.storyId}
          detail={p.detail}
          chapter={p.chapter}
          label={open.label}
          instructions={open.instructions}
          busy={p.busy}
          onCancel={() => setOpen(null)}
          onStarted={(j) => {
            setOpen(null);
            p.onStarted?.(j);
          }}
        />
      )}
    </li>
  );
}

function RenameForm({ storyId, choices, pickOne, onCancel, onDone, before }: {
  storyId: number;
  choices: string[];
  pickOne: boolean;
  onCancel: () => void;
  onDone: (d: StoryDetail) => void;
  before?: () => Promise<void>;
}) {
  const [from, setFrom] = useState(choices[0] ?? "");
  const [to, setTo] = useState("");
  const submit = useSubmit();
  const id = useFieldId();
  useEffect(() => document.getElementById(id)?.focus(), []);
  const save = () =>
    submit.run(!to.trim() ? { to: "Give the new name" } : to.trim() === from ? { to: "The new name is the same as the old one" } : {}, async () => {
      await before?.();
      const res = await renameName(storyId, from, to.trim());
      toast(`“${from}” is now “${to.trim()}”${res.replaced ? ` (${plural(res.replaced, "change")} in the text)` : ""}.`, "success");
      onDone(res);
    });
  return (
    <Form class="finding-form" onSubmit={save} aria-busy={submit.busy} aria-label={`Rename ${from}`}>
      {pickOne && choices.length > 1 && (
        <Select label="Which character" value={from} onValue={setFrom} options={choices.map((c) => ({ value: c, label: c }))} />
      )}
      <TextField label={pickOne ? `New name for ${from}` : `Rename “${from}” to`} value={to} onValue={setTo} error={submit.fields.to} maxLength={100} id={id} />
      <p class="hint">Every chapter, the outline, the beats and the cast change; the old prose stays in each chapter's history.</p>
      <FormError error={submit.error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-sm" disabled={submit.busy}>
          {submit.busy ? "Renaming…" : "Rename everywhere"}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Form>
  );
}

/** The rewrite a fix asks for: its instructions, editable, and the price before anything is spent. */
function RewriteBox({ storyId, detail, chapter, label, instructions: initial, busy, onCancel, onStarted }: {
  storyId: number;
  detail: StoryDetail;
  chapter: FindingChapter;
  label: string;
  instructions: string;
  busy: boolean;
  onCancel: () => void;
  onStarted: (j: Job) => void;
}) {
  const [instructions, setInstructions] = useState(initial);
  const id = useFieldId();
  useEffect(() => document.getElementById(id)?.focus(), []);
  const missing = missingFor("chapters", detail, [chapter.id]);
  const estimate = useEstimate(storyId, "chapters", { chapterIds: [chapter.id], regenerate: true, version: 0, enabled: !busy && !missing.length });
  return (
    <div class="finding-form" role="group" aria-label={`${label}: rewrite chapter ${chapter.number}`}>
      <TextArea
        label="Instructions for the rewrite"
        rows={4}
        value={instructions}
        onValue={setInstructions}
        maxLength={4000}
        hint="The chapter is written again with these. The current text stays in its history."
        id={id}
      />
      <div class="form-actions">
        <GenerateButton
          storyId={storyId}
          stage="chapters"
          chapterIds={[chapter.id]}
          regenerate
          instructions={instructions}
          label={`Rewrite chapter ${chapter.number}`}
          estimate={estimate}
          missing={missing}
          busy={busy}
          disabled={!instructions.trim()}
          class="btn btn-primary btn-sm"
          onStarted={onStarted}
        />
        <button type="button" class="btn btn-ghost btn-sm" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Open findings with their fixes, then the dismissed ones, folded and greyed. */
export function FindingList(p: FindingsProps & { findings: Finding[]; label: string }) {
  const open = p.findings.filter((f) => !f.dismissed);
  const dismissed = p.findings.filter((f) => f.dismissed);
  return (
    <>
      {open.length > 0 && (
        <ul class="finding-list" aria-label={p.label}>
          {open.map((f) => (
            <FindingItem key={f.id} f={f} all={p.findings} p={p} />
          ))}
        </ul>
      )}
      {dismissed.length > 0 && (
        <details class="findings-dismissed">
          <summary>{plural(dismissed.length, "dismissed finding")}</summary>
          <ul class="finding-list is-dismissed">
            {dismissed.map((f) => (
              <li key={f.id} class="finding" data-finding-id={f.id}>
                <p class="finding-head">
                  <span class="finding-type">{TYPE_LABEL[f.type]}</span>
                </p>
                <p class="finding-message">{f.message}</p>
                {f.quote && <blockquote class="finding-quote">{clip(f.quote, 240)}</blockquote>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

/** The chapter editor's panel: this chapter's findings, kept current as the chapter is checked. */
export function ChapterFindings(p: Omit<FindingsProps, "chapter" | "onGone"> & { chapter: { id: number; number: number; guide: GuidePart[] } }) {
  const { report, error, reload } = useReport(p.storyId);
  const head = useRef<HTMLHeadingElement>(null);
  const rep = report?.chapters.find((c) => c.chapterId === p.chapter.id);
  const open = rep ? rep.findings.filter((f) => !f.dismissed).length : 0;
  return (
    <section class="card findings" aria-labelledby="findings-title">
      <div class="findings-top">
        <h2 id="findings-title" tabIndex={-1} ref={head}>
          Continuity
        </h2>
        <FindingsBadge chapter={rep} />
      </div>
      {!report ? (
        <ReportPending error={error} reload={reload} />
      ) : !rep?.checkedAt ? (
        <p class="muted small">Once the chapter has text, it is checked against your cast, places and beats each time it is saved.</p>
      ) : (
        <>
          {rep.outdated && <p class="muted small">The text changed since it was last checked.</p>}
          {open === 0 && <p class="muted small">Nothing to look at: the chapter reads cleanly against the cast, places and beats.</p>}
          <FindingList
            {...p}
            chapter={{ ...p.chapter, metrics: rep.metrics }}
            findings={rep.findings}
            label={`Findings in chapter ${p.chapter.number}`}
            onGone={() => head.current?.focus()}
          />
          {error && <p class="muted small">The report could not be refreshed just now; this is what it said last.</p>}
        </>
      )}
    </section>
  );
}
