import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyAccessToken } from "../../../worker/auth/tokens";
import { USER_REFRESH_AFTER_MS } from "../../../worker/auth/users";
import { forgetDatasetsPointer, POINTER_KEY, POINTER_MEMORY_MS } from "../../../worker/publication/pointer";
import { call, forgeToken, seedDataset, userWithRole, waitForCacheKey } from "./helpers";

/** Server-Timing `desc` of metric `name`. */
function desc(res: Response, name: string): string | undefined {
  const metric = res.headers
    .get("server-timing")
    ?.split(",")
    .map((m) => m.trim())
    .find((m) => m.startsWith(`${name};`));
  return /desc="?([^";]*)"?/.exec(metric ?? "")?.[1];
}

let analyst: { id: string; token: string };
beforeAll(async () => {
  analyst = await userWithRole("analyst");
  await seedDataset("hot-2016-v1", 2016, [
    { name: "Alpha", state: "NM", net: 30 },
    { name: "Beta", state: "NM", net: 20 },
  ]);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the hot path of a cache hit", () => {
  it("answers a repeated hit from isolate memory: no KV call and no D1 query", async () => {
    const path = "/api/v1/plants/top?year=2016&state=NM&n=2";
    expect((await call(path, { token: analyst.token })).headers.get("x-cache")).toBe("MISS");
    await waitForCacheKey(":top:hot-2016-v1:");
    const fromKv = await call(path, { token: analyst.token });
    expect(fromKv.headers.get("x-cache")).toBe("HIT");
    const fromMemory = await call(path, { token: analyst.token });
    expect(fromMemory.headers.get("x-cache")).toBe("HIT");
    expect(desc(fromMemory, "kv")).toBe("0");
    expect(desc(fromMemory, "d1")).toBe("0");
    expect(await fromMemory.text()).toBe(await fromKv.text());
  });

  it("sees a pointer another location wrote within POINTER_MEMORY_MS", async () => {
    const version = async () => {
      const res = await call("/api/v1/plants/top?year=2016&state=NM", { token: analyst.token });
      return ((await res.json()) as { meta: { datasetVersion: string } }).meta.datasetVersion;
    };
    expect(await version()).toBe("hot-2016-v1");
    // Written as another location's publish would reach this one: straight into KV.
    await seedDataset("hot-2016-v2", 2016, [{ name: "Gamma", state: "NM", net: 90 }], { publish: false });
    const pointer = JSON.parse((await env.CACHE.get(POINTER_KEY)) ?? "[]") as { year: number; ingestionId: string }[];
    const moved = pointer.map((d) => (d.year === 2016 ? { ...d, ingestionId: "hot-2016-v2" } : d));
    await env.CACHE.put(POINTER_KEY, JSON.stringify(moved));
    await new Promise((r) => setTimeout(r, POINTER_MEMORY_MS + 50));
    expect(await version()).toBe("hot-2016-v2");
    forgetDatasetsPointer();
  });
});

describe("remembered access tokens", () => {
  it("are refused once their signing key is no longer configured", async () => {
    const token = await forgeToken({ sub: analyst.id, kid: "test-old" });
    expect((await verifyAccessToken(env.JWT_SIGNING_KEYS, token)).sub).toBe(analyst.id);
    const remaining = (JSON.parse(env.JWT_SIGNING_KEYS) as { kid: string }[]).filter((k) => k.kid !== "test-old");
    await expect(verifyAccessToken(JSON.stringify(remaining), token)).rejects.toThrow(/unknown signing key/);
  });

  it("are refused once expired, though verified before", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await forgeToken({ sub: analyst.id, exp: now + 60 });
    expect((await verifyAccessToken(env.JWT_SIGNING_KEYS, token)).sub).toBe(analyst.id);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime((now + 200) * 1000);
    await expect(verifyAccessToken(env.JWT_SIGNING_KEYS, token)).rejects.toThrow(/expired/);
  });

  it("use a user row checked 15-30 s ago at once and re-read it after the response", async () => {
    const user = await userWithRole("analyst");
    const started = Date.now();
    expect((await call("/api/v1/datasets", { token: user.token })).status).toBe(403);
    // Promoted by hand in D1, as another isolate's change would be: this isolate has not seen it.
    await env.DB.prepare("UPDATE users SET role = 'owner' WHERE id = ?").bind(user.id).run();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(started + USER_REFRESH_AFTER_MS + 1_000);
    // Within USER_CACHE_MS: answered with the row in memory, and that row is re-read meanwhile.
    expect((await call("/api/v1/datasets", { token: user.token })).status).toBe(403);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await call("/api/v1/datasets", { token: user.token })).status;
    }
    expect(status).toBe(200);
  });

  it("still answer with the user's current role and existence", async () => {
    const user = await userWithRole("analyst");
    expect((await call("/api/v1/years", { token: user.token })).status).toBe(200);
    const admin = await userWithRole("admin");
    expect((await call(`/api/v1/users/${user.id}`, { method: "DELETE", token: admin.token })).status).toBeLessThan(300);
    const after = await call("/api/v1/years", { token: user.token });
    expect(after.status).toBe(401);
  });
});
