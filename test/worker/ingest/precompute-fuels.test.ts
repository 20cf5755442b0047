import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { precomputeFuels, precomputeStatements, STORED_INGESTIONS } from "../../../worker/ingest/precompute-fuels";
import { purgeIngestionRows } from "../../../worker/ingest/retract";
import { call, loginAdmin } from "../api/helpers";
import { ingestCsv } from "../helpers/ingest";

const FULL_HEADER =
  "Generator file sequence number,Data Year,Plant state abbreviation,Plant name,DOE/EIA ORIS plant or facility code,Generator ID,Generator primary fuel,Generator nameplate capacity (MW),Generator annual net generation (MWh)\r\n" +
  "SEQGEN,YEAR,PSTATABB,PNAME,ORISPL,GENID,FUELG1,NAMEPCAP,GENNTAN\r\n";

function fullCsv(year: number, rows: [string, string, number, string, string, string, string][]): string {
  return (
    FULL_HEADER +
    rows.map((r, i) => `${i + 1},${year},${r[0]},${r[1]},${r[2]},${r[3]},${r[4]},${r[5]},${r[6]}\r\n`).join("")
  );
}

async function count(table: string, ingestionId: string): Promise<number> {
  return (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ingestion_id = ?`)
    .bind(ingestionId)
    .first<number>("n")) as number;
}

const TABLES = ["plant_fuels", "state_fuels", "state_summaries"];

describe("fuel precompute at publish", () => {
  it("counts a code outside EPA's table under OTHF, shows it as written, and warns on the ingestion", async () => {
    const ingestion = await ingestCsv(
      fullCsv(2005, [
        ["TX", "Odd Plant", 9001, "G1", "XYZ", "50", "1000"],
        ["TX", "Odd Plant", 9001, "G2", "ng", "10", "200"],
        ["TX", "Odd Plant", 9001, "G3", "", "5", "7"],
        ["TX", "Gas Plant", 9002, "G1", "NG", "100", "500"],
      ]),
      "uploads/fuels-2005.csv",
    );
    expect(ingestion.status).toBe("done");
    const { warnings } = ingestion as typeof ingestion & { warnings: string | null };
    expect(warnings).toContain("FUELG1 code not in EPA's fuel table: XYZ.");
    const token = await loginAdmin();
    const res = await call("/api/v1/plants/top?year=2005&state=TX", { token });
    const body = (await res.json()) as { data: { name: string; primaryFuel: string; primaryFuelCategory: string }[] };
    expect(body.data[0]).toMatchObject({ name: "Odd Plant", primaryFuel: "XYZ", primaryFuelCategory: "OTHF" });
    const othf = (await (await call("/api/v1/plants/top?year=2005&fuel=othf", { token })).json()) as {
      data: { name: string; fuelNetGenerationMwh: number; netGenerationMwh: number }[];
    };
    // The unknown code and the blank one: 1000 + 7; "ng" (lower case) is gas.
    expect(othf.data).toEqual([
      expect.objectContaining({ name: "Odd Plant", fuelNetGenerationMwh: 1007, netGenerationMwh: 1207 }),
    ]);
    const state = (await (await call("/api/v1/states/TX?year=2005", { token })).json()) as {
      data: { fuels: { category: string; netGenerationMwh: number; plantCount: number }[] };
    };
    expect(state.data.fuels.map((f) => [f.category, f.netGenerationMwh, f.plantCount])).toEqual([
      ["OTHF", 1007, 1],
      ["GAS", 700, 2],
    ]);
  });

  it("runs again without changing anything, and the migration's backfill fills a version the same way", async () => {
    const ingestion = await ingestCsv(
      fullCsv(2006, [
        ["OR", "Hydro One", 9101, "G1", "WAT", "100", "300"],
        ["OR", "Wind One", 9102, "G1", "WND", "80", "250"],
        ["WA", "Mixed", 9103, "G1", "SUN", "10", "20"],
        ["WA", "Mixed", 9103, "G2", "WND", "20", "40"],
      ]),
      "uploads/fuels-2006.csv",
    );
    const snapshot = async () =>
      Promise.all(
        TABLES.map(async (t) => {
          const { results } = await env.DB.prepare(`SELECT * FROM ${t} WHERE ingestion_id = ? ORDER BY 2, 3`)
            .bind(ingestion.id)
            .all();
          return results;
        }),
      );
    const before = await snapshot();
    expect(before.map((rows) => rows.length)).toEqual([4, 7, 3]); // OR 2 + WA 2 + US 3 mixes; OR, WA, US;
    await precomputeFuels(env.DB, ingestion.id);
    expect(await snapshot()).toEqual(before);
    for (const t of TABLES) await env.DB.prepare(`DELETE FROM ${t} WHERE ingestion_id = ?`).bind(ingestion.id).run();
    for (const sql of precomputeStatements(STORED_INGESTIONS)) await env.DB.prepare(sql).run();
    expect(await snapshot()).toEqual(before);
  });

  it("leaves the fuel tables of a file without FUELG1 empty but summarises its states", async () => {
    const csv =
      "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n1,2007,NV,Desert,G1,10\r\n2,2007,NV,Desert,G2,5\r\n3,2007,UT,Salt,G1,1\r\n";
    const ingestion = await ingestCsv(csv, "uploads/fuels-2007.csv");
    expect(await count("plant_fuels", ingestion.id)).toBe(0);
    expect(await count("state_fuels", ingestion.id)).toBe(0);
    const us = await env.DB.prepare("SELECT * FROM state_summaries WHERE ingestion_id = ? AND state = 'US'")
      .bind(ingestion.id)
      .first<{ plant_count: number; net_generation_mwh: number; has_fuel: number; top_plant_key: string }>();
    expect(us).toMatchObject({ plant_count: 2, net_generation_mwh: 16, has_fuel: 0, top_plant_key: "NV:Desert" });
  });

  it("deletes a purged version's rows with its plants, keeping the published one's", async () => {
    const rows: [string, string, number, string, string, string, string][] = [
      ["ID", "River", 9201, "G1", "WAT", "10", "100"],
      ["ID", "Sun", 9202, "G1", "SUN", "5", "10"],
    ];
    const old = await ingestCsv(fullCsv(2008, rows), "uploads/fuels-2008-a.csv");
    const current = await ingestCsv(
      fullCsv(2008, [...rows, ["ID", "Gas", 9203, "G1", "NG", "1", "1"]]),
      "uploads/fuels-2008-b.csv",
    );
    expect(await count("plant_fuels", old.id)).toBe(2);
    expect(await purgeIngestionRows(env, old.id)).toBe(true);
    for (const t of TABLES) expect(await count(t, old.id), t).toBe(0);
    expect(await count("plant_fuels", current.id)).toBe(3);
    expect(await count("state_summaries", current.id)).toBe(2);
  });
});
