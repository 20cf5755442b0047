import { describe, expect, it, vi } from "vitest";
import { AUDIT_ACTIONS } from "../../domain/audit-actions";
import type { AuditEntry } from "../../web/src/lib/api";
import { AUDIT_ACTION_LABELS } from "../../web/src/lib/audit-actions";
import { type Call, fakeApi, problem } from "./helpers/fake-api";
import { mountApp } from "./helpers/mount-app";

function entry(id: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: new Date(Date.UTC(2026, 10, 30, 10, 0, id)).toISOString(),
    action: "auth.login",
    actor: { id: "u1", email: "admin@example.com" },
    ip: "203.0.113.7",
    target: null,
    detail: {},
    ...extra,
  };
}

/** GET /api/v1/audit over `all` (newest first): filters by action, pages of `limit` by cursor. */
function auditApi(all: AuditEntry[]) {
  return fakeApi(({ url }: Call) => {
    if (url.pathname === "/api/v1/plants/top" || url.pathname === "/api/v1/years") return { body: { data: [] } };
    if (url.pathname !== "/api/v1/audit") return undefined;
    const action = url.searchParams.get("action");
    if (action && !(AUDIT_ACTIONS as readonly string[]).includes(action))
      return problem(400, "Invalid request", `action: unknown action ${action}`);
    const before = Number(url.searchParams.get("cursor") ?? Number.POSITIVE_INFINITY);
    const limit = Number(url.searchParams.get("limit") ?? 50);
    const matching = all.filter((e) => e.id < before && (!action || e.action === action));
    const page = matching.slice(0, limit);
    const more = matching.length > limit;
    return { body: { data: page, nextCursor: more ? String(page.at(-1)?.id) : null } };
  });
}

function mount(role: "admin" | "owner" = "admin") {
  return mountApp("/audit", role);
}

const rows = (el: Element) => [...el.querySelectorAll("tr.audit-entry")] as HTMLElement[];
const buttonNamed = (scope: Element, text: string) =>
  [...scope.querySelectorAll("button")].find((b) => b.textContent?.trim().startsWith(text)) as
    | HTMLButtonElement
    | undefined;
async function set(input: HTMLInputElement | HTMLSelectElement, value: string, event = "input") {
  input.value = value;
  input.dispatchEvent(new Event(event, { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("audit view", () => {
  it("offers exactly the actions the API records", () => {
    expect(AUDIT_ACTIONS).toContain("dataset.withdraw");
    expect(Object.keys(AUDIT_ACTION_LABELS).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it("shows when, who, action, target, from where and detail, newest first", async () => {
    auditApi([
      entry(2, {
        action: "key.revoke",
        target: "k7f3",
        detail: { name: "nightly", apiKey: "k1" },
      }),
      entry(1, { action: "auth.login-failed", actor: { id: null, email: "x@example.com" }, ip: null }),
    ]);
    const el = mount();
    await vi.waitFor(() => expect(rows(el)).toHaveLength(2));
    const [first, second] = rows(el) as [HTMLElement, HTMLElement];
    expect(first.querySelector('[data-label="Action"]')?.textContent).toBe("key.revoke");
    expect(first.querySelector('[data-label="Target"]')?.textContent).toBe("k7f3");
    expect(first.querySelector('[data-label="From"]')?.textContent).toBe("203.0.113.7");
    expect(first.querySelector('[data-label="Detail"]')?.textContent).toBe("name: nightly, apiKey: k1");
    expect(second.querySelector('[data-label="Who"]')?.textContent).toBe("x@example.com");
    expect(second.querySelector('[data-label="From"]')?.textContent).toBe("unknown");
  });

  it("sends the filters as the API's parameters, whole UTC days", async () => {
    const calls = auditApi([entry(1)]);
    const el = mount();
    await vi.waitFor(() => expect(rows(el)).toHaveLength(1));
    await set(el.querySelector("#audit-action") as HTMLSelectElement, "dataset.publish", "change");
    await set(el.querySelector("#audit-actor") as HTMLInputElement, " owner@example.com ");
    await set(el.querySelector("#audit-since") as HTMLInputElement, "2026-11-01");
    await set(el.querySelector("#audit-until") as HTMLInputElement, "2026-11-30");
    buttonNamed(el, "Show")?.click();
    await vi.waitFor(() => expect(el.querySelector(".empty")?.textContent).toContain("No entries match"));
    const q = calls.at(-1)?.url.searchParams;
    expect(q?.get("action")).toBe("dataset.publish");
    expect(q?.get("actor")).toBe("owner@example.com");
    expect(q?.get("since")).toBe("2026-11-01T00:00:00Z");
    expect(q?.get("until")).toBe("2026-11-30T23:59:59.999Z");
    expect(q?.has("cursor")).toBe(false);
  });

  it("refuses a since after until without asking the API", async () => {
    const calls = auditApi([entry(1)]);
    const el = mount();
    await vi.waitFor(() => expect(rows(el)).toHaveLength(1));
    const before = calls.length;
    await set(el.querySelector("#audit-since") as HTMLInputElement, "2026-12-01");
    await set(el.querySelector("#audit-until") as HTMLInputElement, "2026-11-01");
    buttonNamed(el, "Show")?.click();
    await vi.waitFor(() => expect(el.querySelector(".audit-filters .error")?.textContent).toContain("is after"));
    expect(calls.length).toBe(before);
  });

  it("More follows nextCursor and appends older entries, once each", async () => {
    const all = Array.from({ length: 120 }, (_, i) => entry(120 - i));
    const calls = auditApi(all);
    const el = mount();
    await vi.waitFor(() => expect(rows(el)).toHaveLength(50));
    buttonNamed(el, "More")?.click();
    await vi.waitFor(() => expect(rows(el)).toHaveLength(100));
    buttonNamed(el, "More")?.click();
    await vi.waitFor(() => expect(rows(el)).toHaveLength(120));
    expect(buttonNamed(el, "More")).toBeUndefined();
    const cursors = calls.map((c) => c.url.searchParams.get("cursor")).filter((c) => c !== null);
    expect(cursors).toEqual(["71", "21"]);
    const ids = rows(el).map((r) => r.querySelector("th")?.textContent);
    expect(new Set(ids).size).toBe(120);
  });

  it("shows the API's refusal in its own words", async () => {
    fakeApi(({ url }) =>
      url.pathname === "/api/v1/audit" ? problem(403, "Forbidden", "This needs the admin role.") : undefined,
    );
    const el = mount();
    await vi.waitFor(() => expect(el.querySelector(".error-box")?.textContent).toContain("This needs the admin role."));
  });

  it("is admins' only: an owner gets no link and the plants page at /audit", async () => {
    auditApi([]);
    const el = mount("owner");
    expect([...el.querySelectorAll("nav a")].map((a) => a.textContent)).not.toContain("Audit");
    await vi.waitFor(() => expect(el.querySelector("main")?.classList.contains("audit")).toBe(false));
    expect(el.querySelector("h1")?.textContent).not.toBe("Audit trail");
  });
});
