import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { nationalTopPage } from "../../../worker/api/queries/top-plants";
import { PLANT_GENERATORS } from "../../../worker/db/sql/plant-parts";
import { d1Double } from "../helpers/d1-double";
import { deliver, drain, type SteppedEnv, steppedEnv } from "../helpers/drive";
import { ingestCsv, ingestionIdOfKey, putObject, realDataFile } from "../helpers/ingest";

const real = await realDataFile("egrid2023_gen23.csv");

async function topPlants(ingestionId: string, n: number) {
  const { results } = await env.DB.prepare(
    "SELECT name, state, net_generation_mwh AS mwh FROM plants WHERE ingestion_id = ? ORDER BY net_generation_mwh DESC, name LIMIT ?",
  )
    .bind(ingestionId, n)
    .all();
  return results;
}

/** Ingests a file as ONE chunk (chunks far larger than the default), through the real consumer. */
async function ingestWhole(bytes: string | Uint8Array, key: string) {
  const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: String(64 * 1024 * 1024) });
  await deliver(testEnv, await putObject(key, bytes));
  await drain(testEnv);
  return (await env.DB.prepare("SELECT * FROM ingestions WHERE id = ?")
    .bind(await ingestionIdOfKey(key))
    .first()) as { id: string; status: string; chunk_count: number };
}

const TOP_5 = [
  { name: "Palo Verde", state: "AZ", mwh: 31_522_590 },
  { name: "Browns Ferry", state: "AL", mwh: 30_820_510 },
  { name: "Vogtle", state: "GA", mwh: 23_036_612 },
  { name: "Oconee", state: "SC", mwh: 22_246_735 },
  { name: "Peach Bottom", state: "PA", mwh: 22_197_093 },
];

describe("the real eGRID 2023 file through R2 -> queue -> D1", () => {
  it("loads all 26,601 generators into 12,606 plants with EPA's top five exactly", async () => {
    const record = await ingestCsv(real, "egrid2023_gen23.csv");
    expect(record).toMatchObject({
      status: "done",
      data_year: 2023,
      rows_read: 26_601,
      rows_loaded: 26_601,
      rows_rejected: 0,
      plant_count: 12_606,
      chunk_count: 3, // 1.2 MB in the default 512 KiB chunks
    });
    expect(await topPlants(record.id, 5)).toEqual(TOP_5);
    // The national top N (every state's index walk, merged) pages exactly as a sort of all plants.
    const pages: Array<[number, number]> = [
      [1000, 0],
      [1000, 6000],
      [700, 12_000],
    ];
    for (const [n, offset] of pages) {
      const page = async (sql: string) => (await env.DB.prepare(sql).bind(record.id).raw()).map((r) => [r[4], r[2]]);
      const sorted = await page(
        `SELECT plant_key, orispl, name, state, net_generation_mwh FROM plants NOT INDEXED WHERE ingestion_id = ?1
          ORDER BY net_generation_mwh DESC, name LIMIT ${n} OFFSET ${offset}`,
      );
      expect(sorted.length).toBe(Math.min(n, 12_606 - offset));
      expect(await page(nationalTopPage(n, offset))).toEqual(sorted);
    }
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
    // The real D1, observed: how many plants each merge statement wrote.
    const merged: number[] = [];
    const testEnv = {
      ...steppedEnv({ INGEST_CHUNK_BYTES: String(64 * 1024), INGEST_PLANTS_PER_STATEMENT: "1000" }),
      DB: d1Double(
        env.DB,
        (statements, run) => run(statements),
        async (query, run) => {
          const result = await run();
          if (query.includes("INSERT INTO plants")) merged.push(result.meta.changes);
          return result;
        },
      ),
    } as SteppedEnv;
    await deliver(testEnv, await putObject("chunked/egrid2023_gen23.csv", real));
    const handled = await drain(testEnv);
    const id = await ingestionIdOfKey("chunked/egrid2023_gen23.csv");
    const record = await env.DB.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first();
    expect(handled).toBe(record?.chunk_count);
    expect(record).toMatchObject({ status: "done", rows_loaded: 26_601, rows_rejected: 0, plant_count: 12_606 });
    expect(Number(record?.chunk_count)).toBeGreaterThanOrEqual(18);
    expect(await topPlants(id, 5)).toEqual(TOP_5);
    // Ranges cut from the chunks' key samples: about 1,000 plants per statement, never far more.
    expect(merged.reduce((a, b) => a + b, 0)).toBe(12_606);
    expect(merged.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...merged)).toBeLessThanOrEqual(1_500);
    // Every plant, every column, equal to the same file loaded as one chunk in one statement.
    const whole = await ingestWhole(real, "whole/egrid2023_gen23.csv");
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
    expect(chunks.at(-1)?.byte_end).toBe(real.length);
  });
});

