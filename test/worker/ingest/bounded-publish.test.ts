import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { plainRunner, type StatementRunner } from "../../../worker/db/sql/runner";
import { precomputeFuels, precomputeStatements, STORED_INGESTIONS } from "../../../worker/ingest/precompute-fuels";
import { precomputeYears, yearStatements } from "../../../worker/ingest/precompute-years";
import { ensureChangePairs, INSERT_CHANGES } from "../../../worker/publication/change-pairs";
import { deliver, drain, steppedEnv } from "../helpers/drive";
import { hostileCsv } from "../helpers/hostile-csv";
import { ingestionIdOfKey, putObject } from "../helpers/ingest";

// Publishing runs its precomputes in statements of INGEST_PLANTS_PER_STATEMENT plants (a 100 MB
// file's single statements held D1 for seconds). These tests hold the bounded statements to the
// single-statement SQL that migrations 0012 and 0013 backfill with, on hostile data, and show
// that finalizing again after a crash between two statements completes the same work.

const PER_STATEMENT = 7;

/** Ingests `csv` through the real consumer, in ~1 KB chunks and PER_STATEMENT plants per statement. */
async function ingestBounded(csv: string, key: string): Promise<string> {
  const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "1000", INGEST_PLANTS_PER_STATEMENT: String(PER_STATEMENT) });
  await deliver(testEnv, await putObject(key, csv));
  await drain(testEnv);
  const id = await ingestionIdOfKey(key);
  const record = await env.DB.prepare("SELECT status, chunk_count FROM ingestions WHERE id = ?").bind(id).first();
  expect(record).toMatchObject({ status: "done" });
  expect(Number(record?.chunk_count)).toBeGreaterThanOrEqual(4);
  return id;
}

const PRECOMPUTED = ["plant_fuels", "state_fuels", "state_summaries", "plant_years", "plant_name_tokens"];

