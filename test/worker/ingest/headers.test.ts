import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { inspectHead } from "../../../worker/ingest/parse/head";
import { recognizeGenSheet } from "../../../worker/ingest/parse/layout";
import { ingestCsv } from "../helpers/ingest";

const REAL_2021_CODES = "SEQGEN,YEAR,PSTATABB,PNAME,ORISPL,GENID,NUMBLR,GENSTAT,PRMVR,FUELG1,NAMEPCAP,CFACT,GENNTAN";

describe("recognizeGenSheet reads every header EPA writes", () => {
  it("takes SEQGEN without year digits (the 2021 file), after a BOM", () => {
    const result = recognizeGenSheet([
      ["\uFEFFGenerator file sequence number", "Data Year"],
      REAL_2021_CODES.split(","),
    ]);
    expect(result.ok && result.layout).toMatchObject({
      headerRowIndex: 1,
      columns: { seq: 0, year: 1, state: 2, name: 3, orispl: 4, generatorId: 5, netGeneration: 12 },
    });
  });

  it("reads a file whose only header is the row of descriptions, with or without the eGRID prefix", () => {
    for (const prefix of ["", "eGRID2023 "]) {
      const result = recognizeGenSheet([
        [
          `${prefix}Generator file sequence number`,
          "Data Year",
          "Plant state abbreviation",
          "Plant  name",
          "Generator ID",
          "Generator annual net generation (MWh)",
        ],
      ]);
      expect(result.ok && result.layout, prefix).toMatchObject({
        headerRowIndex: 0,
        columnCount: 6,
        codes: ["SEQGEN", "YEAR", "PSTATEABB", "PNAME", "GENID", "GENNTAN"],
        columns: { seq: 0, year: 1, state: 2, name: 3, generatorId: 4, netGeneration: 5 },
      });
    }
  });

  it("prefers the code row when descriptions are above it", () => {
    const result = recognizeGenSheet([
      ["Generator file sequence number", "Data Year", "Plant state abbreviation", "Plant name", "Generator ID"].concat(
        "Generator annual net generation (MWh)",
      ),
      ["SEQGEN23", "YEAR", "PSTATEABB", "PNAME", "GENID", "GENNTAN"],
    ]);
    expect(result.ok && result.layout.headerRowIndex).toBe(1);
  });

  it("quotes the file's first row as written, not upper-cased", () => {
    const result = recognizeGenSheet([["a", "b", "c"]]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('Its first row starts with "a,b,c".');
  });
});

describe("refusing a wide header for what is wrong with it", () => {
  it("says a 100,000-column header has too many columns", async () => {
    const extra = Array.from({ length: 100_000 - 6 }, (_, i) => `X${i}`).join(",");
    const csv = `SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN,${extra}\n1,2023,TX,A,G1,5${",".repeat(100_000 - 6)}\n`;
    const record = await ingestCsv(csv);
    expect(record.status).toBe("failed");
    expect(record.error).toMatch(/The header row has 100,000 columns; at most 16,384 are read/);
  });

  it("says a first row longer than every head read is too long to be a header", async () => {
    const csv = `${"x".repeat(5 * 1024 * 1024)},y\n1,2\n`;
    const record = await ingestCsv(csv);
    expect(record.status).toBe("failed");
    expect(record.error).toMatch(/The first row is longer than 4,194,304 bytes/);
  });
});

describe("inspectHead messages say how much was read", () => {
  it("names the bytes read, not a fixed 64 KiB, when no row has a valid YEAR", () => {
    const text = `SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\n${"1,abc,TX,A,G1,5\n".repeat(10_000)}`;
    const head = new TextEncoder().encode(text).subarray(0, 100_000);
    const result = inspectHead(head, false);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^No data row in the first 100,000 bytes has a valid YEAR/);
  });
});

describe("Excel trailer rows", () => {
  it("rejects a row of zeros and blanks with a reason saying what it is; skips all-blank rows", async () => {
    const csv = [
      "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN",
      "1,2023,TX,A,G1,5",
      ",,,,,",
      "2,2023,TX,B,G1,6",
      "0,,,,,0",
      ",,,,,",
      "",
    ].join("\r\n");
    const record = await ingestCsv(csv);
    expect(record).toMatchObject({ status: "done", rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    const rejected = await env.DB.prepare("SELECT line, reason, raw FROM rejected_rows WHERE ingestion_id = ?")
      .bind(record.id)
      .all();
    expect(rejected.results).toEqual([
      {
        line: 5,
        reason: expect.stringMatching(/^a spreadsheet trailer row \(only zeros and blank cells/),
        raw: "0,,,,,0",
      },
    ]);
  });
});
