import { beforeAll, describe, expect, it } from "vitest";
import { categoryOf, fuelRanking, type IndependentPlant, independentPlants } from "../helpers/independent-fuels";
import { ingestCsv, realDataFile } from "../helpers/ingest";
import { call, loginAdmin } from "./helpers";

// GET /plants/top?fuel= on EPA's real 2021, 2022 and 2023 files, against an independent reading
// of the same bytes (test/worker/helpers/independent-fuels.ts).

interface Row {
  rank: number;
  plantId: string;
  name: string;
  state: string;
  netGenerationMwh: number | null;
  primaryFuel: string | null;
  primaryFuelCategory: string | null;
  fuelNetGenerationMwh?: number;
}
interface Body {
  data: Row[];
  meta: { total: number; fuel: string | null; state: string | null; year: number };
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

async function top(query: string): Promise<{ res: Response; body: Body }> {
  const res = await call(`/api/v1/plants/top?${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return { res, body: (await res.json()) as Body };
}

/** Checks a served fuel ranking against the independent one, row by row. */
function expectRanking(body: Body, year: number, category: string, state?: string, n = body.data.length) {
  const expected = fuelRanking(plants.get(year) as Map<string, IndependentPlant>, category, state);
  expect(body.meta.total).toBe(expected.length);
  expect(body.data.length).toBe(Math.min(n, expected.length));
  body.data.forEach((row, i) => {
    const want = expected[i] as (typeof expected)[number];
    expect(row.plantId, `rank ${i + 1}`).toBe(want.plant.key);
    expect(row.rank).toBe(i + 1);
    expect(row.fuelNetGenerationMwh).toBeCloseTo(want.fuelNet, 2);
    // netGenerationMwh stays the plant total, all fuels.
    expect(row.netGenerationMwh).toBeCloseTo(want.plant.net as number, 2);
  });
}

describe("GET /plants/top?fuel=", () => {
  it("ranks the 2022 wind plants by their wind generation: Horse Hollow, Traverse, Rush Creek", async () => {
    const { body } = await top("year=2022&fuel=WIND&n=20");
    expect(body.data.slice(0, 3).map((r) => [r.name, r.state, Math.round(r.fuelNetGenerationMwh ?? 0)])).toEqual([
      ["Horse Hollow Wind Energy Center", "TX", 2_336_221],
      ["Traverse Wind Project, LLC", "OK", 2_283_846],
      ["Rush Creek Wind", "CO", 2_251_448],
    ]);
    expect(body.meta.fuel).toBe("WIND");
    expectRanking(body, 2022, "WIND", undefined, 20);
  });

  it("takes the category in any case, within a state: every California solar plant of 2022", async () => {
    const { body } = await top("year=2022&fuel=solar&state=ca&n=1000");
    expect(body.meta).toMatchObject({ fuel: "SOLAR", state: "CA" });
    expectRanking(body, 2022, "SOLAR", "CA", 1000);
  });

  it("pages a ranking with offset, across the cached pages of 100 (2021 Texas gas)", async () => {
    const { body } = await top("year=2021&fuel=Gas&state=TX&n=30&offset=90");
    const expected = fuelRanking(plants.get(2021) as Map<string, IndependentPlant>, "GAS", "TX").slice(90, 120);
    expect(body.data.map((r) => r.plantId)).toEqual(expected.map((e) => e.plant.key));
    expect(body.data[0]?.rank).toBe(91);
  });

  it("ranks coal and nuclear nationally and in Pennsylvania (2021), plants with several fuels by the asked one", async () => {
    for (const [fuel, state] of [
      ["COAL", undefined],
      ["NUCLEAR", "PA"],
      ["HYDRO", "WA"],
    ] as const) {
      const { body } = await top(`year=2021&fuel=${fuel}${state ? `&state=${state}` : ""}&n=50`);
      expectRanking(body, 2021, fuel, state, 50);
    }
  });

  it("answers 422 for 2023, whose file has no FUELG1 column, and 400 for an unknown category", async () => {
    const res = await call("/api/v1/plants/top?year=2023&fuel=GAS", { token });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as { type: string; detail: string };
    expect(problem.type).toBe("urn:egrid-edge:problem:no-fuel-data");
    expect(problem.detail).toContain("no fuel column");
    const bad = await call("/api/v1/plants/top?year=2022&fuel=plutonium", { token });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("SOLAR");
  });

  it("gives every top-N row the EPA category of its primary fuel", async () => {
    for (const year of [2021, 2022, 2023]) {
      const { body } = await top(`year=${year}&n=200`);
      for (const row of body.data) {
        expect(row.primaryFuelCategory).toBe(row.primaryFuel === null ? null : categoryOf(row.primaryFuel));
      }
      if (year === 2023) expect(body.data.every((r) => r.primaryFuelCategory === null)).toBe(true);
      else expect(new Set(body.data.map((r) => r.primaryFuelCategory)).size).toBeGreaterThan(3);
    }
  });

  it("is cached per dataset version like top-N: a second read is a KV hit, a 304 with the ETag", async () => {
    const first = await top("year=2022&fuel=biomass&state=CA&n=5");
    const second = await top("year=2022&fuel=BIOMASS&state=CA&n=5");
    expect(second.body).toEqual(first.body);
    expect(second.res.headers.get("x-cache")).toBe("HIT");
    const etag = second.res.headers.get("etag") as string;
    const again = await call("/api/v1/plants/top?year=2022&fuel=biomass&state=CA&n=5", {
      token,
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    // Not the ETag of the same query without fuel.
    const plain = await top("year=2022&state=CA&n=5");
    expect(plain.res.headers.get("etag")).not.toBe(etag);
  });

  it("serves a fuel ranking as CSV with the fuel column", async () => {
    const res = await call("/api/v1/plants/top?year=2022&fuel=WIND&n=2&format=csv", { token });
    expect(res.status).toBe(200);
    const [header, first] = (await res.text()).split("\r\n");
    expect(header).toContain("primaryFuelCategory");
    expect(header?.endsWith("fuelNetGenerationMwh")).toBe(true);
    expect(first).toContain("Horse Hollow");
    expect(res.headers.get("content-disposition")).toContain("top-plants-2022-US-WIND.csv");
  });
});
