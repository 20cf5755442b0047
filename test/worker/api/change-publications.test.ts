import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { purgeIngestionRows } from "../../../worker/ingest/retract";
import { ingestCsv } from "../helpers/ingest";
import { call, userWithRole, waitForCacheKey } from "./helpers";

// The previous year follows the current publications: republishing or withdrawing the earlier
// year changes every answer that shows change (top-N rows, movers), cached ones included. Also
// names matched and searched across accents and punctuation. Synthetic files, years of their own.

const HEADER =
  "Generator file sequence number,Data Year,Plant state abbreviation,Plant name,DOE/EIA ORIS plant or facility code,Generator ID,Generator primary fuel,Generator nameplate capacity (MW),Generator annual net generation (MWh)\r\n" +
  "SEQGEN,YEAR,PSTATABB,PNAME,ORISPL,GENID,FUELG1,NAMEPCAP,GENNTAN\r\n";
const NO_ORISPL_HEADER =
  "Generator file sequence number,Data Year,Plant state abbreviation,Plant name,Generator ID,Generator annual net generation (MWh)\r\n" +
  "SEQGEN,YEAR,PSTATABB,PNAME,GENID,GENNTAN\r\n";

/** A file of one-generator plants: [state, name, orispl, fuel, net]. */
function csv(year: number, plants: [string, string, number, string, number][]): string {
  return (
    HEADER + plants.map((p, i) => `${i + 1},${year},${p[0]},"${p[1]}",${p[2]},G1,${p[3]},100,${p[4]}\r\n`).join("")
  );
}

interface Row {
  name: string;
  previous: { year: number; netGenerationMwh: number; rank: number; matchedBy: string } | null;
  changeMwh: number | null;
  changePct: number | null;
}

async function json<T>(path: string, token: string): Promise<T> {
  const res = await call(path, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

const A = (net: number) => ["TX", "Alpha Wind", 101, "WND", net] as [string, string, number, string, number];
const B = (net: number) => ["TX", "Beta Gas", 102, "NG", net] as [string, string, number, string, number];

describe("change against the current publication of the earlier year", () => {
  it("follows a republished and a withdrawn earlier year, cache included; purging removes its rows", async () => {
    const owner = await userWithRole("owner");
    await ingestCsv(csv(2005, [A(90), B(80)]), "uploads/change-2005.csv");
    const v1 = await ingestCsv(csv(2006, [A(100), B(50)]), "uploads/change-2006-v1.csv");
    const y2007 = await ingestCsv(csv(2007, [A(150), B(40)]), "uploads/change-2007.csv");
    const top = async () =>
      (await json<{ data: Row[] }>("/api/v1/plants/top?year=2007&state=TX", owner.token)).data.map((r) => [
        r.name,
        r.previous?.year,
        r.previous?.netGenerationMwh,
        r.previous?.rank,
        r.changeMwh,
        r.changePct,
      ]);
    const movers = async () =>
      (await json<{ data: Row[]; meta: { previousYear: number } }>("/api/v1/plants/movers?year=2007", owner.token))
        .data;
    expect(await top()).toEqual([
      ["Alpha Wind", 2006, 100, 1, 50, 50],
      ["Beta Gas", 2006, 50, 2, -10, -20],
    ]);
    expect((await movers()).map((r) => [r.name, r.changeMwh])).toEqual([
      ["Alpha Wind", 50],
      ["Beta Gas", -10],
    ]);
    // Both answers are in KV under the 2007 version paired with 2006's v1.
    await waitForCacheKey(`top:${y2007.id}~${v1.id}`);
    await waitForCacheKey(`movers:${y2007.id}~${v1.id}`);

    const v2 = await ingestCsv(csv(2006, [A(200), B(10)]), "uploads/change-2006-v2.csv");
    expect(await top()).toEqual([
      ["Alpha Wind", 2006, 200, 1, -50, -25],
      ["Beta Gas", 2006, 10, 2, 30, 300],
    ]);
    expect((await movers()).map((r) => [r.name, r.changeMwh])).toEqual([
      ["Beta Gas", 30],
      ["Alpha Wind", -50],
    ]);

    expect((await call("/api/v1/datasets/2006/active", { method: "DELETE", token: owner.token })).status).toBe(200);
    expect(await top()).toEqual([
      ["Alpha Wind", 2005, 90, 1, 60, 66.67],
      ["Beta Gas", 2005, 80, 2, -40, -50],
    ]);
    const fallback = await json<{ meta: { previousYear: number } }>("/api/v1/plants/movers?year=2007", owner.token);
    expect(fallback.meta.previousYear).toBe(2005);

    // v1 is no longer published: purging deletes its precomputed rows and its pairs.
    expect(await purgeIngestionRows(env, v1.id)).toBe(true);
    for (const [table, column] of [
      ["plant_years", "ingestion_id"],
      ["plant_name_tokens", "ingestion_id"],
      ["plant_changes", "previous_ingestion_id"],
      ["change_pairs", "previous_ingestion_id"],
    ]) {
      const n = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`)
        .bind(v1.id)
        .first<number>("n");
      expect(n, table).toBe(0);
    }
    // v2 (withdrawn, still stored) keeps its own.
    const kept = await env.DB.prepare("SELECT count(*) AS n FROM plant_years WHERE ingestion_id = ?")
      .bind(v2.id)
      .first<number>("n");
    expect(kept).toBe(2);
  });
});

describe("names across accents and punctuation", () => {
  it("links a year without ORISPL by state and name, and searches word prefixes without accents", async () => {
    const owner = await userWithRole("owner");
    await ingestCsv(csv(2001, [["NM", "Penasco Solar, LLC", 501, "SUN", 1000]]), "uploads/names-2001.csv");
    await ingestCsv(
      `${NO_ORISPL_HEADER}1,2002,NM,"Peñasco Solar LLC",G1,1200\r\n2,2002,NM,"Other Solar",G1,5\r\n`,
      "uploads/names-2002.csv",
    );
    const top = await json<{ data: (Row & { plantId: string })[] }>(
      "/api/v1/plants/top?year=2002&state=NM",
      owner.token,
    );
    expect(top.data[0]).toMatchObject({
      plantId: "NM:Peñasco Solar LLC",
      previous: { year: 2001, plantId: "501", netGenerationMwh: 1000, matchedBy: "name" },
      changeMwh: 200,
      changePct: 20,
    });
    expect(top.data[1]?.previous).toBeNull();
    for (const search of ["PEÑ", "penas sol", "peñasco-solar"]) {
      const body = await json<{ data: { name: string }[]; meta: { total: number } }>(
        `/api/v1/plants?search=${encodeURIComponent(search)}&year=2002`,
        owner.token,
      );
      expect(
        body.data.map((h) => h.name),
        search,
      ).toEqual(["Peñasco Solar LLC"]);
    }
    const none = await json<{ data: unknown[] }>("/api/v1/plants?search=solar%20llc%20x&year=2002", owner.token);
    expect(none.data).toEqual([]);
    const history = await json<{ data: { year: number; matchedBy: string }[] }>(
      `/api/v1/plants/${encodeURIComponent("NM:Peñasco Solar LLC")}/history`,
      owner.token,
    );
    expect(history.data.map((e) => [e.year, e.matchedBy])).toEqual([
      [2001, "name"],
      [2002, "name"],
    ]);
  });
});
