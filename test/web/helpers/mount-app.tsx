import { render } from "preact";
import { afterEach, vi } from "vitest";
import { App } from "../../../web/src/app";
import { saveSession } from "../../../web/src/lib/session";
import { storedSession } from "./fake-api";

let root: HTMLElement | null = null;

// Registered in every test file that imports this module: each test starts from a blank page.
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
  sessionStorage.clear();
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "/");
});

/** Renders the whole page at `url`, signed in with `role`; unmounted after the test. */
export function mountApp(url: string, role: "analyst" | "owner" | "admin"): HTMLElement {
  window.history.replaceState(null, "", url);
  saveSession(storedSession(role));
  root = document.createElement("div");
  document.body.append(root);
  render(<App />, root);
  return root;
}
