import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliver, drain, steppedEnv } from "../helpers/drive";
import { type IngestionRow, ingestCsv, ingestionIdOfKey, putObject } from "../helpers/ingest";

// File shapes that failed or loaded wrongly, through the real pipeline (R2 -> queue -> D1).

const CODES = "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN";
const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

async function names(id: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT plant_name FROM generators WHERE ingestion_id = ? ORDER BY seq")
    .bind(id)
    .all<{ plant_name: string }>();
  return results.map((r) => r.plant_name);
}

describe("line ends through the pipeline", () => {
  const rows = ["1,2023,TX,A,G1,5", '2,2023,TX,"B, quoted",G1,6', "3,2023,CA,C,G1,7"];
  it.each([
    ["CR only (classic Mac Excel)", [CODES, ...rows, ""].join("\r")],
    ["a CRLF header with LF rows", `Description\r\n${CODES}\r\n${rows.join("\n")}\n`],
  ])("loads %s", async (_, csv) => {
    const record = await ingestCsv(csv);
    expect(record).toMatchObject({ status: "done", rows_read: 3, rows_loaded: 3, rows_rejected: 0 });
    expect(await names(record.id)).toEqual(["A", "B, quoted", "C"]);
  });
});

describe("a file over the chunk size with a bare quote in a name", () => {
  it("is cut into many chunks and loads every row (the quote is text)", async () => {
    const rows = Array.from(
      { length: 400 },
      (_, i) => `${i + 1},2023,TX,${i === 1 ? 'Plant 5" Solar' : `P${i}`},G1,${i}`,
    );
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "1000" });
    const key = `shapes/bare-quote-${crypto.randomUUID()}.csv`;
    await deliver(testEnv, await putObject(key, `${CODES}\r\n${rows.join("\r\n")}\r\n`));
    await drain(testEnv);
    const record = await env.DB.prepare("SELECT * FROM ingestions WHERE id = ?")
      .bind(await ingestionIdOfKey(key))
      .first<IngestionRow>();
    expect(record).toMatchObject({ status: "done", rows_loaded: 400, rows_rejected: 0 });
    expect(Number(record?.chunk_count)).toBeGreaterThanOrEqual(8);
    expect((await names(record?.id ?? ""))[1]).toBe('Plant 5" Solar');
  });
});

describe("Windows-1252 in the description row", () => {
  it("starts the data at the right byte: the first row's sequence number is whole", async () => {
    // Its own data year: a one-plant file of a year published with more plants would be held.
    const csv = latin1(`Descripci\xF3n,A\xF1o,Estado,Nombre,Id,Net\r\n${CODES}\r\n12345,2011,TX,Pe\xF1asco,G1,5\r\n`);
    const record = await ingestCsv(csv);
    expect(record).toMatchObject({ status: "done", rows_loaded: 1, rows_rejected: 0 });
    const row = await env.DB.prepare("SELECT seq, plant_name FROM generators WHERE ingestion_id = ?")
      .bind(record.id)
      .first();
    expect(row).toEqual({ seq: 12345, plant_name: "Pe\u00f1asco" });
  });
});
