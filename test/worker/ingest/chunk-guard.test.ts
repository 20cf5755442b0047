import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ChunkRow, IngestionRow } from "../../../worker/db/rows";
import { generatorInsert, processChunk, STILL_PROCESSING } from "../../../worker/ingest/chunk";
import { purgeIngestionRows } from "../../../worker/ingest/retract";
import { headOf } from "../../../worker/ingest/rows";
import { d1Double } from "../helpers/d1-double";
import { deliver, steppedEnv } from "../helpers/drive";
import { genCsv } from "../helpers/gen-csv";
import { ingestionIdOfKey, putObject } from "../helpers/ingest";
import { ingestion } from "../helpers/queries";

/** Rows an ingestion has in every table a chunk writes. */
async function rowsOf(id: string) {
  const count = (table: string) =>
    env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ingestion_id = ?`).bind(id).first<number>("n");
  return {
    generators: await count("generators"),
    plant_parts: await count("plant_parts"),
    rejected_rows: await count("rejected_rows"),
    done_chunks: await env.DB.prepare(
      "SELECT count(*) AS n FROM ingestion_chunks WHERE ingestion_id = ? AND status = 'done'",
    )
      .bind(id)
      .first<number>("n"),
  };
}

/** Plans a multi-chunk ingestion (chunk messages captured, not run); returns it as a chunk in flight would see it. */
async function plannedIngestion(key: string, year: number) {
  const rows = Array.from({ length: 120 }, (_, i) => `${i + 1},${year},TX,Plant ${i % 7},G${i},${i * 10}`);
  rows.push(`121,${year},ZZ,Bad State,G1,5`); // a rejected row in the last chunk
  const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "1024" });
  await deliver(testEnv, await putObject(key, genCsv(rows)));
  const id = await ingestionIdOfKey(key);
  const record = (await ingestion(id)) as IngestionRow;
  expect(record.status).toBe("processing");
  const { results: chunks } = await env.DB.prepare(
    "SELECT * FROM ingestion_chunks WHERE ingestion_id = ? ORDER BY chunk_index",
  )
    .bind(id)
    .all<ChunkRow>();
  expect(chunks.length).toBeGreaterThan(2);
  return { testEnv, record, chunks };
}

describe("a chunk committing after its ingestion ended writes nothing", () => {
  it.each(["retracted", "failed", "skipped"])("ingestion %s while the chunk was in flight", async (status) => {
    const { testEnv, record, chunks } = await plannedIngestion(`late-${status}.csv`, 2001);
    await processChunk(testEnv, record, chunks[0] as ChunkRow); // one chunk landed before the end
    expect((await rowsOf(record.id)).generators).toBeGreaterThan(0);

    await env.DB.prepare("UPDATE ingestions SET status = ?2 WHERE id = ?1").bind(record.id, status).run();
    await purgeIngestionRows(testEnv, record.id);
    const before = await rowsOf(record.id);
    expect(before).toMatchObject({ generators: 0, plant_parts: 0 });

    // The chunks still in flight read the ingestion while it was processing, and commit now.
    for (const chunk of chunks.slice(1)) await processChunk(testEnv, record, chunk);
    expect(await rowsOf(record.id)).toEqual(before);
  });

  it("a chunk whose ingestion ends while it settles a duplicate resets no later chunk", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i + 1},2004,TX,Plant ${i % 5},G${i},${i * 10}`);
    rows.push("1,2004,CA,Copy Of Line 3,G1,999"); // a copy of the first row, in the last chunk
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "1024" });
    await deliver(testEnv, await putObject("late-reset.csv", genCsv(rows)));
    const id = await ingestionIdOfKey("late-reset.csv");
    const record = (await ingestion(id)) as IngestionRow;
    const { results: chunks } = await env.DB.prepare(
      "SELECT * FROM ingestion_chunks WHERE ingestion_id = ? ORDER BY chunk_index",
    )
      .bind(id)
      .all<ChunkRow>();
    await processChunk(testEnv, record, chunks.at(-1) as ChunkRow); // the later copy lands first
    testEnv.INGEST_QUEUE.take();
    const before = await rowsOf(id);
    expect(before.generators).toBeGreaterThan(0);

    // Chunk 0's batch fails on the copy; the file is deleted before its second batch (with the reset) runs.
    let batches = 0;
    const DB = d1Double(env.DB, async (statements, run) => {
      if (++batches === 2) {
        await env.DB.prepare("UPDATE ingestions SET status = 'retracted' WHERE id = ?").bind(id).run();
      }
      return run(statements);
    });
    expect(await processChunk({ ...testEnv, DB }, record, chunks[0] as ChunkRow)).toBeNull();
    expect(batches).toBe(2);
    expect(await rowsOf(id)).toEqual(before);
    expect(testEnv.INGEST_QUEUE.take()).toEqual([]); // nothing sent again
  });

  it("writes as usual while the ingestion is processing", async () => {
    const { testEnv, record, chunks } = await plannedIngestion("on-time.csv", 2002);
    for (const chunk of chunks) await processChunk(testEnv, record, chunk);
    expect(await rowsOf(record.id)).toMatchObject({ generators: 120, rejected_rows: 1, done_chunks: chunks.length });
  });

  it("checks the ingestion once per statement, not once per row", async () => {
    const { record } = await plannedIngestion("plan.csv", 2003);
    const { sql } = generatorInsert(headOf(record).layout);
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(record.id, 2003, "[]").all<{
      detail: string;
    }>();
    const detail = results.map((r) => r.detail).join("\n");
    expect(detail).toMatch(/SCALAR SUBQUERY/);
    expect(detail).not.toMatch(/CORRELATED/);
    expect(sql).toContain(STILL_PROCESSING);
  });
});
