// The admin console: a menu of the sections in sections.ts, grouped, and the one on screen.
import { useEffect, useRef } from "preact/hooks";
import { useTitle } from "../../components/misc";
import { Link } from "../../router";
import { SECTION_TITLE_ID } from "./section";
import { SECTIONS, type Group } from "./sections";

const GROUPS = [...new Set(SECTIONS.map((s) => s.group))] as Group[];

export default function Admin({ params }: { params: Record<string, string> }) {
  const current = SECTIONS.find((s) => s.id === params.section) ?? SECTIONS[0]!;
  useTitle(`Admin · ${current.label}`);
  const nav = useRef<HTMLElement>(null);
  // On a phone the menu is a row that scrolls sideways: keep the current section in view.
  useEffect(() => nav.current?.querySelector("[aria-current=page]")?.scrollIntoView({ block: "nearest", inline: "nearest" }), [current.id]);
  return (
    <div class="page admin">
      <h1>Admin console</h1>
      <div class="admin-layout">
        <nav class="admin-nav" aria-label="Admin sections" ref={nav}>
          {GROUPS.map((group) => (
            <div key={group} class="admin-nav-group">
              <p class="admin-nav-title" id={`admin-nav-${group}`}>
                {group}
              </p>
              <ul aria-labelledby={`admin-nav-${group}`}>
                {SECTIONS.filter((s) => s.group === group).map((s) => (
                  <li key={s.id}>
                    <Link href={`/admin/${s.id}`} class="admin-nav-link" aria-current={s === current ? "page" : undefined}>
                      {s.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <section aria-labelledby={SECTION_TITLE_ID} class="admin-section">
          <h2 id={SECTION_TITLE_ID} tabIndex={-1}>
            {current.label}
          </h2>
          <current.Component />
        </section>
      </div>
    </div>
  );
}
