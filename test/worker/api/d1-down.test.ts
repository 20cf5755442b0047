import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { call, problem, seedDataset, userWithRole, waitForCacheKey } from "./helpers";

function setD1(state: "up" | "down"): Promise<Response> {
  return call("/__dev/faults", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ d1: state }),
  });
}

let analyst: string;
beforeAll(async () => {
  analyst = (await userWithRole("analyst")).token;
  await seedDataset("down-v1", 2015, [
    { name: "Alpha", state: "NM", net: 30 },
    { name: "Beta", state: "NM", net: 20 },
  ]);
});
afterEach(async () => {
  await setD1("up");
  await call("/__dev/faults", { method: "POST", body: JSON.stringify({ d1LatencyMs: 0 }) });
});

describe("D1 down, API up", () => {
  it("serves cached answers, refuses uncached ones with 503 and Retry-After, and health says degraded", async () => {
    const cachedPath = "/api/v1/plants/top?year=2015&state=NM&n=2";
    expect((await call(cachedPath, { token: analyst })).status).toBe(200);
    await waitForCacheKey(":top:down-v1:");

    expect((await (await setD1("down")).json()) as unknown).toMatchObject({ d1: "down" });
    const cached = await call(cachedPath, { token: analyst });
    expect(cached.status).toBe(200);
    expect(cached.headers.get("x-cache")).toBe("HIT");

    const uncached = await call("/api/v1/plants/top?year=2015&n=1", { token: analyst });
    expect(uncached.status).toBe(503);
    const retryAfter = Number(uncached.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect((await problem(uncached)).detail).toMatch(/database is not answering.*retry/);

    const health = await call("/health");
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "degraded", checks: { d1: { ok: false }, kv: { ok: true } } });
    expect((await call("/health/live")).status).toBe(200);

    await setD1("up");
    const recovered = await call("/api/v1/plants/top?year=2015&n=1", { token: analyst });
    expect(recovered.status).toBe(200);
    expect((await call("/health")).status).toBe(200);
  });

  it("refuses a fault switch it does not know", async () => {
    const res = await call("/__dev/faults", { method: "POST", body: JSON.stringify({ d1: "sideways" }) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('{\\"d1\\": \\"down\\"}');
  });

  it("adds D1 latency on request: a hit does not pay it, a miss pays it per round trip", async () => {
    const cachedPath = "/api/v1/plants/top?year=2015&state=NM&n=2";
    await call(cachedPath, { token: analyst });
    await waitForCacheKey(":top:down-v1:");
    const slow = await call("/__dev/faults", { method: "POST", body: JSON.stringify({ d1LatencyMs: 80 }) });
    expect(await slow.json()).toEqual({ d1: "up", d1LatencyMs: 80 });

    const hit = await call(cachedPath, { token: analyst });
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect(hit.headers.get("server-timing")).toContain('d1;desc="0";dur=0.0');

    const miss = await call("/api/v1/plants/top?year=2015&state=NM&offset=100", { token: analyst });
    expect(miss.status).toBe(200);
    const d1 = /d1;desc="(\d+)";dur=([\d.]+)/.exec(miss.headers.get("server-timing") ?? "");
    expect(Number(d1?.[1])).toBeGreaterThan(0);
    expect(Number(d1?.[2])).toBeGreaterThanOrEqual(80 * Number(d1?.[1]));
  });
});