describe("plants whose generators lie in several chunks (17-column layout)", () => {
  it("merges to the same plants as one chunk: sums, counts, the largest fuelled generator, capacity", async () => {
    const header =
      "SEQGEN15,YEAR,PSTATABB,PNAME,ORISPL,GENID,NUMBLR,GENSTAT,PRMVR,FUELG1,NAMEPCAP,CFACT,GENNTAN,GENNTOZ,GENERSRC,GENYRONL,GENYRRET\n";
    const rows: string[] = [];
    const fuels = ["NG", "BIT", "SUN", "WND", "WAT"];
    for (let i = 1; i <= 600; i++) {
      // Plant 7 has a generator every 40 lines, so in every chunk; the others are local.
      const orispl = i % 40 === 0 ? 7 : 1000 + Math.floor(i / 3);
      const capacity = i % 40 === 0 ? (i === 560 || i === 80 ? "900" : i % 80 === 0 ? "" : "50") : String(i % 17);
      const fuel = i === 560 ? "NUC" : i % 120 === 0 && orispl === 7 ? "" : fuels[i % 5];
      const net = i % 11 === 0 ? "" : i % 13 === 0 ? ` (${i})` : `"${i},${String(i % 1000).padStart(3, "0")}"`;
      rows.push(`${i},2015,NC,Plant ${orispl},${orispl},G${i},,OP,ST,${fuel},${capacity},0.5,${net},,x,1990,`);
    }
    const csv = `${header}${rows.join("\n")}\n`;
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "4096", INGEST_PLANTS_PER_STATEMENT: "7" });
    await deliver(testEnv, await putObject("spanning/full-2015.csv", csv));
    await drain(testEnv);
    const chunked = await env.DB.prepare("SELECT * FROM ingestions WHERE id = ?")
      .bind(await ingestionIdOfKey("spanning/full-2015.csv"))
      .first<{ id: string; status: string; chunk_count: number }>();
    expect(chunked).toMatchObject({ status: "done" });
    expect(Number(chunked?.chunk_count)).toBeGreaterThanOrEqual(8);
    const whole = await ingestCsv(csv, "spanning-whole/full-2015.csv");
    expect(whole).toMatchObject({ status: "done", chunk_count: 1 });
    const plantsOf = async (id: string) =>
      (
        await env.DB.prepare(
          `SELECT plant_key, state, name, orispl, net_generation_mwh, generator_count, unknown_generator_count,
                  primary_fuel, capacity_mw FROM plants WHERE ingestion_id = ? ORDER BY plant_key`,
        )
          .bind(id)
          .all()
      ).results;
    const merged = await plantsOf(chunked?.id as string);
    expect(merged).toEqual(await plantsOf(whole.id));
    // Plant 7: 15 generators in as many places; two of 900 MW (SEQ 80, NG, and SEQ 560, NUC, in
    // another chunk): the earlier one's fuel wins. Its capacity skips the five blanks.
    expect(merged.find((p) => p.plant_key === "7")).toMatchObject({
      generator_count: 15,
      primary_fuel: "NG", // SEQ 80: fuels[80 % 5]
      capacity_mw: 900 * 2 + 50 * 8,
    });
    const { results: plant7 } = await env.DB.prepare(
      "SELECT count(*) AS parts FROM plant_parts WHERE ingestion_id = ? AND plant_key = '7'",
    )
      .bind(chunked?.id)
      .all<{ parts: number }>();
    expect(plant7[0]?.parts).toBeGreaterThanOrEqual(8);
    // GET /plants/{id} finds its generators through the parts' sequence numbers, in file order.
    const { results: generators } = await env.DB.prepare(PLANT_GENERATORS)
      .bind(chunked?.id, "7", -2, -1, 1000)
      .all<{ line: number; generator_id: string }>();
    expect(generators.map((g) => g.generator_id)).toEqual(Array.from({ length: 15 }, (_, k) => `G${40 * (k + 1)}`));
  });
});
