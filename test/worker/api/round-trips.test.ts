import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestCsv, realDataFile } from "../helpers/ingest";
import { call, userWithRole } from "./helpers";

// The target for a far edge location: a cache miss costs at most ONE D1 round trip
// (Server-Timing `d1-trips`: D1 calls one after another), a hit none. On EPA's real 2021 and
// 2022 files, so 2022's rows carry their 2021 plant (the previous-year match ran too).

let analyst: string;
beforeAll(async () => {
  for (const name of ["egrid2021_gen21.csv", "egrid2022_gen22.csv"]) {
    expect((await ingestCsv(await realDataFile(name), `uploads/${name}`)).status).toBe("done");
  }
  analyst = (await userWithRole("analyst")).token;
  // The user's row is checked in D1 once per 30 s per isolate: do it before measuring.
  expect((await call("/api/v1/states/US?year=2021", { token: analyst })).status).toBe(200);
}, 240_000);

/** `desc` of one Server-Timing metric, as a number. */
function metric(res: Response, name: string): number {
  const match = new RegExp(`(?:^|, )${name};desc="(\\d+)"`).exec(res.headers.get("server-timing") ?? "");
  if (!match) throw new Error(`no ${name} in Server-Timing: ${res.headers.get("server-timing")}`);
  return Number(match[1]);
}

/** Asks `path` twice: a miss in one D1 round trip, then a hit in none; returns the miss's body. */
async function oneTripThenHit<T = unknown>(path: string): Promise<T> {
  const miss = await call(path, { token: analyst });
  expect(miss.status, await miss.clone().text()).toBe(200);
  expect(miss.headers.get("x-cache"), path).toBe("MISS");
  expect(metric(miss, "d1-trips"), path).toBe(1);
  const hit = await call(path, { token: analyst });
  expect(hit.headers.get("x-cache"), path).toBe("HIT");
  expect(metric(hit, "d1-trips"), path).toBe(0);
  return (await miss.json()) as T;
}

interface TopBody {
  data: { previous: { year: number } | null }[];
}

describe("an uncached top-N page costs one D1 round trip", () => {
  it("national, state and fuel rankings with a baseline year: page, totals and previous year together", async () => {
    for (const path of [
      "/api/v1/plants/top?year=2022&n=10&offset=300",
      "/api/v1/plants/top?year=2022&state=TX&n=20&offset=100",
      "/api/v1/plants/top?year=2022&fuel=WIND&n=10",
      "/api/v1/plants/top?year=2022&fuel=GAS&state=TX&n=10&offset=100",
    ]) {
      const body = await oneTripThenHit<TopBody>(path);
      expect(body.data.length, path).toBeGreaterThan(0);
      expect(
        body.data.some((r) => r.previous?.year === 2021),
        path,
      ).toBe(true);
    }
  });

  it("without a baseline year (2021), and a page past the last plant", async () => {
    const first = await oneTripThenHit<TopBody>("/api/v1/plants/top?year=2021&state=CA&n=10&offset=200");
    expect(first.data.every((r) => r.previous === null)).toBe(true);
    const past = await call("/api/v1/plants/top?year=2022&state=VT&n=10&offset=5000", { token: analyst });
    expect((await past.json()) as TopBody).toMatchObject({ data: [] });
    expect(metric(past, "d1-trips")).toBe(1);
  });

  it("reports statements apart from round trips: a batch of several statements is one trip", async () => {
    const res = await call("/api/v1/plants/top?year=2022&state=NY&n=5&offset=200", { token: analyst });
    expect(metric(res, "d1-trips")).toBe(1);
    expect(metric(res, "d1")).toBeGreaterThanOrEqual(2);
  });
});

interface MoversBody {
  data: { plantId: string; changeMwh: number }[];
  meta: { total: number };
}

describe("the other analysis routes, uncached, in one D1 round trip", () => {
  it("movers: fuel facts, the pair's state, the page and the count together", async () => {
    const up = await oneTripThenHit<MoversBody>("/api/v1/plants/movers?year=2022&n=10");
    expect(up.data).toHaveLength(10);
    expect(up.meta.total).toBeGreaterThan(1000);
    const wind = await oneTripThenHit<MoversBody>("/api/v1/plants/movers?year=2022&state=TX&fuel=WIND&n=5");
    expect(wind.data.length).toBeGreaterThan(0);
    expect((await oneTripThenHit<MoversBody>("/api/v1/plants/movers?year=2021&fuel=WIND")).data).toEqual([]);
    // The earliest year without a fuel filter has nothing to read: no round trip at all.
    const first = await call("/api/v1/plants/movers?year=2021", { token: analyst });
    expect(((await first.json()) as MoversBody).data).toEqual([]);
    expect(metric(first, "d1-trips")).toBe(0);
  });

  it("movers still computes a pair that publishing did not (then more trips, once), with the same answer", async () => {
    const before = await oneTripThenHit<MoversBody>("/api/v1/plants/movers?year=2022&direction=down&n=7");
    const ids = await env.DB.prepare("SELECT data_year, ingestion_id FROM datasets WHERE data_year IN (2021, 2022)")
      .all<{ data_year: number; ingestion_id: string }>()
      .then((r) => new Map(r.results.map((d) => [d.data_year, d.ingestion_id])));
    await env.DB.batch(
      ["plant_changes", "change_pairs"].map((table) =>
        env.DB.prepare(`DELETE FROM ${table} WHERE ingestion_id = ?1 AND previous_ingestion_id = ?2`).bind(
          ids.get(2022),
          ids.get(2021),
        ),
      ),
    );
    const res = await call("/api/v1/plants/movers?year=2022&direction=down&n=8", { token: analyst });
    expect(res.status).toBe(200);
    expect(metric(res, "d1-trips")).toBeGreaterThan(1);
    const after = (await res.json()) as MoversBody;
    expect(after.data.slice(0, 7)).toEqual(before.data);
    expect(after.meta.total).toBe(before.meta.total);
    // Computed once: the next uncached answer is one round trip again.
    await oneTripThenHit<MoversBody>("/api/v1/plants/movers?year=2022&direction=down&n=9");
  });

  it("search, a state's or the nation's year and history, a plant's page of generators", async () => {
    const search = await oneTripThenHit<{ data: unknown[]; meta: { total: number } }>(
      "/api/v1/plants?search=wind%20ran&year=2022",
    );
    expect(search.meta.total).toBeGreaterThan(0);
    await oneTripThenHit("/api/v1/states/TX?year=2022");
    await oneTripThenHit("/api/v1/states/CA/history");
    const plant = await oneTripThenHit<{ data: { generators: unknown[] } }>("/api/v1/plants/6008?year=2022&limit=2");
    expect(plant.data.generators).toHaveLength(2);
  });
});
