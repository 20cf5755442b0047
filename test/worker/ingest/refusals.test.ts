import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestCsv } from "../helpers/ingest";

const PLANT_SHEET =
  "Plant file sequence number,Data Year,Plant state abbreviation,Plant name,DOE/EIA ORIS plant or facility code,Plant annual net generation (MWh)\r\n" +
  'SEQPLT23,YEAR,PSTATABB,PNAME,ORISPL,PLNGENAN\r\n1,2023,AK,Alakanuk,57053,"1,234"\r\n';

describe("files the pipeline refuses, each with a record saying why, existing data untouched", () => {
  it("keeps serving the published year whatever is thrown at it", async () => {
    const good = await ingestCsv(genCsv(syntheticRows(6)), "good.csv");
    expect(good.status).toBe("done");
    const cases: Array<[string, string | Uint8Array, string, RegExp]> = [
      [
        "plant-sheet.csv",
        PLANT_SHEET,
        "failed",
        /missing.*|no header row with the columns SEQGENyy, GENID, GENNTAN.*PLNT \(plant\) sheet/,
      ],
      [
        "image.csv",
        new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]),
        "failed",
        /a PNG image, not CSV text/,
      ],
      ["workbook.csv", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0]), "failed", /ZIP archive/],
      [
        "nul.csv",
        `${genCsv(["1,2023,TX,A,G1,1"])}\u0000`,
        "failed",
        /binary, not CSV text \(a NUL byte at offset \d+\)/,
      ],
      ["headers-only.csv", genCsv([]), "failed", /GEN header but no data rows/],
      ["empty.csv", "", "failed", /The file is empty/],
      ["notes.txt", genCsv(syntheticRows(3)), "skipped", /is not a \.csv file/],
      [
        "all-bad.csv",
        genCsv(["1,2023,XX,A,G1,1", "2,2023,TX,,G1,2"]),
        "failed",
        /None of the 2 data rows could be loaded/,
      ],
      ["one-line.csv", "x".repeat(200_000), "failed", /Not an eGRID generator \(GEN\) sheet/],
    ];
    for (const [key, body, status, message] of cases) {
      const record = await ingestCsv(body, key);
      expect(record.status, key).toBe(status);
      expect(record.error, key).toMatch(message);
    }
    const active = await env.DB.prepare("SELECT ingestion_id FROM datasets WHERE data_year = 2023").first(
      "ingestion_id",
    );
    expect(active).toBe(good.id);
    const plants = await env.DB.prepare("SELECT count(*) AS n FROM plants WHERE ingestion_id = ?")
      .bind(good.id)
      .first("n");
    expect(plants).toBe(6);
  });

  it("rejects an unterminated quote at the end but loads the rows before it", async () => {
    const record = await ingestCsv(`${genCsv(syntheticRows(3))}4,2023,TX,"Never closed,G1,5\r\n`, "open-quote.csv");
    expect(record).toMatchObject({ status: "done", rows_loaded: 3, rows_rejected: 1 });
    const rejected = await env.DB.prepare("SELECT line, reason FROM rejected_rows WHERE ingestion_id = ?")
      .bind(record.id)
      .first();
    expect(rejected).toEqual({ line: 6, reason: expect.stringContaining("unterminated quote") });
  });

  it("rejects a repeated sequence number as a duplicate row", async () => {
    const rows = syntheticRows(3, 2016);
    const record = await ingestCsv(genCsv([...rows, rows[1] as string]), "dupes.csv");
    expect(record).toMatchObject({ status: "done", rows_loaded: 3, rows_rejected: 1 });
    const rejected = await env.DB.prepare("SELECT line, reason FROM rejected_rows WHERE ingestion_id = ?")
      .bind(record.id)
      .first();
    expect(rejected).toEqual({ line: 6, reason: "duplicate of line 4 (same sequence number 2)" });
  });
});

