import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { queryTopPlants } from "../../../worker/api/queries/top-plants";
import { TOP_PAGE_SIZE } from "../../../worker/api/top-pages";
import type { ActiveDataset } from "../../../worker/publication/active";
import { call, type SeedPlant, seedDataset, userWithRole } from "./helpers";

const YEAR = 2016;
const VERSION = "pages-v1";
// 250 plants in UT (2.5 pages), some sharing a net value, a few unknown; 40 in WY.
const plants: SeedPlant[] = [
  ...Array.from({ length: 250 }, (_, i) => ({
    name: `Utah ${String(i).padStart(3, "0")}`,
    state: "UT",
    net: i % 17 === 0 ? null : 1000 - Math.floor(i / 3),
  })),
  ...Array.from({ length: 40 }, (_, i) => ({ name: `Wyoming ${i}`, state: "WY", net: 500 + i })),
];
const dataset: ActiveDataset = { year: YEAR, ingestionId: VERSION, activatedAt: 0, objectKey: null, completedAt: null };

let analyst: string;
beforeAll(async () => {
  analyst = (await userWithRole("analyst")).token;
  await seedDataset(VERSION, YEAR, plants);
  const [row] = (
    await env.DB.prepare(
      "SELECT activated_at, object_key, completed_at FROM datasets d JOIN ingestions i ON i.id = d.ingestion_id WHERE d.data_year = ?",
    )
      .bind(YEAR)
      .all<{ activated_at: number; object_key: string; completed_at: number }>()
  ).results;
  Object.assign(dataset, {
    activatedAt: row?.activated_at,
    objectKey: row?.object_key,
    completedAt: row?.completed_at,
  });
});

async function pageKeys(): Promise<string[]> {
  const { keys } = await env.CACHE.list({ prefix: `api:v1:top:${VERSION}:` });
  return keys.map((k) => k.name);
}

async function settle(): Promise<void> {
  // KV writes run after the response; wait until the key count stops changing.
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = (await pageKeys()).length;
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("top-N from cached pages", () => {
  it("answers any n and offset exactly as the direct query, hit or miss", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("UT", "WY", null),
        fc.integer({ min: 1, max: 260 }),
        fc.integer({ min: 0, max: 320 }),
        async (state, n, offset) => {
          const res = await call(
            `/api/v1/plants/top?year=${YEAR}&n=${n}&offset=${offset}${state ? `&state=${state}` : ""}`,
            {
              token: analyst,
            },
          );
          expect(res.status).toBe(200);
          // Rows carry the previous year as the pages do (none here: one year only).
          const direct = await queryTopPlants(env.DB, dataset, { state, n, offset });
          expect(await res.json()).toEqual(JSON.parse(JSON.stringify(direct)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("stores at most one entry per 100 plants of a scope, whatever is asked", async () => {
    for (let offset = 0; offset < 400; offset += 7) {
      for (const n of [1, 33, 250]) {
        const res = await call(`/api/v1/plants/top?year=${YEAR}&state=UT&n=${n}&offset=${offset}`, { token: analyst });
        expect(res.status).toBe(200);
      }
    }
    await settle();
    const utPages = (await pageKeys()).filter((k) => k.includes("state=UT"));
    expect(utPages.length).toBeLessThanOrEqual(Math.ceil(250 / TOP_PAGE_SIZE));
    expect(utPages.every((k) => /page=[0-2]&/.test(k))).toBe(true);
  });
});
