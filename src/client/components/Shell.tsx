// The frame around every page: skip link, header with navigation, balances and theme, footer.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { num } from "../format";
import { Link, navigate, useLocation } from "../router";
import { logout, maintenance, session } from "../session";
import { useStore } from "../store";
import { theme, type Theme } from "../theme";
import { socketState } from "../ws";

const NEXT_THEME: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };
const THEME_ICON: Record<Theme, string> = { system: "◐", light: "☀", dark: "☾" };

function ThemeToggle() {
  const t = useStore(theme);
  return (
    <button
      type="button"
      class="btn-icon theme-toggle"
      aria-label={`Colour theme: ${t}. Switch to ${NEXT_THEME[t]}`}
      title={`Theme: ${t}`}
      onClick={() => theme.set(NEXT_THEME[t])}
    >
      <span aria-hidden="true">{THEME_ICON[t]}</span>
    </button>
  );
}

function Balances({ text, image }: { text: number; image: number }) {
  return (
    <Link href="/profile" class="balances" aria-label={`Credits: ${text} text, ${image} image. Open your profile`} title="Your credits">
      <span class={`balance${text <= 0 ? " neg" : ""}`} data-testid="text-credits">
        <span class="balance-label">Text</span> {num(text)}
      </span>
      <span class={`balance${image <= 0 ? " neg" : ""}`} data-testid="image-credits">
        <span class="balance-label">Images</span> {num(image)}
      </span>
    </Link>
  );
}

function NavLink({ href, children }: { href: string; children: ComponentChildren }) {
  const { path } = useLocation();
  const current = path === href || (href !== "/" && path.startsWith(`${href}/`));
  return (
    <Link href={href} class="nav-link" aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}

export function Header() {
  const { user } = useStore(session);
  const socket = useStore(socketState);
  const [open, setOpen] = useState(false);
  const { path } = useLocation();
  useEffect(() => setOpen(false), [path]);
  return (
    <header class="site-header">
      <div class="container header-inner">
        <Link href={user ? "/dashboard" : "/"} class="brand" aria-label="NovelApp home">
          <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" class="brand-mark">
            <path d="M4 4.5C4 3.7 4.7 3 5.5 3H11v17H5.5C4.7 20 4 19.3 4 18.5v-14Z" fill="currentColor" opacity=".55" />
            <path d="M13 3h5.5c.8 0 1.5.7 1.5 1.5v14c0 .8-.7 1.5-1.5 1.5H13V3Z" fill="currentColor" />
          </svg>
          <span>NovelApp</span>
        </Link>
        <button type="button" class="btn-icon menu-toggle" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">☰</span>
          <span class="sr-only">Menu</span>
        </button>
        <nav id="main-nav" class={`main-nav${open ? " is-open" : ""}`} aria-label="Main">
          {user ? (
            <>
              <NavLink href="/dashboard">My stories</NavLink>
              <NavLink href="/explore">Explore</NavLink>
              <NavLink href="/billing">Billing</NavLink>
              <NavLink href="/profile">Profile</NavLink>
              {user.isAdmin && <NavLink href="/admin">Admin</NavLink>}
            </>
          ) : (
            <>
              <NavLink href="/login">Log in</NavLink>
              <Link href="/register" class="btn btn-primary btn-sm">
                Sign up
              </Link>
            </>
          )}
        </nav>
        <div class="header-tools">
          {user && socket === "closed" && (
            <span class="conn-status" role="status" title="Live updates are reconnecting">
              Reconnecting…
            </span>
          )}
          {user && <Balances text={user.credits.text} image={user.credits.image} />}
          <ThemeToggle />
          {user && (
            <button
              type="button"
              class="btn btn-ghost btn-sm"
              onClick={() => {
                // Leave the signed-in pages first, so none of them asks the API once signed out.
                navigate("/", { force: true });
                void logout();
              }}
            >
              Log out
            </button>
          )}
        </div>
      </div>
    </header>
  );
}

export function MaintenanceBanner() {
  const message = useStore(maintenance);
  const { user } = useStore(session);
  if (!message || user?.isAdmin) return null;
  return (
    <div class="banner banner-warning" role="alert">
      <div class="container">{message}</div>
    </div>
  );
}

export function Footer() {
  const { user } = useStore(session);
  return (
    <footer class="site-footer">
      <div class="container footer-inner">
        <span>NovelApp — plan, write and read your novel.</span>
        {user && <Link href="/feedback">Send feedback</Link>}
        <span class="muted">Chapters are rendered as sanitised Markdown.</span>
      </div>
    </footer>
  );
}
