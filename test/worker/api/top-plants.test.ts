import { beforeAll, describe, expect, it } from "vitest";
import { call, loginAdmin, problem, type SeedPlant, seedDataset } from "./helpers";

// Crafted so ties, unknown totals, negatives and state shares have one right answer.
const PLANTS: SeedPlant[] = [
  { name: "Big One", state: "TX", net: 5000, generators: 3 },
  { name: "Beta", state: "TX", net: 3000 },
  { name: "Alpha", state: "TX", net: 3000 },
  { name: "Pumped", state: "TX", net: -1000, generators: 2 },
  { name: "Unknown", state: "TX", net: null, generators: 2, unknown: 2 },
  { name: "Desert Sun", state: "AZ", net: 4000 },
  { name: 'Comma, Inc "Quoted"', state: "AZ", net: 1000, orispl: 6008, key: "6008" },
  { name: "Lonely", state: "VT", net: 10 },
];

let token: string;
beforeAll(async () => {
  await seedDataset("ing-top-2023", 2023, PLANTS, { key: "uploads/egrid2023.csv" });
  await seedDataset("ing-top-2021", 2021, [{ name: "Old", state: "TX", net: 1 }]);
  token = await loginAdmin();
});

interface Top {
  data: {
    rank: number;
    name: string;
    state: string;
    netGenerationMwh: number | null;
    shareOfStatePct: number | null;
  }[];
  meta: Record<string, unknown>;
}

