import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { deliver, drain, steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestCsv, ingestionIdOfKey, putObject } from "../helpers/ingest";
import { activeIngestion } from "../helpers/queries";

// Hostile files through the real pipeline (R2 -> queue -> consumer -> D1). Each asserts the
// ingestion record and that the year published before it is untouched. Storage is shared by the
// tests of this file, so each uses its own data years; 2010 is the "published" year.

const PUBLISHED_YEAR = 2010;
let published: { id: string; plants: unknown[] };

async function plantsOf(ingestionId: string) {
  const { results } = await env.DB.prepare(
    "SELECT plant_key, net_generation_mwh, generator_count FROM plants WHERE ingestion_id = ? ORDER BY plant_key",
  )
    .bind(ingestionId)
    .all();
  return results;
}

async function expectPublishedUntouched() {
  expect(await activeIngestion(PUBLISHED_YEAR)).toBe(published.id);
  expect(await plantsOf(published.id)).toEqual(published.plants);
}

beforeAll(async () => {
  const good = await ingestCsv(genCsv(syntheticRows(8, PUBLISHED_YEAR)), "published-2010.csv");
  expect(good.status).toBe("done");
  published = { id: good.id, plants: await plantsOf(good.id) };
  expect(published.plants).toHaveLength(8);
});

const HEADER_2010 = "SEQGEN10,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n";

/** A GEN file of `year` whose rows have 10,000 columns: the six GEN columns, then 9,994 others. */
function wideCsv(year: number): string {
  const extra = Array.from({ length: 9_994 }, (_, i) => `X${i}`).join(",");
  const filler = Array.from({ length: 9_994 }, (_, i) => String(i)).join(",");
  const yy = String(year).slice(2);
  return `SEQGEN${yy},YEAR,PSTATEABB,PNAME,GENID,GENNTAN,${extra}\r\n1,${year},TX,Wide,G1,"1,000",${filler}\r\n2,${year},TX,Wide,G2,5,${filler}\r\n`;
}

describe("hostile files: a record saying what happened, published data untouched", () => {
  // Regression (was finding F1): the head read to recognise a file was fixed at 64 KiB.
  it("10,000 columns: extra columns are ignored, the GEN columns load", async () => {
    const record = await ingestCsv(wideCsv(2009), "wide-10000-columns.csv");
    expect(record).toMatchObject({ status: "done", data_year: 2009, rows_loaded: 2, rows_rejected: 0, plant_count: 1 });
  });

  it("a first data row longer than the 4 MiB head fails with a message saying so, nothing published", async () => {
    const huge = `"${"x".repeat(5 * 1024 * 1024)}"`;
    const record = await ingestCsv(`${HEADER_2010}1,2010,TX,${huge},G1,5\r\n`, "wide-first-row-2010.csv");
    expect(record.status).toBe("failed");
    expect(record.error).toMatch(/no complete data row in the first 4,194,304 bytes/i);
    await expectPublishedUntouched();
  });

  it("a data row of 10,000 fields under a 6-column header is rejected with its count, raw text truncated", async () => {
    const wide = `3,2010,TX,Wide,G1,5,${Array.from({ length: 9_994 }, () => "9").join(",")}`;
    const record = await ingestCsv(`${HEADER_2010}1,2010,TX,A,G1,1\r\n${wide}\r\n`, "wide-row.csv");
    expect(record).toMatchObject({ status: "held", rows_loaded: 1, rows_rejected: 1 });
    const rejected = await env.DB.prepare(
      "SELECT line, reason, length(raw) AS len FROM rejected_rows WHERE ingestion_id = ?",
    )
      .bind(record.id)
      .first();
    expect(rejected).toEqual({ line: 3, reason: "has 10000 fields where the header has 6", len: 301 });
    // A valid 2010 revision, but with 1 plant where the published file has 8: held, not published.
    expect(record.hold_reason).toMatch(/has 1 plant, less than 50% of the 8 plants/);
    await expectPublishedUntouched();
  });

  it("a 1 MB single line with no line break fails as 'not a GEN sheet'", async () => {
    const record = await ingestCsv("a,".repeat(512 * 1024), "one-megabyte-line.csv");
    expect(record.status).toBe("failed");
    expect(record.error).toMatch(/Not an eGRID generator \(GEN\) sheet/);
    await expectPublishedUntouched();
  });

  it("a 1.1 MB record after a valid header (an unclosed quote) fails with its line, nothing published", async () => {
    const csv = `${HEADER_2010}1,2010,TX,A,G1,1\r\n2,2010,TX,"${"n".repeat(1_100_000)},G1,2\r\n`;
    const record = await ingestCsv(csv, "megabyte-record.csv");
    expect(record.status).toBe("failed");
    expect(record.error).toMatch(/record starting on line 3 is longer than 1,048,576 characters/);
    await expectPublishedUntouched();
  });

  it("the ST (state) sheet of eGRID is refused, naming the sheet and the missing columns", async () => {
    const csv = 'SEQST23,YEAR,PSTATABB,FIPSST,STNGENAN\r\n1,2010,AK,02,"6,000,000"\r\n';
    const record = await ingestCsv(csv, "state-sheet.csv");
    expect(record.status).toBe("failed");
    expect(record.error).toMatch(/the columns SEQGENyy, PNAME, GENID, GENNTAN .*It looks like the ST \(state\) sheet/);
    await expectPublishedUntouched();
  });

  it("a file mixing two years loads the majority year and rejects the other year's rows by line", async () => {
    const rows = [
      "1,2008,TX,Mixed A,G1,10",
      "2,2010,TX,Other Year,G1,99",
      "3,2008,TX,Mixed B,G1,20",
      "4,2008,CA,Mixed C,G1,30",
      "5,2010,CA,Other Year 2,G1,98",
    ];
    const record = await ingestCsv(genCsv(rows), "two-years.csv");
    expect(record).toMatchObject({ status: "done", data_year: 2008, rows_read: 5, rows_loaded: 3, rows_rejected: 2 });
    const { results } = await env.DB.prepare(
      "SELECT line, reason FROM rejected_rows WHERE ingestion_id = ? ORDER BY line",
    )
      .bind(record.id)
      .all();
    expect(results).toEqual([
      { line: 4, reason: expect.stringContaining("YEAR 2010 differs from the file's data year 2008") },
      { line: 7, reason: expect.stringContaining("YEAR 2010 differs from the file's data year 2008") },
    ]);
    expect(await activeIngestion(2008)).toBe(record.id);
    await expectPublishedUntouched();
  });

  it("random bytes named .csv always end in a terminal record with a reason, never a crash", async () => {
    const files = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 4000 }), { numRuns: 6, seed: 6 });
    const csvish = fc.sample(
      fc
        .array(fc.constantFrom(...'2010,TX"\r\n ab1'.split("")), { minLength: 1, maxLength: 4000 })
        .map((a) => a.join("")),
      { numRuns: 6, seed: 7 },
    );
    const bodies: (Uint8Array | string)[] = [...files, ...csvish.map((text) => HEADER_2010 + text)];
    for (const [i, body] of bodies.entries()) {
      const record = await ingestCsv(body, `random-${i}.csv`);
      expect(["done", "held", "failed"], `random-${i}`).toContain(record.status);
      if (record.status === "failed") expect(record.error, `random-${i}`).toMatch(/\w/);
      if (record.status === "done") await republish();
    }
    await expectPublishedUntouched();
  });
});

