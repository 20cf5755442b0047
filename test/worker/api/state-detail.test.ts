import { beforeAll, describe, expect, it } from "vitest";
import { type IndependentPlant, independentPlants, independentState } from "../helpers/independent-fuels";
import { ingestCsv, realDataFile } from "../helpers/ingest";
import { call, loginAdmin } from "./helpers";

// GET /states/{code} and /states/{code}/history on EPA's real files, against an independent
// reading of the same bytes (test/worker/helpers/independent-fuels.ts).

interface Mix {
  category: string;
  netGenerationMwh: number | null;
  capacityMw: number | null;
  generatorCount: number;
  plantCount: number;
  sharePct: number | null;
}
interface Summary {
  code: string;
  name: string;
  year: number;
  plantCount: number;
  generatorCount: number;
  netGenerationMwh: number | null;
  capacityMw: number | null;
  fuels: Mix[] | null;
  topPlant: {
    plantId: string;
    name: string;
    netGenerationMwh: number | null;
    primaryFuelCategory: string | null;
  } | null;
}

const files = { 2021: "egrid2021_gen21.csv", 2022: "egrid2022_gen22.csv", 2023: "egrid2023_gen23.csv" } as const;
const plants = new Map<number, Map<string, IndependentPlant>>();
let token: string;

beforeAll(async () => {
  for (const [year, name] of Object.entries(files)) {
    const bytes = await realDataFile(name);
    plants.set(Number(year), independentPlants(bytes));
    expect((await ingestCsv(bytes, `uploads/${name}`)).status).toBe("done");
  }
  token = await loginAdmin();
}, 240_000);

async function get<T>(path: string): Promise<{ res: Response; body: T }> {
  const res = await call(path, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return { res, body: (await res.json()) as T };
}

/** The served summary equals the independent one: totals, every category, the top plant. */
function expectSummary(served: Summary, year: number, code: string) {
  const want = independentState(plants.get(year) as Map<string, IndependentPlant>, code);
  expect(served).toMatchObject({ code, year, plantCount: want.total.plants, generatorCount: want.total.generators });
  expect(served.netGenerationMwh).toBeCloseTo(want.total.net as number, 1);
  if (want.total.capacity !== null) expect(served.capacityMw).toBeCloseTo(want.total.capacity, 1);
  expect(served.topPlant?.plantId).toBe(want.top?.key);
  expect(served.topPlant?.netGenerationMwh).toBeCloseTo(want.top?.net as number, 2);
  if (year === 2023) {
    expect(served.fuels).toBeNull();
    return;
  }
  const fuels = served.fuels as Mix[];
  expect(fuels.map((f) => f.category).sort()).toEqual([...want.fuels.keys()].sort());
  for (const mix of fuels) {
    const expected = want.fuels.get(mix.category);
    expect(mix.generatorCount, mix.category).toBe(expected?.generators);
    expect(mix.plantCount, mix.category).toBe(expected?.plants);
    if (expected?.net == null) expect(mix.netGenerationMwh).toBeNull();
    else expect(mix.netGenerationMwh).toBeCloseTo(expected.net, 1);
  }
  // The mix adds up to the total, and is ordered by generation.
  const sum = fuels.reduce((s, f) => s + (f.netGenerationMwh ?? 0), 0);
  expect(sum).toBeCloseTo(served.netGenerationMwh as number, 1);
  const nets = fuels.map((f) => f.netGenerationMwh ?? Number.NEGATIVE_INFINITY);
  expect(nets).toEqual([...nets].sort((a, b) => b - a));
}

describe("GET /states/{code}", () => {
  it("answers Texas, Vermont and California of 2022 and 2021 exactly, mixes summing to the totals", async () => {
    for (const [code, year] of [
      ["TX", 2022],
      ["VT", 2022],
      ["CA", 2021],
    ] as const) {
      const { body } = await get<{ data: Summary; meta: { year: number } }>(`/api/v1/states/${code}?year=${year}`);
      expect(body.meta.year).toBe(year);
      expectSummary(body.data, year, code);
    }
  });

  it("answers the nation as US, in any case", async () => {
    const { body } = await get<{ data: Summary }>("/api/v1/states/us?year=2022");
    expect(body.data.name).toBe("United States");
    expectSummary(body.data, 2022, "US");
    expect(body.data.topPlant?.name).toBe("Palo Verde");
  });

  it("answers 2023 (no FUELG1) with totals and fuels null; the latest year without ?year=", async () => {
    const { body } = await get<{ data: Summary }>("/api/v1/states/AZ");
    expect(body.data.year).toBe(2023);
    expectSummary(body.data, 2023, "AZ");
  });

  it("refuses an unknown code (400) and a year without data (404)", async () => {
    expect((await call("/api/v1/states/XX", { token })).status).toBe(400);
    expect((await call("/api/v1/states/TEX", { token })).status).toBe(400);
    expect((await call("/api/v1/states/TX?year=2019", { token })).status).toBe(404);
  });

  it("is cached by dataset version: a KV hit the second time, 304 for its ETag", async () => {
    const first = await get<unknown>("/api/v1/states/NY?year=2021");
    const second = await get<unknown>("/api/v1/states/ny?year=2021");
    expect(second.body).toEqual(first.body);
    expect(second.res.headers.get("x-cache")).toBe("HIT");
    const etag = second.res.headers.get("etag") as string;
    const again = await call("/api/v1/states/NY?year=2021", { token, headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });
});

describe("GET /states/{code}/history", () => {
  it("gives every published year oldest first, each exact", async () => {
    for (const code of ["WA", "US"]) {
      const { body } = await get<{ data: Summary[]; meta: { years: number[]; code: string } }>(
        `/api/v1/states/${code.toLowerCase()}/history`,
      );
      expect(body.meta).toMatchObject({ code, years: [2021, 2022, 2023] });
      expect(body.data.map((s) => s.year)).toEqual([2021, 2022, 2023]);
      for (const summary of body.data) expectSummary(summary, summary.year, code);
    }
  });

  it("is cached: a KV hit the second time", async () => {
    await get("/api/v1/states/OR/history");
    const { res } = await get("/api/v1/states/OR/history");
    expect(res.headers.get("x-cache")).toBe("HIT");
  });
});
