// Fixes that change the story, not only the report (docs/CONTINUITY.md): a name added to the cast
// or the places, and a name renamed everywhere. Both leave the book checked again and the report
// current. An unsaved edit of the cast in the workspace is brought along, so saving it later
// does not undo the fix.
import type { StoryDetail } from "../../../shared/api";
import { get, post, put } from "../../api";
import { newKey } from "../../components/ListEditor";
import { memoryOf } from "../workspace/live";
import { loadReport, recheckBook } from "./report";

export type Kind = "characters" | "locations";

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Adds names to the cast or the places, everyone already there kept exactly as they are. */
export async function addNames(storyId: number, kind: Kind, names: string[]): Promise<StoryDetail> {
  // The save replaces the whole list: start from the story as it is now, not as a page last saw it.
  const d = await get<StoryDetail>(`/api/stories/${storyId}`);
  const have = kind === "characters" ? d.characters : d.locations;
  const fresh = names.map((n) => n.trim()).filter((n, i, all) => n && !have.some((x) => same(x.name, n)) && all.findIndex((x) => same(x, n)) === i);
  const characters = d.characters.map(({ name, description, exampleDialogue, aliases }) => ({ name, description, exampleDialogue, aliases: aliases ?? [] }));
  const locations = d.locations.map(({ name, description, aliases }) => ({ name, description, aliases: aliases ?? [] }));
  if (kind === "characters") characters.push(...fresh.map((name) => ({ name, description: "", exampleDialogue: "", aliases: [] })));
  else locations.push(...fresh.map((name) => ({ name, description: "", aliases: [] })));
  const detail = await put<StoryDetail>(`/api/stories/${storyId}/meta`, { characters, locations });
  memoryOf(storyId).set((m) => {
    if (!m.cast) return m;
    const v = m.cast.value;
    const missing = (list: { name: string }[]) => fresh.filter((n) => !list.some((x) => same(x.name, n)));
    const value =
      kind === "characters"
        ? { ...v, characters: [...v.characters, ...missing(v.characters).map((name) => ({ name, description: "", exampleDialogue: "", aliases: [], k: newKey() }))] }
        : { ...v, locations: [...v.locations, ...missing(v.locations).map((name) => ({ name, description: "", aliases: [], k: newKey() }))] };
    return { ...m, cast: { ...m.cast, value } };
  });
  // The server checks the book again after a cast save, but in the background: ask for it now.
  await recheckBook(storyId).catch(() => loadReport(storyId));
  return detail;
}

/** Renames a name in the prose, outline, beats, cast and places; the old prose stays in the history. */
export async function renameName(storyId: number, from: string, to: string): Promise<StoryDetail & { replaced: number }> {
  const res = await post<StoryDetail & { replaced: number }>(`/api/stories/${storyId}/rename`, { from, to });
  memoryOf(storyId).set((m) => {
    if (!m.cast) return m;
    const v = m.cast.value;
    const swap = <T extends { name: string }>(list: T[]) => list.map((x) => (x.name === from ? { ...x, name: to } : x));
    return { ...m, cast: { ...m.cast, value: { characters: swap(v.characters), locations: swap(v.locations) } } };
  });
  await loadReport(storyId);
  return res;
}
