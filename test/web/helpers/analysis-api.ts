// A stand-in for the issue #15 API (fuels, years and change) in happy-dom tests: bodies typed by
// the Worker's zod schemas (via web/src/lib/analysis-api.ts), so a contract change breaks the build.
import type { StateSummary } from "../../../web/src/lib/analysis-api";
import type { TopPlant } from "../../../web/src/lib/api";
import { type Answer, type Call, fakeApi } from "./fake-api";

export const meta = { year: 2022, datasetVersion: "v22", source: { key: "egrid2022_gen22.csv", ingestedAt: null } };

export function topPlant(rank: number, name: string, mwh: number, extra: Partial<TopPlant> = {}): TopPlant {
  return {
    rank,
    plantId: String(1000 + rank),
    orispl: 1000 + rank,
    name,
    state: "TX",
    netGenerationMwh: mwh,
    generatorCount: 3,
    unknownGeneratorCount: 0,
    shareOfStatePct: 1.5,
    primaryFuel: "WND",
    primaryFuelCategory: "WIND",
    capacityMw: 700,
    previous: {
      year: 2021,
      plantId: String(1000 + rank),
      netGenerationMwh: mwh - 100_000,
      rank: rank + 1,
      matchedBy: "orispl",
    },
    changeMwh: 100_000,
    changePct: 4.5,
    ...extra,
  };
}

export function stateSummary(
  code: string,
  name: string,
  year: number,
  extra: Partial<StateSummary> = {},
): StateSummary {
  return {
    code,
    name,
    year,
    datasetVersion: `v${year}`,
    plantCount: 800,
    generatorCount: 2000,
    netGenerationMwh: 500_000_000,
    capacityMw: 150_000,
    fuels: [
      {
        category: "GAS",
        netGenerationMwh: 250_000_000,
        capacityMw: 80_000,
        generatorCount: 900,
        plantCount: 400,
        sharePct: 50,
      },
      {
        category: "WIND",
        netGenerationMwh: 125_000_000,
        capacityMw: 40_000,
        generatorCount: 300,
        plantCount: 200,
        sharePct: 25,
      },
      {
        category: "COAL",
        netGenerationMwh: 125_000_000,
        capacityMw: 30_000,
        generatorCount: 50,
        plantCount: 20,
        sharePct: 25,
      },
    ],
    topPlant: null,
    ...extra,
  };
}

/** The API of a stack with 2021 and 2022 loaded; `extra` answers first (undefined = fall through). */
export function analysisApi(extra: (call: Call) => Answer | Promise<Answer> = () => undefined) {
  return fakeApi(async (call) => {
    const { url } = call;
    const own = await extra(call);
    if (own) return own;
    if (url.pathname === "/api/v1/years")
      return {
        body: {
          data: [2022, 2021].map((year) => ({ year, ingestionId: `v${year}`, activatedAt: "", source: meta.source })),
        },
      };
    if (url.pathname === "/api/v1/states")
      return { body: { data: [{ code: "TX", name: "Texas", plantCount: 824, netGenerationMwh: 5e8 }], meta } };
    if (url.pathname === "/api/v1/plants/top") {
      const fuel = url.searchParams.get("fuel");
      const rows = [topPlant(1, "Horse Hollow", 2_336_221, { fuelNetGenerationMwh: fuel ? 2_336_221 : undefined })];
      return { body: { data: rows, meta: { ...meta, n: 10, offset: 0, state: null, fuel, total: 1 } } };
    }
    const state = url.pathname.match(/^\/api\/v1\/states\/([A-Z]{2})$/);
    if (state?.[1]) {
      const code = state[1];
      return { body: { data: stateSummary(code, code === "US" ? "United States" : "Texas", 2022), meta } };
    }
    const history = url.pathname.match(/^\/api\/v1\/states\/([A-Z]{2})\/history$/);
    if (history?.[1]) {
      const code = history[1];
      return {
        body: {
          data: [stateSummary(code, "Texas", 2021), stateSummary(code, "Texas", 2022)],
          meta: { code, name: "Texas", years: [2021, 2022] },
        },
      };
    }
    return undefined;
  });
}
