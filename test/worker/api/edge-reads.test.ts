import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../worker/api/app";
import { forgetDatasetsPointer, POINTER_KEY } from "../../../worker/publication/pointer";
import { ingestCsv } from "../helpers/ingest";
import { call, seedDataset, userWithRole, waitForCacheKey } from "./helpers";

/**
 * TEST DOUBLE of D1: the real database, counting every statement prepared on it or on a session
 * of it (no query runs without one).
 */
function countingD1(db: D1Database) {
  const counter = { prepared: 0 };
  const count = <T extends Pick<D1Database, "prepare">>(target: T): T =>
    new Proxy(target, {
      get(t, prop) {
        if (prop === "prepare") {
          return (sql: string) => {
            counter.prepared += 1;
            return t.prepare(sql);
          };
        }
        if (prop === "withSession") return (c?: string) => count(db.withSession(c));
        const value = Reflect.get(t, prop);
        return typeof value === "function" ? value.bind(t) : value;
      },
    });
  return { db: count(db), counter };
}

let analyst: string;
beforeAll(async () => {
  analyst = (await userWithRole("analyst")).token;
  // Storage persists across the tests of a file: each test uses its own year.
  for (const year of [2011, 2012, 2013]) {
    await seedDataset(`edge-${year}-v1`, year, [
      { name: "Alpha", state: "TX", net: 300 },
      { name: "Beta", state: "TX", net: 200 },
    ]);
  }
});

describe("edge-served reads", () => {
  it("answers a cached top-N request without a single D1 query", async () => {
    const { db, counter } = countingD1(env.DB);
    const request = () =>
      app.request(
        "/api/v1/plants/top?state=TX&n=2&year=2011",
        { headers: { Authorization: `Bearer ${analyst}` } },
        {
          ...env,
          DB: db,
        },
      );
    const miss = await request();
    expect(miss.headers.get("x-cache")).toBe("MISS");
    expect(counter.prepared).toBeGreaterThan(0);
    await waitForCacheKey(":top:edge-2011-v1:");

    counter.prepared = 0;
    const hit = await request();
    expect(hit.status).toBe(200);
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect(counter.prepared).toBe(0);
    expect(((await hit.json()) as { data: { name: string }[] }).data.map((p) => p.name)).toEqual(["Alpha", "Beta"]);
  });

  it("serves a newly published and a withdrawn year on the next request", async () => {
    const read = () => call("/api/v1/plants/top?state=TX&year=2012", { token: analyst });
    expect(((await (await read()).json()) as { meta: { datasetVersion: string } }).meta.datasetVersion).toBe(
      "edge-2012-v1",
    );
    await seedDataset("edge-2012-v2", 2012, [{ name: "Gamma", state: "TX", net: 900 }]);
    const next = (await (await read()).json()) as { data: { name: string }[]; meta: { datasetVersion: string } };
    expect(next.meta.datasetVersion).toBe("edge-2012-v2");
    expect(next.data.map((p) => p.name)).toEqual(["Gamma"]);

    const owner = (await userWithRole("owner")).token;
    const withdrawn = await call("/api/v1/datasets/2012/active", { method: "DELETE", token: owner });
    expect(withdrawn.status).toBe(200);
    expect((await read()).status).toBe(404);
    expect((await call("/api/v1/states?year=2012", { token: analyst })).status).toBe(404);
  });

  it("rebuilds a missing pointer from D1, and owners always read D1", async () => {
    await env.CACHE.delete(POINTER_KEY);
    // As in an isolate that has not read the pointer in the last POINTER_MEMORY_MS.
    forgetDatasetsPointer();
    const { db, counter } = countingD1(env.DB);
    const owner = (await userWithRole("owner")).token;
    const asOwner = () =>
      app.request("/api/v1/years", { headers: { Authorization: `Bearer ${owner}` } }, { ...env, DB: db });
    await asOwner();
    counter.prepared = 0;
    const res = await asOwner();
    expect(res.status).toBe(200);
    expect(counter.prepared).toBeGreaterThan(0);

    const years = await call("/api/v1/years", { token: analyst });
    expect(((await years.json()) as { data: { ingestionId: string }[] }).data.map((d) => d.ingestionId)).toContain(
      "edge-2013-v1",
    );
    for (let i = 0; i < 200 && !(await env.CACHE.get(POINTER_KEY)); i++) await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse((await env.CACHE.get(POINTER_KEY)) ?? "[]")).toContainEqual(
      expect.objectContaining({ year: 2013, ingestionId: "edge-2013-v1" }),
    );
  });

  it("serves what the real pipeline publishes or retracts on the next request, to analysts too", async () => {
    const csv = (net: number) =>
      ["SEQGEN19,YEAR,PSTATEABB,PNAME,GENID,GENNTAN", `1,2008,OR,Falls,1,${net}`, "2,2008,OR,Ridge,1,100", ""].join(
        "\r\n",
      );
    const version = async () => {
      const res = await call("/api/v1/plants/top?year=2008&state=OR", { token: analyst });
      return ((await res.json()) as { meta: { datasetVersion: string } }).meta.datasetVersion;
    };
    const first = await ingestCsv(csv(500), "edge/egrid2008-a.csv");
    expect(first.status).toBe("done");
    expect(await version()).toBe(first.id);
    const second = await ingestCsv(csv(900), "edge/egrid2008-b.csv");
    expect(second.status).toBe("done");
    expect(await version()).toBe(second.id);

    // Deleting the published file retracts it: the year falls back to the other upload.
    await env.UPLOADS.delete("edge/egrid2008-b.csv");
    await env.INGEST_QUEUE.send({
      account: "local",
      action: "DeleteObject",
      bucket: env.UPLOADS_BUCKET_NAME,
      object: { key: "edge/egrid2008-b.csv" },
      eventTime: new Date().toISOString(),
    });
    for (let i = 0; i < 500; i++) {
      const row = await env.DB.prepare("SELECT ingestion_id FROM datasets WHERE data_year = 2008").first<string>(
        "ingestion_id",
      );
      if (row === first.id) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await version()).toBe(first.id);
  });

  it("owners read the datasets table itself, even when the pointer lags", async () => {
    await seedDataset("edge-2010-v1", 2010, [{ name: "Old", state: "MT", net: 1 }]);
    const lagging = await env.CACHE.get(POINTER_KEY);
    await seedDataset("edge-2010-v2", 2010, [{ name: "New", state: "MT", net: 2 }]);
    // A location the new pointer has not reached yet still holds the old one.
    await env.CACHE.put(POINTER_KEY, lagging as string);
    const owner = (await userWithRole("owner")).token;
    const res = await call("/api/v1/plants/top?year=2010", { token: owner });
    expect(((await res.json()) as { meta: { datasetVersion: string } }).meta.datasetVersion).toBe("edge-2010-v2");
    await env.CACHE.delete(POINTER_KEY);
  });
});