/** Every precomputed row of the ingestions, every column, in a fixed order. */
async function snapshot(ids: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of [...PRECOMPUTED, "plant_changes"]) {
    const { results } = await env.DB.prepare(
      `SELECT * FROM ${table} WHERE ingestion_id IN (SELECT value FROM json_each(?1))${
        table === "plant_changes" ? " AND previous_ingestion_id IN (SELECT value FROM json_each(?1))" : ""
      }`,
    )
      .bind(JSON.stringify(ids))
      .all();
    out[table] = results.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

async function clear(ids: string[]): Promise<void> {
  for (const table of [...PRECOMPUTED, "plant_changes", "change_pairs"]) {
    await env.DB.prepare(`DELETE FROM ${table} WHERE ingestion_id IN (SELECT value FROM json_each(?1))`)
      .bind(JSON.stringify(ids))
      .run();
  }
}

/** A runner that fails (as a crash would) once it has run `limit` statements; records plant_years inserts. */
function crashingRunner(limit: number): { run: StatementRunner; ran: () => number; rankPages: number[] } {
  const plain = plainRunner(env.DB);
  let count = 0;
  const rankPages: number[] = [];
  const run: StatementRunner = async <R>(sql: string, ...params: unknown[]) => {
    if (count >= limit) throw new Error("crash");
    count += 1;
    const result = await plain<R>(sql, ...params);
    if (sql.startsWith("INSERT INTO plant_years")) rankPages.push(result.meta.changes);
    return result;
  };
  return { run, ran: () => count, rankPages };
}

/** A D1 whose statements fail once `limit` have been prepared (a crash part way). */
function crashingDb(limit: number): D1Database {
  let count = 0;
  return {
    prepare: (sql: string) => {
      if (count++ >= limit) throw new Error("crash");
      return env.DB.prepare(sql);
    },
  } as unknown as D1Database;
}

describe("publishing in bounded statements", () => {
  it("computes exactly what the single statements of the migrations' backfill compute", async () => {
    const older = await ingestBounded(hostileCsv(2011, 60), "bounded/gen-2011.csv");
    const newer = await ingestBounded(hostileCsv(2012, 60), "bounded/gen-2012.csv");
    const ids = [older, newer];
    const bounded = await snapshot(ids);
    // The data is what it claims: ties, unknowns and both kinds of change matches are present.
    expect(bounded.plant_years?.length).toBeGreaterThan(60);
    const changes = (bounded.plant_changes as string[]).map((c) => JSON.parse(c) as { matched_by: string });
    expect(new Set(changes.map((c) => c.matched_by))).toEqual(new Set(["orispl", "name"]));
    const nets = await env.DB.prepare(
      "SELECT count(*) - count(DISTINCT coalesce(net_generation_mwh, 'x') || name) AS ties, count(*) - count(net_generation_mwh) AS unknown FROM plants WHERE ingestion_id = ?1",
    )
      .bind(older)
      .first<{ ties: number; unknown: number }>();
    expect(nets?.ties).toBeGreaterThan(0);
    expect(nets?.unknown).toBeGreaterThan(0);

    await clear(ids);
    for (const sql of [...precomputeStatements(STORED_INGESTIONS), ...yearStatements(STORED_INGESTIONS)]) {
      await env.DB.prepare(sql).run();
    }
    await env.DB.prepare(INSERT_CHANGES).bind(newer, older).run();
    expect(await snapshot(ids)).toEqual(bounded);
  });

  it("completes the same work when finalizing again after a crash between statements", async () => {
    const older = await ingestBounded(hostileCsv(2013, 40), "bounded/gen-2013.csv");
    const newer = await ingestBounded(hostileCsv(2014, 40), "bounded/gen-2014.csv");
    const ids = [older, newer];
    const whole = await snapshot(ids);
    const pair = { ingestionId: newer, previousIngestionId: older };

    // How many statements a full run takes, then a crash after each of a spread of them.
    await clear(ids);
    const counting = crashingRunner(Number.MAX_SAFE_INTEGER);
    for (const id of ids) {
      await precomputeFuels(env.DB, id, counting.run, PER_STATEMENT);
      await precomputeYears(env.DB, id, counting.run, PER_STATEMENT);
    }
    await ensureChangePairs(env.DB, [pair], PER_STATEMENT);
    expect(await snapshot(ids)).toEqual(whole);
    const total = counting.ran();
    expect(total).toBeGreaterThan(40);
    // Ranks went in pages of PER_STATEMENT plants (the last one shorter), never all at once.
    const plants = (whole.plant_years as unknown[]).length;
    expect(counting.rankPages.reduce((a, b) => a + b, 0)).toBe(plants);
    expect(Math.max(...counting.rankPages)).toBe(PER_STATEMENT);
    expect(counting.rankPages.length).toBeGreaterThanOrEqual(Math.ceil(plants / PER_STATEMENT));

    for (const limit of [1, 3, Math.floor(total / 4), Math.floor(total / 2) + 1, total - 7]) {
      await clear(ids);
      const crashing = crashingRunner(limit);
      await expect(
        (async () => {
          for (const id of ids) {
            await precomputeFuels(env.DB, id, crashing.run, PER_STATEMENT);
            await precomputeYears(env.DB, id, crashing.run, PER_STATEMENT);
          }
        })(),
      ).rejects.toThrow("crash");
      // Finalizing again, this time with another statement size.
      for (const id of ids) {
        await precomputeFuels(env.DB, id, plainRunner(env.DB), PER_STATEMENT + 4);
        await precomputeYears(env.DB, id, plainRunner(env.DB), PER_STATEMENT + 4);
      }
      await ensureChangePairs(env.DB, [pair], PER_STATEMENT);
      expect(await snapshot(ids)).toEqual(whole);
    }

    // The same for a year pair's changes: the pair is recorded only after its last range.
    for (const limit of [2, 4, 6]) {
      await clear([newer]);
      for (const id of [newer]) {
        await precomputeFuels(env.DB, id);
        await precomputeYears(env.DB, id);
      }
      await expect(ensureChangePairs(crashingDb(limit), [pair], 3)).rejects.toThrow("crash");
      const recorded = await env.DB.prepare("SELECT count(*) AS n FROM change_pairs WHERE ingestion_id = ?1")
        .bind(newer)
        .first<number>("n");
      expect(recorded).toBe(0);
      await ensureChangePairs(env.DB, [pair], 3);
      expect(await snapshot(ids)).toEqual(whole);
    }
  });
});
