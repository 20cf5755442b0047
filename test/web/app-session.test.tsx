import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../../web/src/app";
import { saveSession } from "../../web/src/lib/session";

let root: HTMLElement | null = null;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  sessionStorage.clear();
});

function mount() {
  root = document.createElement("div");
  document.body.append(root);
  render(<App />, root);
  return root;
}

describe("App session lifetime", () => {
  it("starts at sign-in without a stored session", () => {
    const el = mount();
    expect(el.querySelector("form button[type=submit]")?.textContent).toBe("Sign in");
    expect(el.querySelector("#email")).not.toBeNull();
  });

  it("returns to sign-in with a message when the token's lifetime ends", async () => {
    saveSession({ token: "t", email: "a@example.com", role: "analyst", expiresAt: Date.now() + 50 });
    const el = mount();
    expect(el.textContent).toContain("a@example.com"); // signed in from sessionStorage
    await vi.waitFor(() => expect(el.textContent).toContain("Your session expired, sign in again."));
    expect(el.querySelector("#email")).not.toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it("does not restore an expired session", () => {
    saveSession({ token: "t", email: "a@example.com", role: "analyst", expiresAt: Date.now() - 1 });
    const el = mount();
    expect(el.textContent).not.toContain("a@example.com");
    expect(el.querySelector("#email")).not.toBeNull();
  });
});
