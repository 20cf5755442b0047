import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../worker/api/app";
import { ingestCsv } from "../helpers/ingest";
import { call, loginAdmin, seedDataset } from "./helpers";

let token: string;
beforeAll(async () => {
  await seedDataset("cache-v1", 2023, [
    { name: "First", state: "GA", net: 200 },
    { name: "Second", state: "GA", net: 100 },
  ]);
  token = await loginAdmin();
});

async function topNames(res: Response): Promise<string[]> {
  const body = (await res.json()) as { data: { name: string }[] };
  return body.data.map((p) => p.name);
}

/** KV writes happen after the response (waitUntil); waits until a key containing `part` is listed. */
async function cachedKey(part: string): Promise<string | undefined> {
  for (let i = 0; i < 200; i++) {
    const { keys } = await env.CACHE.list({ prefix: "api:" });
    const found = keys.find((k) => k.name.includes(part));
    if (found) return found.name;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

describe("KV read-through cache", () => {
  it("misses, then hits, then misses again with new numbers once a new dataset is published", async () => {
    const first = await call("/api/v1/plants/top?state=GA", { token });
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(first.headers.get("cache-control")).toBe("private, max-age=60");
    expect(await topNames(first)).toEqual(["First", "Second"]);
    expect(await cachedKey(":top:cache-v1:")).toBeDefined();

    const second = await call("/api/v1/plants/top?state=GA", { token });
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await topNames(second)).toEqual(["First", "Second"]);

    // A completed ingestion flips the datasets row: every cache key changes with it.
    await seedDataset("cache-v2", 2023, [
      { name: "Newcomer", state: "GA", net: 900 },
      { name: "First", state: "GA", net: 200 },
    ]);
    const third = await call("/api/v1/plants/top?state=GA", { token });
    expect(third.headers.get("x-cache")).toBe("MISS");
    expect(third.headers.get("etag")).not.toBe(first.headers.get("etag"));
    const body = (await third.json()) as { data: { name: string }[]; meta: { datasetVersion: string } };
    expect(body.data.map((p) => p.name)).toEqual(["Newcomer", "First"]);
    expect(body.meta.datasetVersion).toBe("cache-v2");
  });

  it("serves the cached body as it was stored (a HIT really comes from KV)", async () => {
    await call("/api/v1/states", { token });
    const key = await cachedKey(":states:");
    expect(key).toBeDefined();
    await env.CACHE.put(key as string, JSON.stringify({ data: [], meta: { marker: "from-kv" } }));
    const res = await call("/api/v1/states", { token });
    expect(res.headers.get("x-cache")).toBe("HIT");
    expect(await res.json()).toEqual({ data: [], meta: { marker: "from-kv" } });
    await env.CACHE.delete(key as string);
  });

  it("answers 304 to If-None-Match with the current ETag, 200 with a stale one", async () => {
    const res = await call("/api/v1/plants/top?n=1", { token });
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await call("/api/v1/plants/top?n=1", { token, headers: { "If-None-Match": etag as string } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");
    const stale = await call("/api/v1/plants/top?n=1", { token, headers: { "If-None-Match": '"0000"' } });
    expect(stale.status).toBe(200);
    const states = await call("/api/v1/states", { token });
    const states304 = await call("/api/v1/states", {
      token,
      headers: { "If-None-Match": states.headers.get("etag") as string },
    });
    expect(states304.status).toBe(304);
  });

  it("answers from D1 when KV throws, and does not write to the failing KV", async () => {
    const writes: string[] = [];
    const broken = {
      get: () => Promise.reject(new Error("KV is down")),
      put: (key: string) => {
        writes.push(key);
        return Promise.reject(new Error("KV is down"));
      },
    } as unknown as KVNamespace;
    const res = await app.request(
      "/api/v1/plants/top?state=GA",
      { headers: { Authorization: `Bearer ${token}` } },
      { ...env, CACHE: broken },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-cache")).toBe("MISS");
    expect(await topNames(res)).toEqual(["Newcomer", "First"]);
    expect(writes).toEqual([]);
  });

  it("answers from D1 when a KV read never returns", async () => {
    const writes: string[] = [];
    const hanging = {
      get: () => new Promise(() => {}),
      put: (key: string) => {
        writes.push(key);
        return Promise.resolve();
      },
    } as unknown as KVNamespace;
    const res = await app.request(
      "/api/v1/plants/top?state=GA&n=1",
      { headers: { Authorization: `Bearer ${token}` } },
      { ...env, CACHE: hanging },
    );
    expect(res.status).toBe(200);
    expect(await topNames(res)).toEqual(["Newcomer"]);
    expect(writes).toEqual([]);
  });

  it("writes an entry KV reported absent", async () => {
    const writes: string[] = [];
    const empty = {
      get: () => Promise.resolve(null),
      put: (key: string) => {
        writes.push(key);
        return Promise.resolve();
      },
    } as unknown as KVNamespace;
    const res = await app.request(
      "/api/v1/plants/top?state=GA&n=2",
      { headers: { Authorization: `Bearer ${token}` } },
      { ...env, CACHE: empty },
    );
    expect(res.status).toBe(200);
    expect(writes).toEqual([expect.stringContaining(":top:cache-v2:")]);
  });

  it("serves the new numbers right after the pipeline publishes a revision of the year", async () => {
    const csv = (rows: string[]) => ["SEQGEN19,YEAR,PSTATEABB,PNAME,GENID,GENNTAN", ...rows, ""].join("\r\n");
    const original = await ingestCsv(csv(["1,2019,OR,Original,1,500", "2,2019,OR,Runner Up,1,400"]));
    expect(original.status).toBe("done");
    const miss = await call("/api/v1/plants/top?year=2019&state=OR", { token });
    expect(miss.headers.get("x-cache")).toBe("MISS");
    expect(await topNames(miss)).toEqual(["Original", "Runner Up"]);
    await cachedKey(`:top:${original.id}:`);
    const hit = await call("/api/v1/plants/top?year=2019&state=OR", { token });
    expect(hit.headers.get("x-cache")).toBe("HIT");

    const revision = await ingestCsv(csv(["1,2019,OR,Original,1,500", "2,2019,OR,Runner Up,1,900"]));
    expect(revision.status).toBe("done");
    const after = await call("/api/v1/plants/top?year=2019&state=OR", { token });
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(await topNames(after)).toEqual(["Runner Up", "Original"]);
  });

  it("sends a 304 the cache headers the 200 carries (RFC 9110 15.4.5), on every cached route", async () => {
    // After the test above: 2019 went through the pipeline, so its precomputes exist.
    const paths = [
      "/api/v1/plants/top?n=1",
      "/api/v1/plants/top?year=2019&state=OR",
      "/api/v1/plants/OR:Original?year=2019",
      "/api/v1/plants/OR:Original/history",
      "/api/v1/plants?search=original&year=2019",
      "/api/v1/states",
      "/api/v1/states/OR?year=2019",
      "/api/v1/states/OR/history",
      "/api/v1/years",
    ];
    for (const path of paths) {
      const ok = await call(path, { token });
      expect(ok.status, path).toBe(200);
      const revalidated = await call(path, { token, headers: { "If-None-Match": ok.headers.get("etag") as string } });
      expect(revalidated.status, path).toBe(304);
      for (const header of ["etag", "cache-control", "vary"]) {
        expect(revalidated.headers.get(header), `${path} ${header}`).toBe(ok.headers.get(header));
      }
    }
  });
});
