import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { LocationProvider, Route, Router } from "preact-iso";
import { canManageData, clearSession, loadSession, type Session, saveSession } from "./lib/session";
import { SESSION_EXPIRED, SessionContext } from "./lib/session-context";
import { useLocation } from "./lib/url-state";
import { ExplorerPage } from "./pages/explorer";
import { NotFoundPage } from "./pages/not-found";
import { SignInPage } from "./pages/sign-in";
import { lazyView } from "./routing/lazy-view";
import { ViewErrorBoundary } from "./routing/view-error-boundary";

// Owners only, and never the first page an analyst sees: its code (upload, datasets) is a chunk
// of its own, fetched when an owner opens it, so the initial script stays small.
const IngestionsPage = lazyView("ingestions", () => import("./pages/ingestions").then((m) => m.IngestionsPage));
// Visited rarely (keys) or by admins only (audit): chunks of their own too.
const KeysPage = lazyView("API keys", () => import("./pages/keys").then((m) => m.KeysPage));
const AuditPage = lazyView("audit", () => import("./pages/audit").then((m) => m.AuditPage));

/** Signed out: the sign-in form. Signed in: header + the page for the current path. */
export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback((message?: string) => {
    clearSession();
    setSession(null);
    setNotice(message ?? "You are signed out.");
  }, []);

  // The token is only good until its exp: sign out then, with a message, instead of failing later.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => signOut(SESSION_EXPIRED), Math.max(session.expiresAt - Date.now(), 0));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  const api = useMemo(() => (session ? { session, signOut } : null), [session, signOut]);

  if (!session || !api) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(s) => {
          saveSession(s);
          setNotice(null);
          setSession(s);
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={api}>
      <LocationProvider>
        <SignedIn session={session} onSignOut={() => signOut()} />
      </LocationProvider>
    </SessionContext.Provider>
  );
}

type PageName = "explorer" | "ingestions" | "keys" | "audit" | "not-found";

/**
 * The page for a path (the nav's aria-current; <Router> below routes the same way). Pages serves index.html for any path without a file (no top-level 404.html:
 * single-page-app mode), so unknown paths reach the app and are answered here. /ingestions is
 * owners' only and /audit admins' only; others get the plants there, as the nav never offers
 * them the link. /keys is for everyone signed in.
 */
export function pageFor(path: string, owner: boolean, admin = false): PageName {
  const normalised = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (normalised === "/" || normalised === "/index.html") return "explorer";
  if (normalised === "/ingestions") return owner ? "ingestions" : "explorer";
  if (normalised === "/keys") return "keys";
  if (normalised === "/audit") return admin ? "audit" : "explorer";
  return "not-found";
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const location = useLocation();
  const owner = canManageData(session);
  const admin = session.role === "admin";
  const page = pageFor(location.path, owner, admin);
  // Same-origin links (<a href="/">) are followed in the app by preact-iso's LocationProvider;
  // modified clicks (new tab) keep the browser's behaviour.
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <span class="brand">eGRID Edge</span>
        <nav aria-label="Main">
          <a href="/" aria-current={page === "explorer" ? "page" : undefined}>
            Plants
          </a>
          {owner && (
            <a href="/ingestions" aria-current={page === "ingestions" ? "page" : undefined}>
              Ingestions
            </a>
          )}
          <a href="/keys" aria-current={page === "keys" ? "page" : undefined}>
            API keys
          </a>
          {admin && (
            <a href="/audit" aria-current={page === "audit" ? "page" : undefined}>
              Audit
            </a>
          )}
        </nav>
        <span class="who">
          {session.email} <span class="muted">({session.role})</span>
        </span>
        <button type="button" class="secondary sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <ViewErrorBoundary resetKey={location.path + location.search}>
        <Router>
          <Route path="/" component={ExplorerPage} />
          <Route path="/index.html" component={ExplorerPage} />
          <Route path="/ingestions" component={owner ? IngestionsPage : ExplorerPage} />
          <Route path="/keys" component={KeysPage} />
          <Route path="/audit" component={admin ? AuditPage : ExplorerPage} />
          <Route default component={NotFoundPage} />
        </Router>
      </ViewErrorBoundary>
    </>
  );
}
