// Entry: the shell, the router and the pages of the first visit (landing, sign up, log in).
// Everything behind a login is a separate chunk loaded on demand.
import "./styles.css";
import "./theme";
import { render, type ComponentType } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { Footer, Header, MaintenanceBanner } from "./components/Shell";
import { Loading, useTitle } from "./components/misc";
import { lazyPage } from "./lazy";
import { Forgot, Login, Register, Reset, Unlock, Verify } from "./pages/Auth";
import Landing from "./pages/Landing";
import { Link, match, navigate, useLocation } from "./router";
import { loadSession, session } from "./session";
import { useStore } from "./store";
import { Toasts, toast } from "./toast";
import { on } from "./ws";

type Params = Record<string, string>;
type Page = ComponentType<{ params: Params }>;

const Dashboard = lazyPage(() => import("./pages/Dashboard").then((m) => m.Dashboard as Page));
const NewStory = lazyPage(() => import("./pages/Dashboard").then((m) => m.NewStory as Page));
const Workspace = lazyPage(() => import("./pages/workspace/Workspace").then((m) => m.default as Page));
const ChapterEditor = lazyPage(() => import("./pages/ChapterEditor").then((m) => m.default as Page));
const Reader = lazyPage(() => import("./pages/Reader").then((m) => m.default as Page));
const Profile = lazyPage(() => import("./pages/Profile").then((m) => m.default as Page));
const Billing = lazyPage(() => import("./pages/Billing").then((m) => m.default as Page));
const Explore = lazyPage(() => import("./pages/Explore").then((m) => m.default as Page));
const Feedback = lazyPage(() => import("./pages/Feedback").then((m) => m.default as Page));
const Admin = lazyPage(() => import("./pages/admin/Admin").then((m) => m.default as Page));

type Access = "public" | "user" | "admin" | "guest";
const ROUTES: [string, Page, Access][] = [
  ["/", Landing as Page, "public"],
  ["/login", Login as Page, "guest"],
  ["/register", Register as Page, "guest"],
  ["/forgot", Forgot as Page, "public"],
  ["/reset", Reset as Page, "public"],
  ["/verify", Verify as Page, "public"],
  ["/unlock", Unlock as Page, "public"],
  ["/dashboard", Dashboard, "user"],
  ["/explore", Explore, "user"],
  ["/stories/new", NewStory, "user"],
  ["/stories/:id/chapters/:chapterId", ChapterEditor, "user"],
  ["/stories/:id/read/:n?", Reader, "user"],
  ["/stories/:id/:step?", Workspace, "user"],
  ["/profile", Profile, "user"],
  ["/billing", Billing, "user"],
  ["/feedback", Feedback, "user"],
  ["/admin/:section?", Admin, "admin"],
];

function NotFound() {
  useTitle("Not found");
  return (
    <div class="page narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/">Go to the start page</Link>
      </p>
    </div>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true, force: true }), [to]);
  return null;
}

function Routes() {
  const loc = useLocation();
  const { ready, user } = useStore(session);
  let found: { pattern: string; Page: Page; access: Access; params: Params } | null = null;
  for (const [pattern, Page, access] of ROUTES) {
    const params = match(pattern, loc.path);
    if (params) {
      found = { pattern, Page, access, params };
      break;
    }
  }
  const mainRef = useRef<HTMLElement>(null);
  const lastPattern = useRef<string | null>(null);
  useEffect(() => {
    // Move focus to the new page for keyboard and screen-reader users (not on sub-steps of one page).
    const pattern = found?.pattern ?? "404";
    if (lastPattern.current !== null && lastPattern.current !== pattern) mainRef.current?.focus();
    lastPattern.current = pattern;
  }, [found?.pattern]);

  let content;
  if (!found) content = <NotFound />;
  else if (found.access !== "public" && !ready) content = <Loading />;
  else if ((found.access === "user" || found.access === "admin") && !user)
    content = <Redirect to={`/login?next=${encodeURIComponent(loc.path + (loc.search.toString() ? `?${loc.search}` : ""))}`} />;
  else if (found.access === "admin" && !user?.isAdmin)
    content = (
      <div class="page narrow">
        <h1>Admins only</h1>
        <p>This console is for administrators.</p>
      </div>
    );
  else if (found.access === "guest" && user) content = <Redirect to="/dashboard" />;
  else content = <found.Page params={found.params} />;

  return (
    <main id="main" tabIndex={-1} ref={mainRef}>
      {content}
    </main>
  );
}

function App() {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <MaintenanceBanner />
      <Routes />
      <Footer />
      <Toasts />
    </>
  );
}

on("notification", (n) => toast(n.message, n.level));

loadSession();
render(<App />, document.getElementById("app")!);
