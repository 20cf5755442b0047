import { describe, expect, it, vi } from "vitest";
import type { ApiKey } from "../../web/src/lib/api";
import { type Call, fakeApi, problem } from "./helpers/fake-api";
import { mountApp } from "./helpers/mount-app";

function apiKey(id: string, extra: Partial<ApiKey> = {}): ApiKey {
  return {
    id,
    prefix: `egk_${id}_`,
    name: `key ${id}`,
    userId: "u1",
    userEmail: "owner@example.com",
    createdAt: "2026-11-30T10:00:00Z",
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...extra,
  };
}

/** GET/POST /keys and DELETE /keys/{id} as the contract says: 201 with the secret once, 204. */
function keysApi(initial: ApiKey[], refuseCreate?: { status: number; detail: string }) {
  let keys = structuredClone(initial);
  return fakeApi(({ method, url, body }: Call) => {
    if (url.pathname === "/api/v1/keys" && method === "GET") return { body: { data: keys } };
    if (url.pathname === "/api/v1/keys" && method === "POST") {
      if (refuseCreate) return problem(refuseCreate.status, "Invalid request", refuseCreate.detail);
      const { name, expiresAt } = body as { name: string; expiresAt?: string };
      const created = apiKey("new1", { name, expiresAt: expiresAt ?? null });
      keys = [created, ...keys];
      return { status: 201, body: { ...created, secret: "egk_new1_s3cr3t" } };
    }
    const m = url.pathname.match(/^\/api\/v1\/keys\/([^/]+)$/);
    if (m && method === "DELETE") {
      keys = keys.map((k) => (k.id === m[1] ? { ...k, revokedAt: "2026-11-30T12:00:00Z" } : k));
      return { status: 204, body: undefined };
    }
    return undefined;
  });
}

function mount(role: "analyst" | "admin" = "analyst") {
  return mountApp("/keys", role);
}

const buttonNamed = (scope: Element, text: string) =>
  [...scope.querySelectorAll("button")].find((b) => b.textContent?.trim() === text) as HTMLButtonElement | undefined;
