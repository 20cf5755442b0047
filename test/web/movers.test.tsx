import { describe, expect, it, vi } from "vitest";
import type { MoverRow, MoversResponse } from "../../web/src/lib/analysis-api";
import { analysisApi } from "./helpers/analysis-api";
import { mountApp } from "./helpers/mount-app";

function mover(name: string, before: number, after: number): MoverRow {
  return {
    plantId: name,
    orispl: null,
    name,
    state: "TX",
    primaryFuel: "NG",
    primaryFuelCategory: "GAS",
    rank: 1,
    netGenerationMwh: after,
    previous: { year: 2021, plantId: name, netGenerationMwh: before, rank: 3, matchedBy: "orispl" },
    changeMwh: after - before,
    changePct: ((after - before) / before) * 100,
    matchedBy: "orispl",
  };
}

/** `slowDown`: the decreases answer waits for it (a slow API). */
function moversApi(slowDown?: Promise<void>) {
  return analysisApi(async ({ url }) => {
    if (url.pathname !== "/api/v1/plants/movers") return undefined;
    const down = url.searchParams.get("direction") === "down";
    if (down && slowDown !== undefined) await slowDown;
    const data = down ? [mover("Fading", 2_000_000, 500_000)] : [mover("Rising", 1_000_000, 3_000_000)];
    const meta: MoversResponse["meta"] = {
      year: 2022,
      previousYear: 2021,
      state: "TX",
      fuel: null,
      n: 10,
      direction: down ? "down" : "up",
      total: 700,
      datasetVersion: "v22",
      previousDatasetVersion: "v21",
      source: { key: "egrid2022_gen22.csv", ingestedAt: null },
    };
    return { body: { data, meta } };
  });
}

describe("biggest movers", () => {
  it("shows the largest increases with both years, and switches to decreases in the URL", async () => {
    const calls = moversApi();
    const el = mountApp("/?state=TX", "analyst");
    const tab = await vi.waitFor(() => {
      const b = [...el.querySelectorAll<HTMLButtonElement>(".tabs button")].find(
        (x) => x.textContent === "Biggest movers",
      );
      if (!b) throw new Error("no movers button");
      return b;
    });
    tab.click();
    await vi.waitFor(() => expect(el.querySelector(".movers-table caption")?.textContent).toContain("2021 to 2022"));
    expect(window.location.search).toBe("?state=TX&tab=movers");
    expect(el.querySelector(".movers .summary")?.textContent).toBe(
      "700 plants in Texas have known generation in both years; showing the 1 largest increases.",
    );
    const row = el.querySelector(".movers-table tbody tr");
    expect(row?.querySelector("th")?.textContent).toBe("Rising");
    expect(row?.querySelector(".change .visually-hidden")?.textContent).toBe("up 2,000,000 MWh (+200.0%) since 2021");
    const request = calls.find((c) => c.url.pathname === "/api/v1/plants/movers");
    expect(request?.url.searchParams.get("state")).toBe("TX");
    expect(request?.url.searchParams.get("direction")).toBe("up");
    expect(el.querySelector(".movers-chart .bar-row")?.getAttribute("data-value")).toBe("2000000");

    const down = [...el.querySelectorAll<HTMLButtonElement>(".direction button")].find((b) =>
      b.textContent?.includes("decreases"),
    );
    down?.click();
    await vi.waitFor(() => expect(el.querySelector(".movers-table tbody th")?.textContent).toBe("Fading"));
    expect(window.location.search).toBe("?state=TX&tab=movers&dir=down");
    expect(down?.getAttribute("aria-pressed")).toBe("true");
  });

  it("keeps the caption of the rows on screen while the other direction loads", async () => {
    let release = () => {};
    moversApi(
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    const el = mountApp("/?state=TX&tab=movers", "analyst");
    const caption = () => el.querySelector(".movers-table caption")?.textContent ?? "";
    await vi.waitFor(() => expect(caption()).toMatch(/^Largest increases/));
    const down = [...el.querySelectorAll<HTMLButtonElement>(".direction button")].find((b) =>
      b.textContent?.includes("decreases"),
    );
    down?.click();
    await vi.waitFor(() => expect(window.location.search).toBe("?state=TX&tab=movers&dir=down"));
    // "Rising" is still on screen while the decreases load: its caption says increases.
    expect(el.querySelector(".movers-table tbody th")?.textContent).toBe("Rising");
    expect(caption()).toMatch(/^Largest increases/);
    release();
    await vi.waitFor(() => expect(el.querySelector(".movers-table tbody th")?.textContent).toBe("Fading"));
    expect(caption()).toMatch(/^Largest decreases/);
  });
});
