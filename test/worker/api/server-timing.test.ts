import { beforeAll, describe, expect, it } from "vitest";
import { call, seedDataset, userWithRole, waitForCacheKey } from "./helpers";

/** Server-Timing metrics by name: `{ d1: { desc: "2", dur: 1.3 }, ... }`. */
function timing(res: Response): Record<string, { desc?: string; dur?: number }> {
  const header = res.headers.get("server-timing");
  if (!header) throw new Error(`no Server-Timing on ${res.status} ${res.url}`);
  const metrics: Record<string, { desc?: string; dur?: number }> = {};
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().split(";");
    const metric: { desc?: string; dur?: number } = {};
    for (const param of params) {
      const [key, value = ""] = param.split("=");
      if (key === "desc") metric.desc = value.replace(/^"|"$/g, "");
      if (key === "dur") metric.dur = Number(value);
    }
    metrics[name as string] = metric;
  }
  return metrics;
}

let analyst: string;
beforeAll(async () => {
  analyst = (await userWithRole("analyst")).token;
  await seedDataset("timing-v1", 2014, [
    { name: "Alpha", state: "OK", net: 30 },
    { name: "Beta", state: "OK", net: 20 },
  ]);
});

describe("Server-Timing", () => {
  it("shows a miss's D1 queries and a hit's none, with cache, kv and total", async () => {
    const path = "/api/v1/plants/top?year=2014&state=OK&n=2";
    const miss = timing(await call(path, { token: analyst }));
    expect(miss.cache?.desc).toBe("MISS");
    expect(Number(miss.d1?.desc)).toBeGreaterThan(0);
    expect(miss.d1?.dur).toBeGreaterThanOrEqual(0);
    expect(Number(miss.kv?.desc)).toBeGreaterThan(0);
    // d1 dur sums the queries' times; they may overlap, so it can exceed total.
    expect(miss.total?.dur).toBeGreaterThan(0);
    await waitForCacheKey(":top:timing-v1:");

    const hit = timing(await call(path, { token: analyst }));
    expect(hit.cache?.desc).toBe("HIT");
    expect(hit.d1).toEqual({ desc: "0", dur: 0 });
    expect(Number(hit.kv?.desc)).toBeGreaterThan(0);
  });

  it("is on every response: errors, health, the liveness floor, unknown routes", async () => {
    const live = await call("/health/live");
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
    expect(timing(live)).toMatchObject({ d1: { desc: "0" }, kv: { desc: "0" } });
    expect(timing(live).cache).toBeUndefined();

    expect(Number(timing(await call("/health")).d1?.desc)).toBe(1);
    const missingYear = await call("/api/v1/plants/top?year=1995", { token: analyst });
    expect(missingYear.status).toBe(404);
    expect(timing(missingYear).total?.dur).toBeGreaterThanOrEqual(0);
    expect(timing(await call("/api/v1/nowhere", { token: analyst }))).toHaveProperty("total");
    expect(timing(await call("/api/v1/plants/top"))).toHaveProperty("d1");
  });
});