const rows = (el: Element) => [...el.querySelectorAll("tr.api-key")] as HTMLElement[];
/** Types into a field and lets Preact re-render (as a browser does before the next click). */
async function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("API keys view", () => {
  it("is linked for every signed-in user and lists the keys with their state", async () => {
    keysApi([
      apiKey("a", { lastUsedAt: "2026-11-30T11:00:00Z" }),
      apiKey("b", { revokedAt: "2026-11-30T11:30:00Z" }),
      apiKey("c", { expiresAt: "2020-01-01T00:00:00Z" }),
    ]);
    const el = mount("analyst");
    expect([...el.querySelectorAll("nav a")].map((a) => a.textContent)).toEqual(["Plants", "API keys"]);
    await vi.waitFor(() => expect(rows(el)).toHaveLength(3));
    expect(rows(el).map((r) => r.querySelector(".key-state")?.textContent?.split(" ")[0])).toEqual([
      "active",
      "revoked",
      "expired",
    ]);
    expect(rows(el)[0]?.textContent).toContain("egk_a_");
    expect(rows(el)[0]?.querySelector('[data-label="Last used"]')?.textContent).not.toBe("never");
    expect(rows(el)[2]?.querySelector('[data-label="Last used"]')?.textContent).toBe("never");
    // Revoked keys cannot be revoked again; whose key it is only for admins.
    expect(buttonNamed(rows(el)[1] as HTMLElement, "Revoke")).toBeUndefined();
    expect(el.querySelector('[data-label="Owner"]')).toBeNull();
  });

  it("shows admins whose each key is, and the Audit link", async () => {
    keysApi([apiKey("a", { userEmail: "someone@example.com" })]);
    const el = mount("admin");
    await vi.waitFor(() => expect(rows(el)).toHaveLength(1));
    expect(el.querySelector('[data-label="Owner"]')?.textContent).toBe("someone@example.com");
    expect([...el.querySelectorAll("nav a")].map((a) => a.textContent)).toContain("Audit");
  });

  it("creates a key with the end of the chosen day as expiry and shows the secret once", async () => {
    const calls = keysApi([]);
    const el = mount();
    await vi.waitFor(() => expect(el.querySelector(".empty")).not.toBeNull());
    await type(el.querySelector("#key-name") as HTMLInputElement, "  nightly export ");
    await type(el.querySelector("#key-expiry") as HTMLInputElement, "2027-01-31");
    buttonNamed(el, "Create key")?.click();
    await vi.waitFor(() => expect(el.querySelector(".new-secret")).not.toBeNull());
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      name: "nightly export",
      expiresAt: "2027-01-31T23:59:59Z",
    });
    expect((el.querySelector("input.secret") as HTMLInputElement).value).toBe("egk_new1_s3cr3t");
    expect(el.querySelector(".new-secret")?.textContent).toContain("you will not see it again");
    await vi.waitFor(() => expect(rows(el)).toHaveLength(1));

    const writeText = vi.fn(async () => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    buttonNamed(el, "Copy")?.click();
    await vi.waitFor(() => expect(el.querySelector(".new-secret")?.textContent).toContain("Copied"));
    expect(writeText).toHaveBeenCalledWith("egk_new1_s3cr3t");

    buttonNamed(el, "Done, I have stored it")?.click();
    await vi.waitFor(() => expect(el.querySelector(".new-secret")).toBeNull());
    expect(el.textContent).not.toContain("s3cr3t");
    expect(el.querySelector("#key-name")).not.toBeNull();
  });

  it("says so when the clipboard refuses, so the key can be copied by hand", async () => {
    keysApi([]);
    const el = mount();
    await vi.waitFor(() => expect(el.querySelector(".empty")).not.toBeNull());
    await type(el.querySelector("#key-name") as HTMLInputElement, "ci");
    buttonNamed(el, "Create key")?.click();
    await vi.waitFor(() => expect(el.querySelector(".new-secret")).not.toBeNull());
    vi.stubGlobal("navigator", {
      ...navigator,
      clipboard: { writeText: async () => Promise.reject(new Error("denied")) },
    });
    buttonNamed(el, "Copy")?.click();
    await vi.waitFor(() => expect(el.querySelector(".new-secret")?.textContent).toContain("copy it by hand"));
  });

  it("asks for a name without calling the API, and shows the API's refusal inline", async () => {
    const calls = keysApi([], { status: 400, detail: "expiresAt: must be in the future" });
    const el = mount();
    await vi.waitFor(() => expect(el.querySelector(".empty")).not.toBeNull());
    await type(el.querySelector("#key-name") as HTMLInputElement, "   ");
    buttonNamed(el, "Create key")?.click();
    await vi.waitFor(() => expect(el.querySelector("#key-name-problem")).not.toBeNull());
    expect(calls.some((c) => c.method === "POST")).toBe(false);

    await type(el.querySelector("#key-name") as HTMLInputElement, "old");
    await type(el.querySelector("#key-expiry") as HTMLInputElement, "2001-01-01");
    buttonNamed(el, "Create key")?.click();
    await vi.waitFor(() => expect(el.querySelector(".create-key .error-box")).not.toBeNull());
    expect(el.querySelector(".create-key .error-box")?.textContent).toContain("expiresAt: must be in the future");
    expect(el.querySelector(".new-secret")).toBeNull();
  });

  it("revokes only after confirming, with DELETE, then shows the key revoked", async () => {
    const calls = keysApi([apiKey("a")]);
    const el = mount();
    await vi.waitFor(() => expect(rows(el)).toHaveLength(1));
    buttonNamed(el, "Revoke")?.click();
    await vi.waitFor(() => expect(el.querySelector(".confirm")).not.toBeNull());
    buttonNamed(el, "Cancel")?.click();
    await vi.waitFor(() => expect(el.querySelector(".confirm")).toBeNull());
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);

    buttonNamed(el, "Revoke")?.click();
    await vi.waitFor(() => expect(buttonNamed(el, "Yes, revoke")).toBeDefined());
    expect(document.activeElement).toBe(buttonNamed(el, "Yes, revoke"));
    buttonNamed(el, "Yes, revoke")?.click();
    await vi.waitFor(() => expect(rows(el)[0]?.classList.contains("revoked")).toBe(true));
    expect(calls.find((c) => c.method === "DELETE")?.url.pathname).toBe("/api/v1/keys/a");
    expect(buttonNamed(el, "Revoke")).toBeUndefined();
  });

  it("returns to sign-in saying the session expired when loading the keys answers 401", async () => {
    fakeApi(() => problem(401, "Unauthorized", "The token has expired."));
    const el = mount();
    await vi.waitFor(() => expect(el.textContent).toContain("Your session expired, sign in again."));
    expect(el.querySelector("#email")).not.toBeNull();
  });

  it("returns to sign-in saying the session expired when an action (revoke) answers 401", async () => {
    fakeApi(({ method }) =>
      method === "DELETE" ? problem(401, "Unauthorized", "The token has expired.") : { body: { data: [apiKey("a")] } },
    );
    const el = mount();
    await vi.waitFor(() => expect(rows(el)).toHaveLength(1));
    buttonNamed(el, "Revoke")?.click();
    await vi.waitFor(() => expect(buttonNamed(el, "Yes, revoke")).toBeDefined());
    buttonNamed(el, "Yes, revoke")?.click();
    await vi.waitFor(() => expect(el.textContent).toContain("Your session expired, sign in again."));
    expect(el.querySelector("#email")).not.toBeNull();
  });
});
