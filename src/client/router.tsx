// A small History-API router: the current location as a store, <Link> for in-app navigation,
// pattern matching with :params, and a leave guard for pages holding unsaved work.
import type { AnchorHTMLAttributes, ComponentChildren } from "preact";
import { store, useStore } from "./store";

export type Location = { path: string; search: URLSearchParams; hash: string };

const read = (): Location => ({ path: location.pathname, search: new URLSearchParams(location.search), hash: location.hash });
export const currentLocation = store<Location>(read());

type Guard = () => boolean;
const guards = new Set<Guard>();
/** While registered, `guard()` is asked before leaving the page; it returns false to stay. */
export function addLeaveGuard(guard: Guard) {
  guards.add(guard);
  return () => guards.delete(guard);
}
const mayLeave = () => [...guards].every((g) => g());

export function navigate(to: string, opts: { replace?: boolean; force?: boolean } = {}) {
  const url = new URL(to, location.href);
  if (url.origin !== location.origin) {
    location.assign(url.href);
    return;
  }
  const same = url.pathname === location.pathname;
  if (!opts.force && !same && !mayLeave()) return;
  if (opts.replace) history.replaceState(null, "", url.href);
  else history.pushState(null, "", url.href);
  currentLocation.set(read());
  if (!same && !url.hash) window.scrollTo(0, 0);
}

let lastUrl = location.href;
currentLocation.subscribe(() => {
  lastUrl = location.href;
});
window.addEventListener("popstate", () => {
  const leavingPath = new URL(lastUrl).pathname !== location.pathname;
  if (leavingPath && !mayLeave()) {
    // Stay: put the page we were on back on top of the history.
    history.pushState(null, "", lastUrl);
    return;
  }
  currentLocation.set(read());
});

export const useLocation = () => useStore(currentLocation);

/** `/stories/:id/:step?` against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(p.length, s.length); i++) {
    const seg = p[i];
    const val = s[i];
    if (seg === undefined) return null;
    const optional = seg.endsWith("?");
    if (seg.startsWith(":")) {
      if (val === undefined) {
        if (optional) continue;
        return null;
      }
      params[seg.slice(1).replace(/\?$/, "")] = decodeURIComponent(val);
    } else if (seg !== val) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren };

/** An <a> that navigates in-app on a plain click and behaves as a normal link otherwise. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  return (
    <a
      href={href}
      onClick={(e) => {
        if (onClick) (onClick as (e: MouseEvent) => void)(e as unknown as MouseEvent);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        const target = (e.currentTarget as HTMLAnchorElement).getAttribute("target");
        if (target && target !== "_self") return;
        e.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}
