import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestCsv, realDataFile } from "../helpers/ingest";
import { call, loginAdmin } from "./helpers";

// Independent of the pipeline: plain papaparse, our own number rules, our own ranking.
interface Expected {
  state: string;
  name: string;
  net: number | null;
  generators: number;
}

function parseGenntan(raw: string | undefined): number | null {
  const text = (raw ?? "").trim();
  if (text === "") return null;
  const negative = /^\(.*\)$/.test(text);
  const value = Number(text.replace(/[(),]/g, ""));
  if (!Number.isFinite(value)) throw new Error(`bad GENNTAN ${raw}`);
  return negative ? -value : value;
}

function expectedPlants(csv: string): Expected[] {
  const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
  const header = rows.findIndex((r) => r.includes("GENNTAN"));
  const cols = rows[header] as string[];
  const [state, name, net] = ["PSTATEABB", "PNAME", "GENNTAN"].map((c) => cols.indexOf(c)) as [number, number, number];
  const plants = new Map<string, Expected>();
  for (const row of rows.slice(header + 1)) {
    const key = `${row[state]}\u0000${row[name]}`;
    const plant = plants.get(key) ?? {
      state: row[state] as string,
      name: row[name] as string,
      net: null,
      generators: 0,
    };
    const value = parseGenntan(row[net]);
    plant.generators += 1;
    if (value !== null) plant.net = (plant.net ?? 0) + value;
    plants.set(key, plant);
  }
  return [...plants.values()].sort((a, b) => {
    if (a.net !== b.net) {
      if (a.net === null) return 1;
      if (b.net === null) return -1;
      return b.net - a.net;
    }
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

const bytes = await realDataFile("egrid2023_gen23.csv");
let expected: Expected[] = [];
let token: string;

describe("top-N on the real eGRID 2023 file (data/egrid/egrid2023_gen23.csv)", () => {
  beforeAll(async () => {
    expected = expectedPlants(new TextDecoder().decode(bytes));
    const ingestion = await ingestCsv(bytes, "uploads/egrid2023_gen23.csv");
    expect(ingestion.status).toBe("done");
    token = await loginAdmin();
  }, 120_000);

  async function top(query: string) {
    const res = await call(`/api/v1/plants/top${query}`, { token });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      data: { plantId: string; state: string; name: string; netGenerationMwh: number | null; generatorCount: number }[];
      meta: { total: number; year: number };
    };
  }

  const view = (p: Expected) => ({ state: p.state, name: p.name, net: p.net, generators: p.generators });
  const served = (p: { state: string; name: string; netGenerationMwh: number | null; generatorCount: number }) => ({
    state: p.state,
    name: p.name,
    net: p.netGenerationMwh,
    generators: p.generatorCount,
  });

  it("matches the published national top 5", async () => {
    const body = await top("?n=5");
    expect(body.data.map((p) => [p.name, p.state, p.netGenerationMwh])).toEqual([
      ["Palo Verde", "AZ", 31_522_590],
      ["Browns Ferry", "AL", 30_820_510],
      ["Vogtle", "GA", 23_036_612],
      ["Oconee", "SC", 22_246_735],
      ["Peach Bottom", "PA", 22_197_093],
    ]);
    expect(body.data[0]?.plantId).toBe("AZ:Palo Verde");
    expect(body.meta).toMatchObject({ year: 2023, total: 12_606 });
  });

  it("matches the independent ranking for the country, top 1000", async () => {
    expect((await top("?n=1000")).data.map(served)).toEqual(expected.slice(0, 1000).map(view));
  });

  it("matches the last page of the country, where unknown totals sort last by name", async () => {
    const body = await top(`?n=1000&offset=${12_606 - 1000}`);
    expect(body.data.map(served)).toEqual(expected.slice(-1000).map(view));
    expect(body.data.at(-1)?.netGenerationMwh).toBeNull();
  });

  for (const state of ["TX", "VT", "DC", "PR", "ak"]) {
    it(`matches the independent ranking in ${state}, n larger than its plant count`, async () => {
      const code = state.toUpperCase();
      const inState = expected.filter((p) => p.state === code);
      expect(inState.length).toBeGreaterThan(0);
      expect(inState.length).toBeLessThan(1000);
      const body = await top(`?state=${state}&n=1000`);
      expect(body.meta.total).toBe(inState.length);
      expect(body.data.map(served)).toEqual(inState.map(view));
    });
  }

  it("matches the independent ranking in CA (1,725 plants) over two pages", async () => {
    const inState = expected.filter((p) => p.state === "CA");
    const first = await top("?state=ca&n=1000");
    const second = await top("?state=CA&n=1000&offset=1000");
    expect(first.meta.total).toBe(inState.length);
    expect([...first.data, ...second.data].map(served)).toEqual(inState.map(view));
  });

  it("serves a plant with its generators, matching the file", async () => {
    const palo = expected.find((p) => p.state === "AZ" && p.name === "Palo Verde");
    const res = await call(`/api/v1/plants/${encodeURIComponent("AZ:Palo Verde")}`, { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: { netGenerationMwh: number; generators: { netGenerationMwh: number }[] };
    };
    expect(body.data.generators).toHaveLength(palo?.generators ?? -1);
    expect(body.data.generators.reduce((sum, g) => sum + g.netGenerationMwh, 0)).toBe(palo?.net);
    expect(body.data.netGenerationMwh).toBe(31_522_590);
  });
});