async function top(query: string): Promise<Top> {
  const res = await call(`/api/v1/plants/top${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

describe("GET /api/v1/plants/top", () => {
  it("ranks the whole country by net generation, ties by name, unknown last, latest year by default", async () => {
    const body = await top("?n=100");
    expect(body.data.map((p) => p.name)).toEqual([
      "Big One",
      "Desert Sun",
      "Alpha",
      "Beta",
      'Comma, Inc "Quoted"',
      "Lonely",
      "Pumped",
      "Unknown",
    ]);
    expect(body.data.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(body.meta).toEqual({
      n: 100,
      offset: 0,
      state: null,
      fuel: null,
      year: 2023,
      total: 8,
      datasetVersion: "ing-top-2023",
      source: { key: "uploads/egrid2023.csv", ingestedAt: expect.any(String) },
    });
  });

  it("returns every field, null where the data lacks it", async () => {
    const body = await top("?n=1");
    expect(body.data).toEqual([
      {
        rank: 1,
        plantId: "TX:Big One",
        orispl: null,
        name: "Big One",
        state: "TX",
        netGenerationMwh: 5000,
        generatorCount: 3,
        unknownGeneratorCount: 0,
        // TX total of known values: 5000 + 3000 + 3000 - 1000 = 10000.
        shareOfStatePct: 50,
        primaryFuel: null,
        primaryFuelCategory: null,
        capacityMw: null,
        // The only year before 2023 here (2021) has no "Big One".
        previous: null,
        changeMwh: null,
        changePct: null,
      },
    ]);
    const unknown = (await top("?state=tx&n=10")).data.at(-1);
    expect(unknown).toMatchObject({ name: "Unknown", netGenerationMwh: null, shareOfStatePct: null });
  });

  it("filters by state in any case and pages with offset", async () => {
    const body = await top("?state=tX&n=2&offset=1");
    expect(body.data.map((p) => [p.rank, p.name])).toEqual([
      [2, "Alpha"],
      [3, "Beta"],
    ]);
    expect(body.meta).toMatchObject({ state: "TX", total: 5, n: 2, offset: 1 });
  });

  it("returns all of a state's plants when n is larger than its count", async () => {
    const body = await top("?state=VT&n=1000");
    expect(body.data.map((p) => p.name)).toEqual(["Lonely"]);
    expect(body.data[0]?.shareOfStatePct).toBe(100);
  });

  it("answers 200 with an empty list for a valid state without plants", async () => {
    const body = await top("?state=WY");
    expect(body.data).toEqual([]);
    expect(body.meta.total).toBe(0);
  });

  it("serves an older year when asked", async () => {
    const body = await top("?year=2021");
    expect(body.data.map((p) => p.name)).toEqual(["Old"]);
    expect(body.meta).toMatchObject({ year: 2021, datasetVersion: "ing-top-2021" });
  });

  it("returns the same rows as CSV for format=csv and for Accept: text/csv", async () => {
    const byFormat = await call("/api/v1/plants/top?state=AZ&format=csv", { token });
    expect(byFormat.status).toBe(200);
    expect(byFormat.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await byFormat.text();
    expect(text.split("\r\n")).toEqual([
      "rank,plantId,orispl,name,state,netGenerationMwh,generatorCount,unknownGeneratorCount,shareOfStatePct,primaryFuel,primaryFuelCategory,capacityMw,changeMwh,changePct",
      "1,AZ:Desert Sun,,Desert Sun,AZ,4000,1,0,80,,,,,",
      '2,6008,6008,"Comma, Inc ""Quoted""",AZ,1000,1,0,20,,,,,',
      "",
    ]);
    const byAccept = await call("/api/v1/plants/top?state=AZ", { token, headers: { Accept: "text/csv" } });
    expect(await byAccept.text()).toBe(text);
    expect(byAccept.headers.get("etag")).toBe(byFormat.headers.get("etag"));
  });
});

describe("GET /api/v1/plants/top problem documents", () => {
  const cases: [string, number, RegExp | string][] = [
    ["?n=0", 400, 'n must be a whole number from 1 to 1000 (got "0"), e.g. n=10'],
    ["?n=1001", 400, 'n must be a whole number from 1 to 1000 (got "1001"), e.g. n=10'],
    ["?n=ten", 400, 'n must be a whole number from 1 to 1000 (got "ten"), e.g. n=10'],
    ["?n=2.5", 400, 'n must be a whole number from 1 to 1000 (got "2.5"), e.g. n=10'],
    ["?offset=-1", 400, 'offset must be a whole number from 0 to 100000 (got "-1"), e.g. offset=0'],
    ["?year=abc", 400, 'year must be a whole number from 1990 to 2100 (got "abc"), e.g. year=2023'],
    ["?year=1800", 400, 'year must be a whole number from 1990 to 2100 (got "1800"), e.g. year=2023'],
    ["?format=xml", 400, 'format must be one of "json", "csv" (got "xml"), e.g. format=csv'],
    ["?state=Texas", 400, /unknown state code "Texas".*AK, AL/],
    ["?state=XX", 400, /unknown state code "XX"/],
    ["?year=2019", 404, /no dataset for year 2019; years with data: 2023, 2021/],
  ];
  for (const [query, status, detail] of cases) {
    it(`${query} -> ${status}`, async () => {
      const res = await call(`/api/v1/plants/top${query}`, { token });
      expect(res.status).toBe(status);
      const body = await problem(res);
      if (typeof detail === "string") expect(body.detail).toBe(detail);
      else expect(body.detail).toMatch(detail);
    });
  }

  it("lists the valid state codes as data too", async () => {
    const body = await problem(await call("/api/v1/plants/top?state=ZZ", { token }));
    expect(body.validStates).toContain("TX");
    expect(body.validStates).toHaveLength(56);
  });
});

describe("GET /api/v1/plants/{plantId}", () => {
  it("finds a plant by its URL-encoded id", async () => {
    const res = await call(`/api/v1/plants/${encodeURIComponent("AZ:Desert Sun")}`, { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>; meta: Record<string, unknown> };
    expect(body.data).toMatchObject({
      plantId: "AZ:Desert Sun",
      name: "Desert Sun",
      netGenerationMwh: 4000,
      generators: [],
    });
    expect(body.meta).toMatchObject({ year: 2023, datasetVersion: "ing-top-2023" });
  });

  it("404 problem for an unknown plant", async () => {
    const res = await call("/api/v1/plants/AZ%3ANowhere", { token });
    expect(res.status).toBe(404);
    expect((await problem(res)).detail).toMatch(/no plant "AZ:Nowhere" in the 2023 dataset/);
  });
});

describe("GET /api/v1/states and /api/v1/years", () => {
  it("sums plants per state", async () => {
    const res = await call("/api/v1/states", { token });
    const body = (await res.json()) as { data: unknown[] };
    expect(body.data).toEqual([
      { code: "AZ", name: "Arizona", plantCount: 2, netGenerationMwh: 5000 },
      { code: "TX", name: "Texas", plantCount: 5, netGenerationMwh: 10000 },
      { code: "VT", name: "Vermont", plantCount: 1, netGenerationMwh: 10 },
    ]);
  });

  it("lists years, newest first, with the active ingestion", async () => {
    const body = (await (await call("/api/v1/years", { token })).json()) as { data: unknown[] };
    expect(body.data).toEqual([
      expect.objectContaining({ year: 2023, ingestionId: "ing-top-2023" }),
      expect.objectContaining({ year: 2021, ingestionId: "ing-top-2021" }),
    ]);
  });
});

describe("hostile parameters", () => {
  it("reports every bad parameter at once", async () => {
    const res = await call("/api/v1/plants/top?n=0&state=QQ&year=x", { token });
    const body = await problem(res);
    expect((body.errors as { name: string }[]).map((e) => e.name).sort()).toEqual(["n", "state", "year"]);
    expect(body.validStates).toContain("TX");
  });

  it("treats SQL metacharacters as data, never as SQL", async () => {
    const state = await call(`/api/v1/plants/top?state=${encodeURIComponent("TX' OR 1=1 --")}`, { token });
    expect(state.status).toBe(400);
    const plant = await call(`/api/v1/plants/${encodeURIComponent("x' OR '1'='1")}`, { token });
    expect(plant.status).toBe(404);
    const union = await call(`/api/v1/plants/${encodeURIComponent("1; DROP TABLE plants; --")}`, { token });
    expect(union.status).toBe(404);
    expect((await top("?n=1")).data).toHaveLength(1);
  });
});
