import { render } from "preact";
import { LocationProvider, Route, Router } from "preact-iso";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useLocation } from "../../web/src/lib/url-state";
import { lazyView } from "../../web/src/routing/lazy-view";
import { ViewErrorBoundary } from "../../web/src/routing/view-error-boundary";

let root: HTMLElement | null = null;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  vi.restoreAllMocks();
  window.history.replaceState(null, "", "/");
});

function Plants() {
  return <h1>Plants</h1>;
}
function Broken(): never {
  throw new TypeError("Cannot read properties of undefined (reading 'rows')");
}
const MissingChunk = lazyView("ingestions", () =>
  Promise.reject(new TypeError("Failed to fetch dynamically imported module")),
);
const LoadedChunk = lazyView("loaded", () => Promise.resolve(() => <h1>Loaded view</h1>));

/** The same arrangement as the app: the boundary around the router, reset by the URL. */
function Views() {
  const { path, search } = useLocation();
  return (
    <ViewErrorBoundary resetKey={path + search}>
      <Router>
        <Route path="/" component={Plants} />
        <Route path="/missing" component={MissingChunk} />
        <Route path="/loaded" component={LoadedChunk} />
        <Route default component={Broken} />
      </Router>
    </ViewErrorBoundary>
  );
}

function mountAt(url: string) {
  window.history.replaceState(null, "", url);
  root = document.createElement("div");
  document.body.append(root);
  render(
    <LocationProvider>
      <Views />
    </LocationProvider>,
    root,
  );
  return root;
}

describe("a view that fails", () => {
  it("shows a friendly message with reload and home instead of a blank page", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const el = mountAt("/broken");
    await vi.waitFor(() => expect(el.querySelector("h1")?.textContent).toBe("Something went wrong"));
    expect(el.querySelector("[role=alert]")?.textContent).toContain("Reloading usually helps");
    // The raw error is for the console, not the page.
    expect(el.textContent).not.toContain("reading 'rows'");
    expect(logged).toHaveBeenCalled();
    expect([...el.querySelectorAll("button")].map((b) => b.textContent)).toContain("Reload the page");
    expect(el.querySelector("a[href='/']")?.textContent).toBe("Go to the plants page");
  });

  it("goes home from the message, and the plants view shows again", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const el = mountAt("/broken");
    await vi.waitFor(() => expect(el.querySelector("a[href='/']")).not.toBeNull());
    const click = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0 });
    el.querySelector("a[href='/']")?.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true); // followed in the app, no full reload
    await vi.waitFor(() => expect(el.querySelector("h1")?.textContent).toBe("Plants"));
    expect(window.location.pathname).toBe("/");
  });

  it("says so when a lazy view's code cannot be loaded, instead of waiting forever", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const el = mountAt("/missing");
    await vi.waitFor(() => expect(el.querySelector("h1")?.textContent).toBe("Something went wrong"));
    expect(el.querySelector("[role=alert]")?.textContent).toBe(
      "The ingestions view could not be loaded; check the connection and reload.",
    );
  });

  it("renders a lazy view once its code has loaded", async () => {
    const el = mountAt("/loaded");
    await vi.waitFor(() => expect(el.querySelector("h1")?.textContent).toBe("Loaded view"));
  });
});
