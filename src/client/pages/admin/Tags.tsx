// Admin, community: tags, with how many stories use each.
import type { AdminTag } from "../../../shared/api";
import { num, plural } from "../../format";
import { CatalogSection } from "./Catalog";

export const TagsSection = () => (
  <CatalogSection<AdminTag>
    what="Tag administration"
    noun="tag"
    path="/api/admin/tags"
    listKey="tags"
    caption="Tags, with the number of stories using each"
    columns={[{ label: "Stories", num: true }]}
    cells={(t) => <td class="num">{num(t.stories)}</td>}
    fields={() => [{ key: "name", label: "Name" }]}
    editLabel="Rename"
    question={(t) =>
      t.stories ? `Delete ${t.name}? It comes off ${plural(t.stories, "story", "stories")}.` : `Delete ${t.name}?`
    }
    empty="No tags yet. Tags authors give their stories appear here."
    search="Search tags"
    create={{ title: "New tag", submitLabel: "Add tag", blank: { name: "" }, created: "Tag added." }}
  />
);
