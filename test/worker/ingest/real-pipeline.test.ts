import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliver, drain, steppedEnv } from "../helpers/drive";
import { ingestCsv, ingestionIdOfKey, putObject, sharedDataFile } from "../helpers/ingest";

const real = await sharedDataFile("egrid2023_gen23.csv");

async function topPlants(ingestionId: string, n: number) {
  const { results } = await env.DB.prepare(
    "SELECT name, state, net_generation_mwh AS mwh FROM plants WHERE ingestion_id = ? ORDER BY net_generation_mwh DESC, name LIMIT ?",
  )
    .bind(ingestionId, n)
    .all();
  return results;
}

const TOP_5 = [
  { name: "Palo Verde", state: "AZ", mwh: 31_522_590 },
  { name: "Browns Ferry", state: "AL", mwh: 30_820_510 },
  { name: "Vogtle", state: "GA", mwh: 23_036_612 },
  { name: "Oconee", state: "SC", mwh: 22_246_735 },
  { name: "Peach Bottom", state: "PA", mwh: 22_197_093 },
];

describe.skipIf(!real)("the real eGRID 2023 file through R2 -> queue -> D1", () => {
  it("loads all 26,601 generators into 12,606 plants with EPA's top five exactly", async () => {
    const record = await ingestCsv(real as Uint8Array, "egrid2023_gen23.csv");
    expect(record).toMatchObject({
      status: "done",
      data_year: 2023,
      rows_read: 26_601,
      rows_loaded: 26_601,
      rows_rejected: 0,
      plant_count: 12_606,
      chunk_count: 1,
    });
    expect(await topPlants(record.id, 5)).toEqual(TOP_5);
    const lowest = await env.DB.prepare(
      "SELECT name, state, net_generation_mwh AS mwh FROM plants WHERE ingestion_id = ? AND net_generation_mwh IS NOT NULL ORDER BY net_generation_mwh LIMIT 1",
    )
      .bind(record.id)
      .first();
    expect(lowest).toEqual({ name: "Bath County", state: "VA", mwh: -1_034_280 });
    const unknown = await env.DB.prepare(
      "SELECT sum(unknown_generator_count) AS n, count(DISTINCT state) AS states FROM plants WHERE ingestion_id = ?",
    )
      .bind(record.id)
      .first();
    expect(unknown).toEqual({ n: 705, states: 52 });
  });

  it("gives the same totals when the file is split into many chunks", async () => {
    // Many chunks, so plants span chunks and are merged from several parts, and many merge
    // statements (1,000 plants each), so ranges must tile the plants exactly.
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: String(64 * 1024), INGEST_PLANTS_PER_STATEMENT: "1000" });
    await deliver(testEnv, await putObject("chunked/egrid2023_gen23.csv", real as Uint8Array));
    const handled = await drain(testEnv);
    const id = await ingestionIdOfKey("chunked/egrid2023_gen23.csv");
    const record = await env.DB.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first();
    expect(handled).toBe(record?.chunk_count);
    expect(record).toMatchObject({ status: "done", rows_loaded: 26_601, rows_rejected: 0, plant_count: 12_606 });
    expect(Number(record?.chunk_count)).toBeGreaterThanOrEqual(18);
    expect(await topPlants(id, 5)).toEqual(TOP_5);
    // Every plant, every column, equal to the same file loaded as one chunk in one statement.
    const whole = await ingestCsv(real as Uint8Array, "whole/egrid2023_gen23.csv");
    expect(whole).toMatchObject({ status: "done", chunk_count: 1, plant_count: 12_606 });
    const plantsOf = async (ingestionId: string) =>
      (
        await env.DB.prepare(
          `SELECT plant_key, data_year, state, name, orispl, net_generation_mwh, generator_count,
                  unknown_generator_count, primary_fuel, capacity_mw FROM plants WHERE ingestion_id = ? ORDER BY plant_key`,
        )
          .bind(ingestionId)
          .all()
      ).results;
    const chunked = await plantsOf(id);
    expect(chunked).toHaveLength(12_606);
    expect(chunked).toEqual(await plantsOf(whole.id));
    const spanning = await env.DB.prepare(
      "SELECT count(*) AS n FROM (SELECT plant_key FROM plant_parts WHERE ingestion_id = ? GROUP BY plant_key HAVING count(*) > 1)",
    )
      .bind(id)
      .first<number>("n");
    expect(spanning).toBeGreaterThan(0);
    // Chunks tile the data exactly: each starts where the previous ended.
    const { results: chunks } = await env.DB.prepare(
      "SELECT byte_start, byte_end, rows_read FROM ingestion_chunks WHERE ingestion_id = ? ORDER BY chunk_index",
    )
      .bind(id)
      .all<{ byte_start: number; byte_end: number; rows_read: number }>();
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]?.byte_start).toBe(chunks[i - 1]?.byte_end);
    expect(chunks.at(-1)?.byte_end).toBe((real as Uint8Array).length);
  });
});
