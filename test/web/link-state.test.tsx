import { describe, expect, it, vi } from "vitest";
import { pageFor } from "../../web/src/app";
import { parseViewLink } from "../../web/src/lib/url-state";
import { fakeApi, problem } from "./helpers/fake-api";
import { mountApp } from "./helpers/mount-app";

function mountAt(url: string, role: "analyst" | "owner" = "analyst") {
  return mountApp(url, role);
}

const meta = { year: 2023, datasetVersion: "v1", source: { key: "gen.csv", ingestedAt: null } };
/** The API of a stack with 2023 loaded; it refuses unknown states as the real one does. */
function loadedApi() {
  return fakeApi(({ url }) => {
    if (url.pathname === "/api/v1/years")
      return { body: { data: [{ year: 2023, ingestionId: "i", activatedAt: "", source: meta.source }] } };
    if (url.pathname === "/api/v1/states")
      return { body: { data: [{ code: "TX", name: "Texas", plantCount: 824, netGenerationMwh: 1 }], meta } };
    if (url.pathname === "/api/v1/plants/top") {
      const state = url.searchParams.get("state");
      if (state && state !== "TX")
        return problem(400, "Invalid request parameter", `state: unknown state code "${state}"`);
      return { body: { data: [], meta: { ...meta, state, n: Number(url.searchParams.get("n")), total: 0 } } };
    }
    return undefined;
  });
}

describe("parseViewLink", () => {
  it("keeps a good link as it is, with no problems", () => {
    expect(parseViewLink("?state=tx&n=5&year=2023")).toEqual({ view: { state: "TX", n: 5, year: 2023 }, problems: [] });
  });

  it("names each bad parameter and what is shown instead", () => {
    const { view, problems } = parseViewLink("?state=ZZ&n=0&year=20x3");
    expect(view).toEqual({ state: null, n: 10, year: null });
    expect(problems).toEqual([
      'state "ZZ" is not a U.S. state code; showing all states.',
      'n must be 1-1000, not "0"; showing 10.',
      'year "20x3" is not a four-digit year; showing the latest year.',
    ]);
  });

  it("treats n=1001 and n=-5 as out of range, n=1000 as fine", () => {
    expect(parseViewLink("?n=1001").problems).toHaveLength(1);
    expect(parseViewLink("?n=-5").problems).toHaveLength(1);
    expect(parseViewLink("?n=1000")).toEqual({ view: { state: null, n: 1000, year: null }, problems: [] });
  });
});

describe("a shared link with bad parameters", () => {
  it("explains and corrects state=ZZ&n=0 instead of a raw 400 and a silent n=10", async () => {
    const calls = loadedApi();
    const el = mountAt("/?state=ZZ&n=0");
    await vi.waitFor(() => expect(el.querySelector(".link-notice")).not.toBeNull());
    const notice = el.querySelector(".link-notice")?.textContent ?? "";
    expect(notice).toContain('State "ZZ" is not a U.S. state code; showing all states.');
    expect(notice).toContain('N must be 1-1000, not "0"; showing 10.');
    expect(window.location.search).toBe("");
    await vi.waitFor(() => expect(el.querySelector(".results .empty")).not.toBeNull());
    // No raw 400 in the results (the state panel, loaded lazily, asks routes this fake leaves out).
    expect(el.querySelector(".results .error-box")).toBeNull();
    expect((el.querySelector("#state") as HTMLSelectElement).value).toBe("");
    expect(el.querySelector("#state")?.textContent).not.toContain("ZZ");
    expect(calls.some((c) => c.url.searchParams.get("state") === "ZZ")).toBe(false);
    expect((el.querySelector("#n") as HTMLInputElement).value).toBe("10");
  });

  it("corrects a year with no data to the latest year and says so", async () => {
    loadedApi();
    const el = mountAt("/?year=1999&state=TX");
    await vi.waitFor(() =>
      expect(el.querySelector(".link-notice")?.textContent).toContain("Year 1999 has no published data"),
    );
    expect(el.querySelector(".link-notice")?.textContent).toContain("(2023)");
    expect(window.location.search).toBe("?state=TX");
  });

  it("drops the notice once the user chooses something", async () => {
    loadedApi();
    const el = mountAt("/?n=abc");
    await vi.waitFor(() => expect(el.querySelector(".link-notice")).not.toBeNull());
    const n = el.querySelector("#n") as HTMLInputElement;
    n.value = "5";
    n.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(el.querySelector(".link-notice")).toBeNull());
    expect(window.location.search).toBe("?n=5");
  });
});

describe("unknown paths", () => {
  it("routes known paths to their pages and anything else to not-found", () => {
    expect(pageFor("/", false)).toBe("explorer");
    expect(pageFor("/ingestions", true)).toBe("ingestions");
    expect(pageFor("/ingestions/", true)).toBe("ingestions");
    expect(pageFor("/ingestions", false)).toBe("explorer");
    expect(pageFor("/keys", false)).toBe("keys");
    expect(pageFor("/audit/", true, true)).toBe("audit");
    expect(pageFor("/audit", true, false)).toBe("explorer");
    expect(pageFor("/nope", true)).toBe("not-found");
    expect(pageFor("/plants/TX", false)).toBe("not-found");
  });

  it("renders Page not found with the path and a link home that opens the plants page", async () => {
    loadedApi();
    const el = mountAt("/nope");
    expect(el.querySelector("h1")?.textContent).toBe("Page not found");
    // Each page's heading takes focus when the page opens (WCAG 2.4.3: keyboard users start there).
    await vi.waitFor(() => expect(document.activeElement).toBe(el.querySelector("h1")));
    expect(el.querySelector("main code")?.textContent).toBe("/nope");
    expect(el.querySelector("table.plants, .results")).toBeNull();
    const click = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0 });
    el.querySelector("main a[href='/']")?.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true); // stays in the app, no full reload
    await vi.waitFor(() => expect(el.querySelector("h1")?.textContent).toBe("Top power plants by net generation"));
    expect(window.location.pathname).toBe("/");
    await vi.waitFor(() => expect(document.activeElement).toBe(el.querySelector("h1")));
  });
});
