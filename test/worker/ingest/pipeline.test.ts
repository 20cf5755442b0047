import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ingestCsv } from "../helpers/ingest";

const HEADER =
  "Generator file sequence number,Data Year,Plant state abbreviation,Plant name,Generator ID,Generator annual net generation (MWh)\r\nSEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n";

function genCsv(rows: string[]): string {
  return HEADER + rows.map((r) => `${r}\r\n`).join("");
}

async function activePlants(year: number) {
  const { results } = await env.DB.prepare(
    `SELECT p.plant_key, p.name, p.state, p.net_generation_mwh, p.generator_count, p.unknown_generator_count
     FROM plants p JOIN datasets d ON d.ingestion_id = p.ingestion_id AND d.data_year = ?
     ORDER BY p.net_generation_mwh DESC, p.name`,
  )
    .bind(year)
    .all();
  return results;
}

describe("R2 object -> notification -> queue consumer -> D1", () => {
  it("loads a messy file and publishes plant totals", async () => {
    const ingestion = await ingestCsv(
      genCsv([
        '1,2023,TX,"Big Plant, Unit A",G1,"20,961"',
        '2,2023,TX,"Big Plant, Unit A",G2, (11)',
        '3,2023,TX,"Big Plant, Unit A",G3,',
        '4,2023,AZ,Storage,PS1," (18,847)"',
        "5,2023,ZZ,Nowhere,G1,5",
        "6,2023,AZ,Solar One,S1,abc",
      ]),
    );
    expect(ingestion).toMatchObject({ status: "done", rows_read: 6, rows_loaded: 4, rows_rejected: 2, plant_count: 2 });
    expect(await activePlants(2023)).toEqual([
      {
        plant_key: "TX:Big Plant, Unit A",
        name: "Big Plant, Unit A",
        state: "TX",
        net_generation_mwh: 20_950,
        generator_count: 3,
        unknown_generator_count: 1,
      },
      {
        plant_key: "AZ:Storage",
        name: "Storage",
        state: "AZ",
        net_generation_mwh: -18_847,
        generator_count: 1,
        unknown_generator_count: 0,
      },
    ]);
    const { results: rejected } = await env.DB.prepare(
      "SELECT line, reason FROM rejected_rows WHERE ingestion_id = ? ORDER BY line",
    )
      .bind(ingestion.id)
      .all();
    expect(rejected).toEqual([
      { line: 7, reason: expect.stringContaining('unknown state code "ZZ"') },
      { line: 8, reason: expect.stringContaining('"abc" is not a number') },
    ]);
  });
});