/** Re-publishes the reference file (a new eTag) so later tests compare against it again. */
async function republish() {
  const again = await ingestCsv(`${genCsv(syntheticRows(8, PUBLISHED_YEAR))}\r\n`, "published-2010.csv");
  expect(again.status).toBe("done");
  published = { id: again.id, plants: await plantsOf(again.id) };
}

describe("object keys the pipeline must carry verbatim", () => {
  const keys: Array<[string, string, number]> = [
    ["spaces", "uploads/eGRID 2023 final (rev 2).csv", 2001],
    ["unicode", "uploads/données/énergie-電力-⚡.csv", 2002],
    ["dot-dot", "../../etc/passwd/../egrid.csv", 2003],
    ["1020 bytes", `uploads/${"k".repeat(1008)}.csv`, 2004],
    ["1020 bytes of multi-byte characters", `${"é".repeat(508)}.csv`, 2005],
  ];
  it.each(keys)("%s: ingested, the record names the exact key", async (_what, key, year) => {
    expect(new TextEncoder().encode(key).length).toBeLessThanOrEqual(1024); // R2's key limit
    const record = await ingestCsv(genCsv(syntheticRows(3, year)), key);
    expect(record).toMatchObject({ status: "done", object_key: key, rows_loaded: 3, data_year: year });
    expect(await activeIngestion(year)).toBe(record.id);
    expect(record.id).toBe(await ingestionIdOfKey(key));
    await expectPublishedUntouched();
  });
});

describe("a big generated file through the pipeline in many chunks", () => {
  it("loads an 18 MB file in 1 MiB chunks: every row, exact totals, published once", async () => {
    const year = 2007;
    const count = 300_000;
    const states = ["TX", "CA", "NY", "FL", "PA", "OH", "GA", "AZ"];
    const parts: string[] = [
      "Generator file sequence number,Data Year,State,Plant name,Generator ID,Net generation\r\nSEQGEN07,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n",
    ];
    let expectedTotal = 0;
    for (let i = 1; i <= count; i++) {
      const plant = i % 20_000;
      const mwh = (i % 997) * 3 - 500;
      expectedTotal += mwh;
      const cell = mwh < 0 ? `" (${(-mwh).toLocaleString("en-US")})"` : `"${mwh.toLocaleString("en-US")}"`;
      parts.push(`${i},${year},${states[plant % 8]},"Plant ${plant}, ""Big"" Station",G${i},${cell}\r\n`);
    }
    const csv = parts.join("");
    expect(csv.length).toBeGreaterThan(15_000_000);
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: String(1024 * 1024) });
    await deliver(testEnv, await putObject("big-2007.csv", csv));
    const id = await ingestionIdOfKey("big-2007.csv");
    const planned = await env.DB.prepare("SELECT status, chunk_count FROM ingestions WHERE id = ?").bind(id).first();
    expect(planned).toMatchObject({ status: "processing", chunk_count: expect.any(Number) });
    expect(Number(planned?.chunk_count)).toBeGreaterThanOrEqual(15);
    expect(await drain(testEnv)).toBe(planned?.chunk_count);
    const record = await env.DB.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first();
    expect(record).toMatchObject({
      status: "done",
      rows_read: count,
      rows_loaded: count,
      rows_rejected: 0,
      plant_count: 20_000,
    });
    const total = await env.DB.prepare(
      "SELECT sum(net_generation_mwh) AS t, sum(generator_count) AS g FROM plants WHERE ingestion_id = ?",
    )
      .bind(id)
      .first();
    expect(total).toEqual({ t: expectedTotal, g: count });
    expect(await activeIngestion(year)).toBe(id);
    await expectPublishedUntouched();
  }, 180_000);
});
