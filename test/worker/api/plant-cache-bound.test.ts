import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeGeneratorCursor } from "../../../worker/api/generator-cursor";
import { PLANT_ENTRY_GENERATORS } from "../../../worker/api/plant-pages";
import { queryPlant } from "../../../worker/api/queries/plant";
import type { ActiveDataset } from "../../../worker/publication/active";
import { ingestCsv } from "../helpers/ingest";
import { call, userWithRole } from "./helpers";

// GET /plants/{id} stores one KV entry per plant and version, whatever limit and cursor are
// sent (worker/api/plant-pages.ts): crafted cursors write nothing, and every answer is the one
// the direct query gives.

const YEAR = 2013;
const HEADER =
  "Generator file sequence number,Data Year,Plant state abbreviation,Plant name,Generator ID,Generator annual net generation (MWh)\r\n" +
  "SEQGEN13,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n";
// More generators than one entry holds, so pages past the entry are read from D1.
const BIG = PLANT_ENTRY_GENERATORS + 150;

let analyst: string;
let dataset: ActiveDataset;

beforeAll(async () => {
  const rows = Array.from({ length: BIG }, (_, i) => `${i + 1},${YEAR},NM,Big,G${i},${i + 1}`);
  rows.push(`${BIG + 1},${YEAR},NM,Small,S1,5`);
  const done = await ingestCsv(HEADER + rows.map((r) => `${r}\r\n`).join(""), "bound/egrid2013.csv");
  expect(done.status).toBe("done");
  dataset = { year: YEAR, ingestionId: done.id, activatedAt: 0, objectKey: null, completedAt: null };
  analyst = (await userWithRole("analyst")).token;
}, 120_000);

const BIG_ID = encodeURIComponent("NM:Big");

/** Every stored plant answer of this version, whatever its key's form. */
async function plantKeys(): Promise<string[]> {
  const { keys } = await env.CACHE.list({ prefix: "api:v1:plant" });
  return keys.map((k) => k.name).filter((name) => name.includes(`:${dataset.ingestionId}:`));
}

interface PlantBody {
  data: { generators: { generatorId: string }[] };
  meta: { limit: number; nextCursor: string | null };
}

/** The API's answer and the direct query's, compared on what depends on limit and cursor. */
async function expectDirect(query: { limit: number; cursor?: string }): Promise<PlantBody> {
  const cursor = query.cursor ? `&cursor=${encodeURIComponent(query.cursor)}` : "";
  const res = await call(`/api/v1/plants/${BIG_ID}?year=${YEAR}&limit=${query.limit}${cursor}`, { token: analyst });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as PlantBody;
  const direct = JSON.parse(JSON.stringify(await queryPlant(env.DB, dataset, "NM:Big", query))) as PlantBody;
  expect(body.data).toEqual(direct.data);
  expect(body.meta.nextCursor).toBe(direct.meta.nextCursor);
  return body;
}

/** Waits for the after-response KV writes of earlier requests. */
async function settle(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const now = (await plantKeys()).length;
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the plant page cache is bounded", () => {
  it("answers every page of every limit as the direct query, from one stored entry", async () => {
    for (const limit of [7, 100, 333, 1000]) {
      let cursor: string | undefined;
      let seen = 0;
      do {
        const body = await expectDirect({ limit, cursor });
        seen += body.data.generators.length;
        cursor = body.meta.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, `limit ${limit}`).toBe(BIG);
    }
    await settle();
    expect(await plantKeys()).toHaveLength(1);
    // Pages inside the entry are hits: a cursor the API issued, for any limit.
    const first = await call(`/api/v1/plants/${BIG_ID}?year=${YEAR}&limit=3`, { token: analyst });
    const next = ((await first.json()) as PlantBody).meta.nextCursor ?? "";
    const res = await call(`/api/v1/plants/${BIG_ID}?year=${YEAR}&limit=50&cursor=${encodeURIComponent(next)}`, {
      token: analyst,
    });
    expect(res.headers.get("x-cache")).toBe("HIT");
  });

  it("writes no entry for crafted cursors, and answers them as before", async () => {
    const before = await plantKeys();
    // Well-formed cursors of this plant and version at positions no page ever ended on.
    for (const [chunk, pos] of [
      [0, 10_000],
      [7, 3],
      [-2, 5],
      [123_456, 0],
      [0, -1],
    ] as const) {
      for (const limit of [5, 999]) {
        await expectDirect({ limit, cursor: encodeGeneratorCursor(dataset.ingestionId, "NM:Big", { chunk, pos }) });
      }
    }
    await settle();
    expect(await plantKeys()).toEqual(before);
    // An unknown plant is a 404, never stored.
    const missing = await call(`/api/v1/plants/${encodeURIComponent("NM:Nowhere")}?year=${YEAR}`, { token: analyst });
    expect(missing.status).toBe(404);
    await settle();
    expect(await plantKeys()).toEqual(before);
  });

  it("stores one entry per plant asked for, at most", async () => {
    for (const limit of [1, 2, 50]) {
      const res = await call(`/api/v1/plants/${encodeURIComponent("NM:Small")}?year=${YEAR}&limit=${limit}`, {
        token: analyst,
      });
      expect(((await res.json()) as PlantBody).data.generators.map((g) => g.generatorId)).toEqual(["S1"]);
    }
    await settle();
    expect((await plantKeys()).length).toBeLessThanOrEqual(2);
  });
});
