import { beforeAll, describe, expect, it } from "vitest";
import { type IndependentPlant, independentPlants } from "../helpers/independent-fuels";
import { change, looseName, matchIn, ranked, ranks } from "../helpers/independent-years";
import { ingestCsv, realDataFile } from "../helpers/ingest";
import { call, loginAdmin } from "./helpers";

// Years and change on EPA's real 2021, 2022 and 2023 files (2023 has no ORISPL, so it is linked
// to 2022 by state and name), against an independent reading of the same bytes.

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

const year = (y: number) => plants.get(y) as Map<string, IndependentPlant>;

async function get<T>(path: string): Promise<T> {
  const res = await call(path, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

interface Previous {
  year: number;
  plantId: string;
  netGenerationMwh: number | null;
  rank: number;
  matchedBy: string;
}
interface TopRow {
  plantId: string;
  netGenerationMwh: number | null;
  previous: Previous | null;
  changeMwh: number | null;
  changePct: number | null;
}

/** Checks each row's previous year and change against the independent reading. */
function expectPrevious(rows: TopRow[], current: number, earlier: number, state?: string) {
  const bothOrispl = current !== 2023 && earlier !== 2023;
  const earlierRanks = ranks(year(earlier));
  let matched = 0;
  for (const row of rows) {
    const plant = year(current).get(row.plantId) as IndependentPlant;
    const found = matchIn(plant, year(earlier), bothOrispl);
    if (!found) {
      expect(row.previous, row.plantId).toBeNull();
      continue;
    }
    matched++;
    const rank = (state ? earlierRanks.state : earlierRanks.national).get(found.match.key);
    expect(row.previous, row.plantId).toEqual({
      year: earlier,
      plantId: found.match.key,
      netGenerationMwh: found.match.net,
      rank,
      matchedBy: found.by,
    });
    if (plant.net === null || found.match.net === null) expect(row.changeMwh).toBeNull();
    else {
      const { mwh, pct } = change(plant.net, found.match.net);
      expect(row.changeMwh).toBeCloseTo(mwh, 3);
      if (pct === null) expect(row.changePct).toBeNull();
      else expect(row.changePct).toBeCloseTo(pct, 2);
    }
  }
  return matched;
}

describe("previous year on top-N rows", () => {
  it("2022 nationally: the 2021 plant by ORISPL, its national rank and the change", async () => {
    const body = await get<{ data: TopRow[] }>("/api/v1/plants/top?year=2022&n=200");
    expect(expectPrevious(body.data, 2022, 2021)).toBeGreaterThan(190);
  });

  it("2023 in Texas: the 2022 plant by state and name, its state rank", async () => {
    const body = await get<{ data: TopRow[] }>("/api/v1/plants/top?year=2023&state=tx&n=150");
    expect(expectPrevious(body.data, 2023, 2022, "TX")).toBeGreaterThan(90);
    expect(body.data[0]?.previous?.matchedBy).toBe("name");
  });

  it("a fuel ranking carries it too; the earliest year has none", async () => {
    const wind = await get<{ data: TopRow[] }>("/api/v1/plants/top?year=2022&fuel=wind&n=20");
    expectPrevious(wind.data, 2022, 2021);
    const first = await get<{ data: TopRow[] }>("/api/v1/plants/top?year=2021&n=30");
    expect(first.data.every((r) => r.previous === null && r.changeMwh === null)).toBe(true);
  });
});

interface MoversBody {
  data: { plantId: string; changeMwh: number; previous: Previous; netGenerationMwh: number; matchedBy: string }[];
  meta: { total: number; previousYear: number | null };
}

/** Independent movers: plants with known generation in both years, by change. */
function expectedMovers(current: number, earlier: number, filter: (p: IndependentPlant) => boolean) {
  const bothOrispl = current !== 2023 && earlier !== 2023;
  const all = [];
  for (const plant of year(current).values()) {
    if (!filter(plant) || plant.net === null) continue;
    const found = matchIn(plant, year(earlier), bothOrispl);
    if (!found || found.match.net === null) continue;
    all.push({ plantId: plant.key, change: change(plant.net, found.match.net).mwh });
  }
  return all.sort((a, b) => b.change - a.change);
}

function expectMovers(body: MoversBody, expected: { plantId: string; change: number }[], direction: "up" | "down") {
  const order = direction === "up" ? expected : [...expected].reverse();
  expect(body.meta.total).toBe(expected.length);
  body.data.forEach((row, i) => {
    expect(row.changeMwh, `#${i + 1}`).toBeCloseTo(order[i]?.change as number, 3);
    expect(row.changeMwh).toBeCloseTo(row.netGenerationMwh - (row.previous.netGenerationMwh as number), 3);
  });
  // Distinct changes identify the plants (ties may come in either order).
  const unique = body.data.filter((r) => body.data.filter((o) => o.changeMwh === r.changeMwh).length === 1);
  for (const row of unique) expect(order.find((e) => e.change === row.changeMwh)?.plantId).toBe(row.plantId);
}

describe("GET /plants/movers", () => {
  it("2022 against 2021 nationally, up and down", async () => {
    const expected = expectedMovers(2022, 2021, () => true);
    const up = await get<MoversBody>("/api/v1/plants/movers?year=2022&n=15");
    expect(up.meta.previousYear).toBe(2021);
    expectMovers(up, expected, "up");
    expectMovers(await get<MoversBody>("/api/v1/plants/movers?year=2022&n=15&direction=down"), expected, "down");
  });

  it("2022 wind plants of Texas (primary fuel) and 2023 against 2022 by name", async () => {
    const plants2022 = year(2022);
    const windTx = expectedMovers(2022, 2021, (p) => p.state === "TX" && primaryCategory(p) === "WIND");
    expect(windTx.length).toBeGreaterThan(50);
    expectMovers(await get<MoversBody>("/api/v1/plants/movers?year=2022&state=TX&fuel=wind&n=10"), windTx, "up");
    const expected = expectedMovers(2023, 2022, () => true);
    const body = await get<MoversBody>("/api/v1/plants/movers?year=2023&n=10&direction=down");
    expectMovers(body, expected, "down");
    expect(body.data.every((r) => r.matchedBy === "name" && plants2022.has(r.previous.plantId))).toBe(true);
  });

  it("2021 has no earlier year; a fuel filter on 2023 (no FUELG1) is a 422", async () => {
    const first = await get<MoversBody>("/api/v1/plants/movers?year=2021");
    expect(first).toMatchObject({ data: [], meta: { total: 0, previousYear: null } });
    const res = await call("/api/v1/plants/movers?year=2023&fuel=SOLAR", { token });
    expect(res.status).toBe(422);
  });
});

// The primary fuel as the API defines it: FUELG1 of the plant's largest generator by capacity.
// independent-fuels keeps sums only, so this reads the per-category capacity instead: the
// test plants (Texas wind) are single-technology, where the two agree.
function primaryCategory(p: IndependentPlant): string | null {
  let best: [string, number] | null = null;
  for (const [category, sums] of p.fuels) {
    if (best === null || (sums.capacity ?? 0) > best[1]) best = [category, sums.capacity ?? 0];
  }
  return best?.[0] ?? null;
}

interface HistoryBody {
  data: {
    year: number;
    plantId: string;
    name: string;
    netGenerationMwh: number | null;
    nationalRank: number;
    stateRank: number;
    generatorCount: number;
    fuels: { category: string; netGenerationMwh: number | null }[] | null;
    matchedBy: string;
  }[];
  meta: { year: number; years: number[] };
}

function expectEntry(entry: HistoryBody["data"][number], y: number, key: string) {
  const plant = year(y).get(key) as IndependentPlant;
  const r = ranks(year(y));
  expect(entry).toMatchObject({
    year: y,
    plantId: key,
    name: plant.name,
    netGenerationMwh: plant.net,
    nationalRank: r.national.get(key),
    stateRank: r.state.get(key),
    generatorCount: plant.generators,
  });
  if (y === 2023) expect(entry.fuels).toBeNull();
  else {
    const fuels = Object.fromEntries((entry.fuels ?? []).map((f) => [f.category, f.netGenerationMwh]));
    expect(fuels).toEqual(Object.fromEntries([...plant.fuels].map(([c, s]) => [c, s.net])));
  }
}

describe("GET /plants/{plantId}/history", () => {
  it("a plant renamed between 2021 and 2022 (ORISPL 55051), linked to 2023 by its new name", async () => {
    expect(year(2021).get("55051")?.name).toBe("Axiall Plaquemine");
    expect(year(2022).get("55051")?.name).toBe("Westlake Plaquemine");
    const body = await get<HistoryBody>("/api/v1/plants/55051/history?year=2022");
    expect(body.meta).toMatchObject({ year: 2022, years: [2021, 2022, 2023] });
    expect(body.data.map((e) => [e.year, e.matchedBy])).toEqual([
      [2021, "orispl"],
      [2022, "orispl"],
      [2023, "name"],
    ]);
    expectEntry(body.data[0] as HistoryBody["data"][number], 2021, "55051");
    expectEntry(body.data[1] as HistoryBody["data"][number], 2022, "55051");
    expectEntry(body.data[2] as HistoryBody["data"][number], 2023, "LA:Westlake Plaquemine");
    // Absent year: the latest year that has the id (ORISPL ids exist in 2021 and 2022 only).
    expect((await get<HistoryBody>("/api/v1/plants/55051/history")).meta.year).toBe(2022);
  });

  it("a plant missing in 2022 (Power Island, TX): 2021 is linked by name across the gap", async () => {
    expect(year(2022).get("10154")).toBeUndefined();
    const body = await get<HistoryBody>(`/api/v1/plants/${encodeURIComponent("TX:Power Island")}/history`);
    expect(body.data.map((e) => [e.year, e.matchedBy])).toEqual([
      [2021, "name"],
      [2023, "name"],
    ]);
    expectEntry(body.data[0] as HistoryBody["data"][number], 2021, "10154");
    expectEntry(body.data[1] as HistoryBody["data"][number], 2023, "TX:Power Island");
  });

  it("answers 404 for an unknown plant or a year without data", async () => {
    expect((await call("/api/v1/plants/999999999/history", { token })).status).toBe(404);
    expect((await call("/api/v1/plants/55051/history?year=2019", { token })).status).toBe(404);
  });
});

interface SearchBody {
  data: { plantId: string; name: string; state: string; netGenerationMwh: number | null; rank: number }[];
  meta: { total: number };
}

/** Independent search: every word starts a word of the name. */
function expectedSearch(y: number, text: string, state?: string) {
  const words = looseName(text).split(" ");
  return ranked(
    [...year(y).values()].filter((p) => {
      const nameWords = looseName(p.name).split(" ");
      return (!state || p.state === state) && words.every((w) => nameWords.some((n) => n.startsWith(w)));
    }),
  );
}

describe("GET /plants?search=", () => {
  it("word prefixes in any case, ranked by net generation", async () => {
    for (const [text, y, state] of [
      ["palo", 2022, undefined],
      ["PALO ver", 2021, undefined],
      ["wind hor", 2022, undefined],
      ["solar", 2023, "CA"],
    ] as const) {
      const query = `search=${encodeURIComponent(text)}&year=${y}&limit=25${state ? `&state=${state}` : ""}`;
      const body = await get<SearchBody>(`/api/v1/plants?${query}`);
      const expected = expectedSearch(y, text, state);
      expect(body.meta.total, text).toBe(expected.length);
      expect(body.data.map((h) => h.plantId)).toEqual(expected.slice(0, 25).map((p) => p.key));
    }
    const palo = await get<SearchBody>("/api/v1/plants?search=Palo%20Verde&year=2022&limit=1");
    expect(palo.data[0]).toMatchObject({ name: "Palo Verde", state: "AZ", rank: 1 });
  });

  it("refuses an empty search", async () => {
    expect((await call("/api/v1/plants?search=", { token })).status).toBe(400);
  });
});