describe("layouts of real exports", () => {
  it("reads the 17-column GEN sheet with ORISPL as plant identity, fuel of the largest generator and capacity", async () => {
    const header =
      "SEQGEN15,YEAR,PSTATABB,PNAME,ORISPL,GENID,NUMBLR,GENSTAT,PRMVR,FUELG1,NAMEPCAP,CFACT,GENNTAN,GENNTOZ,GENERSRC,GENYRONL,GENYRRET\n";
    const csv =
      header +
      "1,2015,NC,Smithfield Packaged Meats Corp.,50100,1,,OP,ST,NG,5.5,0.1,144,,gas,1990,\n" +
      '2,2015,NC,Smithfield Packaged Meats Corp.,50100,2,,OP,ST,BIT,20,0.2,"1,000",,coal,1991,\n' +
      "3,2015,NC,Smithfield Packaged Meats Corp.,50200,1,,OP,ST,NG,3,0.1,382,,gas,1995,\n";
    const record = await ingestCsv(csv, "full-2015.csv");
    expect(record).toMatchObject({ status: "done", rows_loaded: 3, plant_count: 2 });
    const { results } = await env.DB.prepare(
      "SELECT plant_key, orispl, name, net_generation_mwh, primary_fuel, capacity_mw FROM plants WHERE ingestion_id = ? ORDER BY plant_key",
    )
      .bind(record.id)
      .all();
    expect(results).toEqual([
      {
        plant_key: "50100",
        orispl: 50100,
        name: "Smithfield Packaged Meats Corp.",
        net_generation_mwh: 1144,
        primary_fuel: "BIT",
        capacity_mw: 25.5,
      },
      {
        plant_key: "50200",
        orispl: 50200,
        name: "Smithfield Packaged Meats Corp.",
        net_generation_mwh: 382,
        primary_fuel: "NG",
        capacity_mw: 3,
      },
    ]);
  });

  it("reads an Excel export: BOM, empty leading column, code row only, LF, quoted newlines", async () => {
    const csv =
      "\uFEFF,seqgen14,year,pstateabb,pname,genid,genntan\n" +
      ',1,2014,tx,"Multi\nLine Plant",G1,"1,500"\n' +
      ",2,2014,TX,Other,G1, (25)\n";
    const record = await ingestCsv(csv, "excel-2014.csv");
    expect(record).toMatchObject({ status: "done", rows_loaded: 2, plant_count: 2, data_year: 2014 });
    const { results } = await env.DB.prepare(
      "SELECT line, plant_key, net_generation_mwh FROM generators WHERE ingestion_id = ? ORDER BY line",
    )
      .bind(record.id)
      .all();
    expect(results).toEqual([
      { line: 2, plant_key: "TX:Multi\nLine Plant", net_generation_mwh: 1500 },
      { line: 4, plant_key: "TX:Other", net_generation_mwh: -25 },
    ]);
  });

  it("reads Windows-1252 (Latin-1) names exactly and says so on the record", async () => {
    const text = genCsv(["1,2013,NM,Pe\u00f1asco Caf\u00e9,G1,10", "2,2013,NM,Plain,G1,5"]);
    const latin1 = Uint8Array.from(text, (char) => char.charCodeAt(0)); // one byte per character
    const record = await ingestCsv(latin1, "latin1-2013.csv");
    expect(record).toMatchObject({ status: "done", rows_loaded: 2, rows_rejected: 0 });
    const name = await env.DB.prepare("SELECT plant_name FROM generators WHERE ingestion_id = ? AND line = 3")
      .bind(record.id)
      .first("plant_name");
    expect(name).toBe("Pe\u00f1asco Caf\u00e9");
    const warnings = await env.DB.prepare("SELECT warnings FROM ingestions WHERE id = ?")
      .bind(record.id)
      .first("warnings");
    expect(warnings).toMatch(/not valid UTF-8; they were read as Windows-1252/);
  });
});
