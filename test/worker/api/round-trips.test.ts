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
async function oneTripThenHit<T>(path: string): Promise<T> {
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
