import { describe, expect, it, vi } from "vitest";
import type { YearDatasets } from "../../web/src/lib/api";
import { type Call, fakeApi, problem } from "./helpers/fake-api";
import { version, year } from "./helpers/fixtures";
import { mountApp } from "./helpers/mount-app";

const HOLD =
  "holds 1,204 plants, under half of the published 12,345 plants; if this is right, publish it with POST /api/v1/datasets/2023/active";

/** A small in-memory datasets API that follows the contract: POST publishes, DELETE withdraws. */
function datasetsApi(initial: YearDatasets[], refuse?: { status: number; detail: string }) {
  let years = structuredClone(initial);
  const setActive = (y: number, id: string | null) => {
    years = years.map((entry) =>
      entry.year !== y
        ? entry
        : {
            ...entry,
            state: id ? "published" : "withdrawn",
            activeIngestionId: id,
            withdrawnAt: id ? null : "2026-11-30T12:00:00Z",
            withdrawnIngestionId: id ? null : entry.activeIngestionId,
            versions: entry.versions.map((v) => ({
              ...v,
              active: v.ingestionId === id,
              canActivate: v.ingestionId !== id,
            })),
          },
    );
    return { body: years.find((e) => e.year === y) };
  };
  const calls = fakeApi(({ method, url, body }: Call) => {
    if (url.pathname === "/api/v1/ingestions") return { body: { data: [] } };
    if (url.pathname === "/api/v1/datasets")
      return { body: { data: years, storage: { generators: 53_202, plants: 24_690, plantParts: 0 } } };
    const m = url.pathname.match(/^\/api\/v1\/datasets\/(\d{4})\/active$/);
    if (!m) return undefined;
    if (refuse) return problem(refuse.status, "This version cannot be published", refuse.detail);
    if (method === "POST") return setActive(Number(m[1]), (body as { ingestionId: string }).ingestionId);
    if (method === "DELETE") return setActive(Number(m[1]), null);
    return undefined;
  });
  return calls;
}

function mount() {
  return mountApp("/ingestions", "owner");
}

const fixture = [
  year(2023, {
    activeIngestionId: "v2",
    versions: [
      version("v3", { status: "held", holdReason: HOLD, plantCount: 1_204 }),
      version("v2", { active: true, canActivate: false, cannotActivateReason: "This version is published." }),
      version("v1", {
        canActivate: false,
        cannotActivateReason: "its rows were reclaimed; upload the file again",
        rowsStored: 0,
      }),
    ],
  }),
  year(2022, { activeIngestionId: "w1", versions: [version("w1", { active: true, canActivate: false })] }),
];

const yearCard = (el: HTMLElement, y: number) =>
  el.querySelector(`section[aria-labelledby="year-${y}"]`) as HTMLElement;
const buttonNamed = (scope: Element, text: string) =>
  [...scope.querySelectorAll("button")].find((b) => b.textContent?.trim() === text) as HTMLButtonElement | undefined;

describe("datasets section", () => {
  it("shows each year's published version, its history newest first, storage, and the held reason", async () => {
    datasetsApi(fixture);
    const el = mount();
    await vi.waitFor(() => expect(yearCard(el, 2023)).not.toBeNull());
    const card = yearCard(el, 2023);
    expect(card.querySelector(".year-state")?.textContent).toContain("published uploads/v2.csv");
    const files = [...card.querySelectorAll("tr.version th")].map((th) => th.textContent);
    expect(files).toEqual(["uploads/v3.csv", "uploads/v2.csv", "uploads/v1.csv"]);
    expect(card.querySelector("tr.version.held")).not.toBeNull();
    expect(card.querySelector("tr.hold-reason")?.textContent).toBe(`Held: ${HOLD}`);
    expect(el.querySelector(".storage")?.textContent).toContain("53,202 generators, 24,690 plants");
    // Publish only where the API says it can; otherwise its reason.
    const publishButtons = [...card.querySelectorAll("tr.version button")];
    expect(publishButtons.map((b) => b.getAttribute("aria-label"))).toEqual(["Publish uploads/v3.csv"]);
    expect(card.textContent).toContain("its rows were reclaimed; upload the file again");
    expect(card.textContent).toContain("Published now");
  });

  it("publishes a held version with the POST of the contract, then reloads the datasets", async () => {
    const calls = datasetsApi(fixture);
    const el = mount();
    await vi.waitFor(() => expect(yearCard(el, 2023)).not.toBeNull());
    (yearCard(el, 2023).querySelector("button.held-publish") as HTMLButtonElement).click();
    await vi.waitFor(() =>
      expect(yearCard(el, 2023).querySelector(".year-state")?.textContent).toContain("published uploads/v3.csv"),
    );
    const post = calls.find((c) => c.method === "POST");
    expect(post?.url.pathname).toBe("/api/v1/datasets/2023/active");
    expect(post?.body).toEqual({ ingestionId: "v3" });
    expect(calls.filter((c) => c.url.pathname === "/api/v1/datasets").length).toBeGreaterThanOrEqual(2);
  });

  it("withdraws a year only after confirming, and offers Restore afterwards", async () => {
    const calls = datasetsApi(fixture);
    const el = mount();
    await vi.waitFor(() => expect(yearCard(el, 2022)).not.toBeNull());
    buttonNamed(yearCard(el, 2022), "Withdraw 2022")?.click();
    await vi.waitFor(() => expect(yearCard(el, 2022).querySelector(".confirm")).not.toBeNull());
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    buttonNamed(yearCard(el, 2022), "Cancel")?.click();
    await vi.waitFor(() => expect(yearCard(el, 2022).querySelector(".confirm")).toBeNull());
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);

    buttonNamed(yearCard(el, 2022), "Withdraw 2022")?.click();
    await vi.waitFor(() => expect(buttonNamed(yearCard(el, 2022), "Yes, withdraw 2022")).toBeDefined());
    buttonNamed(yearCard(el, 2022), "Yes, withdraw 2022")?.click();
    await vi.waitFor(() => expect(yearCard(el, 2022).querySelector(".year-state")?.textContent).toContain("withdrawn"));
    expect(calls.find((c) => c.method === "DELETE")?.url.pathname).toBe("/api/v1/datasets/2022/active");
    expect(buttonNamed(yearCard(el, 2022), "Withdraw 2022")).toBeUndefined();

    buttonNamed(yearCard(el, 2022), "Restore")?.click();
    await vi.waitFor(() => expect(yearCard(el, 2022).querySelector(".year-state")?.textContent).toContain("published"));
    expect(calls.filter((c) => c.method === "POST").at(-1)?.body).toEqual({ ingestionId: "w1" });
  });

  it("shows a refusal inline in the problem's own words, in the year it concerns", async () => {
    const detail = "the file changed since it was loaded; upload it again";
    datasetsApi(fixture, { status: 409, detail });
    const el = mount();
    await vi.waitFor(() => expect(yearCard(el, 2023)).not.toBeNull());
    (yearCard(el, 2023).querySelector("button.held-publish") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(yearCard(el, 2023).querySelector("[role=alert]")?.textContent).toContain(detail));
    expect(yearCard(el, 2023).querySelector("[role=alert]")?.textContent).toContain("(409)");
    expect(yearCard(el, 2022).querySelector("[role=alert]")).toBeNull();
  });
});
