import { describe, expect, it, vi } from "vitest";
import { analysisApi, stateSummary } from "./helpers/analysis-api";
import { mountApp } from "./helpers/mount-app";

const select = (el: HTMLElement, id: string, value: string) => {
  const s = el.querySelector(`#${id}`) as HTMLSelectElement;
  s.value = value;
  s.dispatchEvent(new Event("change", { bubbles: true }));
};

describe("fuel filter", () => {
  it("asks for fuel=WIND, shows the wind column and keeps the choice in the URL", async () => {
    const calls = analysisApi();
    const el = mountApp("/?state=TX", "analyst");
    await vi.waitFor(() => expect(el.querySelector("table.plants")).not.toBeNull());
    select(el, "fuel", "WIND");
    const headers = () => [...el.querySelectorAll("table.plants thead th")].map((th) => th.textContent);
    await vi.waitFor(() => expect(headers()).toContain("Wind"));
    expect(headers()).toContain("Plant total");
    expect(window.location.search).toBe("?state=TX&fuel=WIND");
    await vi.waitFor(() =>
      expect(
        calls
          .filter((c) => c.url.pathname === "/api/v1/plants/top")
          .at(-1)
          ?.url.searchParams.get("fuel"),
      ).toBe("WIND"),
    );
    expect(el.querySelector("#results-heading")?.textContent).toBe("Top 10 wind in Texas, 2022");
  });

  it("colours each row and bar by fuel and writes the fuel's name on both", async () => {
    analysisApi();
    const el = mountApp("/", "analyst");
    await vi.waitFor(() => expect(el.querySelector(".bar-row")).not.toBeNull());
    const row = el.querySelector("table.plants tbody tr") as HTMLTableRowElement;
    expect(row.dataset.fuel).toBe("WIND");
    expect(row.style.getPropertyValue("--fuel")).not.toBe("");
    expect(row.querySelector(".fuel")?.textContent).toBe("Wind (WND)");
    expect(el.querySelector(".bar-row rect")?.getAttribute("fill")).toBe("url(#fuel-pattern-WIND)");
    expect(el.querySelector(".bar-row .bar-value")?.textContent).toContain("Wind");
    expect(el.querySelector(".chart .fuel-legend")?.textContent).toContain("Wind");
  });

  it("shows the change against the previous year on every row", async () => {
    analysisApi();
    const el = mountApp("/", "analyst");
    await vi.waitFor(() => expect(el.querySelector(".change-cell")).not.toBeNull());
    expect(el.querySelector(".change-cell .visually-hidden")?.textContent).toBe("up 100,000 MWh (+4.5%) since 2021");
  });

  it("explains the API's 422 for a year whose file has no fuel column", async () => {
    analysisApi(({ url }) =>
      url.pathname === "/api/v1/plants/top" && url.searchParams.get("fuel")
        ? {
            status: 422,
            body: { type: "x", title: "No fuel data", status: 422, detail: "The 2023 file has no FUELG1 column." },
          }
        : undefined,
    );
    const el = mountApp("/?fuel=SOLAR", "analyst");
    await vi.waitFor(() => expect(el.querySelector(".results .error-box")?.textContent).toContain("no FUELG1 column"));
  });
});

describe("while a new ranking loads", () => {
  it("captions the rows still shown by what they are, not by the fuel just picked", async () => {
    analysisApi();
    const answer = globalThis.fetch;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    vi.stubGlobal("fetch", async (input: string, init?: RequestInit) => {
      if (String(input).includes("fuel=WIND")) await gate;
      return answer(input, init);
    });
    const el = mountApp("/?state=TX", "analyst");
    const caption = () => el.querySelector("table.plants caption")?.textContent ?? "";
    await vi.waitFor(() => expect(caption()).toContain("ranked by annual net generation"));
    select(el, "fuel", "WIND");
    await vi.waitFor(() => expect(el.querySelector(".results .summary")?.textContent).toContain("Updating"));
    // The rows are still the all-fuel ranking: a "wind" caption over them would mislabel them.
    expect(caption()).not.toContain("wind");
    expect(caption()).toContain("ranked by annual net generation");
    release();
    await vi.waitFor(() => expect(caption()).toContain("ranked by wind net generation"));
  });
});

describe("state panel", () => {
  it("shows the state's and the nation's fuel mix for the year and the state's trend", async () => {
    const calls = analysisApi();
    const el = mountApp("/?state=TX&year=2022", "analyst");
    await vi.waitFor(() => expect(el.querySelectorAll(".state-panel .mix")).toHaveLength(2));
    expect(el.querySelector("#state-panel-heading")?.textContent).toBe("Fuel mix, Texas, 2022");
    const paths = calls.map((c) => c.url.pathname + c.url.search);
    expect(paths).toContain("/api/v1/states/TX?year=2022");
    expect(paths).toContain("/api/v1/states/US?year=2022");
    await vi.waitFor(() => expect(el.querySelectorAll(".state-panel .trend-column")).toHaveLength(2));
    expect(el.querySelector(".state-panel .mix-figures")?.textContent).toContain("Gas 50.0%");
  });

  it("says when the year's file has no fuel column instead of an empty mix", async () => {
    analysisApi(({ url }) =>
      url.pathname === "/api/v1/states/US"
        ? { body: { data: stateSummary("US", "United States", 2023, { fuels: null }), meta: {} } }
        : undefined,
    );
    const el = mountApp("/", "analyst");
    await vi.waitFor(() => expect(el.querySelector(".state-panel")?.textContent).toContain("has no fuel column"));
  });
});

describe("map colouring", () => {
  it("colours states by a fuel's share when chosen, from each state's summary", async () => {
    const calls = analysisApi();
    const el = mountApp("/", "analyst");
    await vi.waitFor(() => expect(el.querySelector("#map-colour")).not.toBeNull());
    select(el, "map-colour", "WIND");
    await vi.waitFor(() => expect(el.querySelector(".map figcaption")?.textContent).toContain("Wind's share"));
    expect(window.location.search).toBe("?map=WIND");
    expect(calls.some((c) => c.url.pathname === "/api/v1/states/TX")).toBe(true);
    expect(el.querySelector(".us-map [data-state=TX] title")?.textContent).toBe("Texas: Wind 25.0% of net generation");

    // The map's CSV carries the share shown, exact.
    const blobs: Blob[] = [];
    const created = vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blobs.push(b as Blob);
      return "blob:x";
    });
    const revoked = vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    const button = [...el.querySelectorAll<HTMLButtonElement>("button")].find(
      (b) => b.textContent === "Download map as CSV",
    );
    button?.click();
    expect(button?.dataset.csv).toBe("egrid-2022-states-WIND-share.csv");
    created.mockRestore();
    revoked.mockRestore();
    expect(await blobs[0]?.text()).toBe(
      "code,name,plantCount,netGenerationMwh,fuel,sharePct\r\nTX,Texas,824,500000000,WIND,25\r\n",
    );
  });
});
