import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../../worker/api/app";
import type { PipelineHooks } from "../../../worker/ingest/consumer";
import { d1Double, sqlOf } from "../helpers/d1-double";
import { deliver, drain, type SteppedEnv, steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { type IngestionRow, ingestionIdOfKey, putObject } from "../helpers/ingest";
import { activeIngestion, activeTotals, ingestion } from "../helpers/queries";

// Faults in the pipeline, driven message by message through the real consumer on real D1/R2.
// Storage is shared by the tests of this file: each test uses its own data years (1998-2026).

const CHUNK_BYTES = "1024";

async function counts(id: string) {
  return env.DB.prepare(
    `SELECT (SELECT count(*) FROM generators WHERE ingestion_id = ?1) AS generators,
            (SELECT count(*) FROM plants WHERE ingestion_id = ?1) AS plants,
            (SELECT count(*) FROM ingestion_chunks WHERE ingestion_id = ?1 AND status = 'done') AS chunksDone,
            (SELECT coalesce(sum(rows_loaded), 0) FROM ingestion_chunks WHERE ingestion_id = ?1 AND status = 'done') AS loadedByDoneChunks`,
  )
    .bind(id)
    .first<{ generators: number; plants: number; chunksDone: number; loadedByDoneChunks: number }>();
}

/**
 * Delivers every message the pipeline sends until none is left, redelivering retried ones with
 * attempts + 1 as the queue would (up to `maxAttempts`). Calls `afterFailure` after each retry.
 */
async function runToEnd(
  testEnv: SteppedEnv,
  first: unknown,
  options: { hooks?: PipelineHooks; afterFailure?: () => Promise<void>; maxAttempts?: number } = {},
) {
  const queue: Array<{ body: unknown; attempts: number }> = [{ body: first, attempts: 1 }];
  let retries = 0;
  while (queue.length > 0) {
    const { body, attempts } = queue.shift() as { body: unknown; attempts: number };
    const result = await deliver(testEnv, body, { hooks: options.hooks, attempts });
    for (const sent of testEnv.INGEST_QUEUE.take()) queue.push({ body: sent, attempts: 1 });
    if (result.retryMessages.length > 0) {
      retries++;
      await options.afterFailure?.();
      if (attempts < (options.maxAttempts ?? 6)) queue.push({ body, attempts: attempts + 1 });
    }
  }
  return retries;
}

/** A clean run of `csv` under `key`: the reference a faulty run must reproduce. */
async function cleanRun(csv: string, key: string, year: number) {
  const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
  await runToEnd(testEnv, await putObject(key, csv));
  const id = await ingestionIdOfKey(key);
  const record = await ingestion(id);
  expect(record?.status).toBe("done");
  expect(record?.chunk_count).toBeGreaterThanOrEqual(4);
  return { id, record: record as IngestionRow, totals: await activeTotals(year), counts: await counts(id) };
}

const fileOf = (year: number) => genCsv(syntheticRows(120, year, 7));

describe("the same notification delivered twice at once", () => {
  it("single-chunk file: one ingestion, every row once", async () => {
    const testEnv = steppedEnv();
    const notification = await putObject("twice-small.csv", fileOf(1998));
    const results = await Promise.all([deliver(testEnv, notification), deliver(testEnv, notification)]);
    for (const r of results) expect(r.retryMessages).toHaveLength(0);
    await drain(testEnv);
    const id = await ingestionIdOfKey("twice-small.csv");
    expect(await ingestion(id)).toMatchObject({ status: "done", rows_read: 120, rows_loaded: 120, rows_rejected: 0 });
    expect(await counts(id)).toMatchObject({ generators: 120, plants: 120 });
    const { results: records } = await env.DB.prepare(
      "SELECT id FROM ingestions WHERE object_key = 'twice-small.csv'",
    ).all();
    expect(records).toHaveLength(1);
    expect(await activeIngestion(1998)).toBe(id);
  });

  it("multi-chunk file, and every chunk message also delivered twice at once: same data as a clean run", async () => {
    const clean = await cleanRun(fileOf(1999), "twice-clean.csv", 1999);
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
    const notification = await putObject("twice-multi.csv", fileOf(1999));
    await Promise.all([deliver(testEnv, notification), deliver(testEnv, notification)]);
    for (let sent = testEnv.INGEST_QUEUE.take(); sent.length > 0; sent = testEnv.INGEST_QUEUE.take()) {
      await Promise.all(sent.flatMap((body) => [deliver(testEnv, body), deliver(testEnv, body)]));
    }
    const id = await ingestionIdOfKey("twice-multi.csv");
    expect(await ingestion(id)).toMatchObject({
      status: "done",
      rows_read: 120,
      rows_loaded: 120,
      rows_rejected: 0,
      replaced_ingestion_id: clean.id,
    });
    expect(await counts(id)).toEqual(clean.counts);
    expect(await activeIngestion(1999)).toBe(id);
    expect(await activeTotals(1999)).toEqual(clean.totals);
  });

  it("two sends on the real queue at once: one ingestion, every row once", async () => {
    const notification = await putObject("twice-real-queue.csv", fileOf(2000));
    await Promise.all([env.INGEST_QUEUE.send(notification), env.INGEST_QUEUE.send(notification)]);
    const id = await ingestionIdOfKey("twice-real-queue.csv");
    let record = await ingestion(id);
    for (let i = 0; i < 500 && record?.status !== "done"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      record = await ingestion(id);
    }
    expect(record).toMatchObject({ status: "done", rows_loaded: 120 });
    expect(await counts(id)).toMatchObject({ generators: 120, plants: 120 });
  });
});

describe("duplicated generator rows in different chunks", () => {
  // Regression (was finding F2): a row repeated in a later chunk left no line or reason.
  it("a row repeated in a later chunk is rejected with its line and 'duplicate' as the reason", async () => {
    const rows = syntheticRows(120, 2004, 7);
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
    const notification = await putObject("dupe-across-chunks.csv", genCsv([...rows, rows[0] as string]));
    await runToEnd(testEnv, notification);
    const id = await ingestionIdOfKey("dupe-across-chunks.csv");
    expect(await ingestion(id)).toMatchObject({ status: "done", rows_read: 121, rows_loaded: 120, rows_rejected: 1 });
    const rejected = await env.DB.prepare("SELECT line, reason FROM rejected_rows WHERE ingestion_id = ?")
      .bind(id)
      .all();
    expect(rejected.results).toEqual([{ line: 123, reason: expect.stringContaining("duplicate of line 3") }]);
  });

  it("counts are right even so: 120 loaded, 1 rejected, plant totals not doubled", async () => {
    const rows = syntheticRows(120, 2005, 7);
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
    await runToEnd(testEnv, await putObject("dupe-across-chunks-2005.csv", genCsv([...rows, rows[0] as string])));
    const id = await ingestionIdOfKey("dupe-across-chunks-2005.csv");
    expect(await ingestion(id)).toMatchObject({ status: "done", rows_read: 121, rows_loaded: 120, rows_rejected: 1 });
    expect(await activeTotals(2005)).toContainEqual(
      expect.objectContaining({ plant_key: "TX:Plant 1, Unit", net_generation_mwh: 7, generator_count: 1 }),
    );
  });
});

describe("two revisions of one year ingested at the same time", () => {
  async function startBoth(year: number, keyA: string, keyB: string) {
    const envA = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
    const envB = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
    await deliver(envA, await putObject(keyA, genCsv(syntheticRows(100, year, 1))));
    await deliver(envB, await putObject(keyB, genCsv(syntheticRows(90, year, 3))));
    return { envA, envB, a: await ingestionIdOfKey(keyA), b: await ingestionIdOfKey(keyB) };
  }

  // B is uploaded after A: B is the owner's latest intent, whichever finishes last (issue: the
  // file that finished last used to win).
  it("interleaved chunks: the revision uploaded later wins though the other completes later, and both records say so", async () => {
    const year = 2001;
    const { envA, envB, a, b } = await startBoth(year, "rev-a-2001.csv", "rev-b-2001.csv");
    const chunksA = envA.INGEST_QUEUE.take();
    const chunksB = envB.INGEST_QUEUE.take();
    // Interleave: A0 B0 A1 B1 ... then B finishes first, A last.
    for (let i = 0; i < Math.max(chunksA.length, chunksB.length) - 1; i++) {
      if (chunksA[i]) await deliver(envA, chunksA[i]);
      if (chunksB[i]) await deliver(envB, chunksB[i]);
    }
    for (const body of chunksB.slice(Math.max(chunksA.length, chunksB.length) - 1)) await deliver(envB, body);
    expect(await activeIngestion(year)).toBe(b);
    for (const body of chunksA.slice(Math.max(chunksA.length, chunksB.length) - 1)) await deliver(envA, body);
    expect(await activeIngestion(year)).toBe(b);
    const [ra, rb] = [await ingestion(a), await ingestion(b)];
    expect(ra).toMatchObject({ status: "done", superseded_by: b });
    expect(rb).toMatchObject({ status: "done", superseded_by: null });
    expect(Number(ra?.completed_at)).toBeGreaterThanOrEqual(Number(rb?.completed_at));
    expect(await activeTotals(year)).toHaveLength(90);
  });

  it("last chunks delivered at once: the later upload is active, the other superseded by it, totals of one file only", async () => {
    const year = 2002;
    const { envA, envB, a, b } = await startBoth(year, "rev-a-2002.csv", "rev-b-2002.csv");
    const chunksA = envA.INGEST_QUEUE.take();
    const chunksB = envB.INGEST_QUEUE.take();
    for (const body of chunksA.slice(0, -1)) await deliver(envA, body);
    for (const body of chunksB.slice(0, -1)) await deliver(envB, body);
    await Promise.all([deliver(envA, chunksA.at(-1)), deliver(envB, chunksB.at(-1))]);
    expect(await activeIngestion(year)).toBe(b);
    expect(await ingestion(b)).toMatchObject({ status: "done", superseded_by: null });
    expect(await ingestion(a)).toMatchObject({ status: "done", superseded_by: b });
    expect(await activeTotals(year)).toHaveLength(90);
  });

  // Regression (was finding F3): completed_at was taken before the publish batch ran. Now also:
  // a publish batch of the earlier upload that commits after the later upload's changes nothing.
  it("a publish that commits last records the latest completed_at, and never overrides a later upload", async () => {
    const year = 2003;
    const { envA, envB, a, b } = await startBoth(year, "rev-a-2003.csv", "rev-b-2003.csv");
    const chunksA = envA.INGEST_QUEUE.take();
    const chunksB = envB.INGEST_QUEUE.take();
    for (const body of chunksA.slice(0, -1)) await deliver(envA, body);
    // TEST DOUBLE of D1 for A: its publishing batch (the one that points the year at it) waits
    // until B has published, so A takes its timestamp first and commits second.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedPublish: () => void = () => {};
    const atPublish = new Promise<void>((resolve) => {
      reachedPublish = resolve;
    });
    const gatedEnv = {
      ...envA,
      DB: d1Double(env.DB, async (statements, run) => {
        if (statements.some((s) => sqlOf(s).includes("INSERT INTO datasets"))) {
          reachedPublish();
          await gate;
        }
        return run(statements);
      }),
    } as SteppedEnv;
    const lastA = deliver(gatedEnv, chunksA.at(-1));
    await atPublish;
    await new Promise((r) => setTimeout(r, 5)); // B's timestamp is taken later than A's
    for (const body of chunksB) await deliver(envB, body);
    expect(await activeIngestion(year)).toBe(b);
    release();
    await lastA;
    expect(await activeIngestion(year)).toBe(b);
    const [ra, rb] = [await ingestion(a), await ingestion(b)];
    expect(ra?.superseded_by).toBe(b);
    expect(rb?.superseded_by).toBeNull();
    expect(Number(ra?.completed_at)).toBeGreaterThanOrEqual(Number(rb?.completed_at));
  });
});

describe("a D1 error in the middle of a batch", () => {
  // A failing statement appended to the Nth batch makes the REAL batch fail part-way: its
  // earlier statements ran and must be rolled back (D1 batches are transactions).
  const failOnce = (n: number) => {
    let calls = 0;
    return (db: D1Database) =>
      d1Double(db, (statements, run) => {
        calls++;
        if (calls !== n) return run(statements);
        return run([...statements, db.prepare("INSERT INTO no_such_table_mid_batch VALUES (1)")]);
      });
  };

  // Batches of this 5-chunk file: 1 = plan, 2-6 = one per chunk, 7 = publish.
  it.each([1, 2, 3, 4, 5, 6, 7])(
    "batch #%i fails: nothing partial is visible, the message is retried, the result equals a clean run",
    async (n) => {
      const year = 2007 + n;
      const clean = await cleanRun(fileOf(year), `d1-clean-${n}.csv`, year);
      const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
      const faulty = { ...testEnv, DB: failOnce(n)(env.DB) } as SteppedEnv;
      const key = `d1-fault-${n}.csv`;
      const notification = await putObject(key, fileOf(year));
      const id = await ingestionIdOfKey(key);
      const retries = await runToEnd(faulty, notification, {
        afterFailure: async () => {
          // Between the failure and the retry: readers still see the clean run, and the
          // faulty ingestion holds rows only of chunks recorded as done.
          expect(await activeIngestion(year)).toBe(clean.id);
          expect(await activeTotals(year)).toEqual(clean.totals);
          const now = await counts(id);
          expect(now?.generators).toBe(now?.loadedByDoneChunks);
          // Plants are merged before the publishing batch: all of them when that batch failed,
          // none before. Either way no reader sees them (checked above).
          expect(now?.plants).toBe(n === 7 ? clean.counts?.plants : 0);
          expect((await ingestion(id))?.error).toMatch(/^Attempt 1 failed, retrying: .*no_such_table_mid_batch/);
        },
      });
      expect(retries).toBe(1);
      expect(await ingestion(id)).toMatchObject({
        status: "done",
        error: null,
        rows_read: clean.record.rows_read,
        rows_loaded: clean.record.rows_loaded,
        plant_count: clean.record.plant_count,
        replaced_ingestion_id: clean.id,
      });
      expect(await counts(id)).toEqual(clean.counts);
      expect(await activeIngestion(year)).toBe(id);
      expect(await activeTotals(year)).toEqual(clean.totals);
    },
  );

  it("a plant-merge statement fails part-way through publishing: nothing visible, retried, the result equals a clean run", async () => {
    const year = 2015;
    const clean = await cleanRun(fileOf(year), "d1-clean-merge.csv", year);
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES, INGEST_PLANTS_PER_STATEMENT: "3" });
    // TEST DOUBLE of D1: the second plant-merge statement (plants 4-6) fails once.
    let merges = 0;
    const faulty = {
      ...testEnv,
      DB: d1Double(
        env.DB,
        (statements, run) => run(statements),
        (query, run) =>
          query.includes("INSERT INTO plants") && ++merges === 2
            ? Promise.reject(new Error("D1 went away mid-merge"))
            : run(),
      ),
    } as SteppedEnv;
    const key = "d1-fault-merge.csv";
    const notification = await putObject(key, fileOf(year));
    const id = await ingestionIdOfKey(key);
    const retries = await runToEnd(faulty, notification, {
      afterFailure: async () => {
        expect(await activeIngestion(year)).toBe(clean.id);
        expect(await activeTotals(year)).toEqual(clean.totals);
        expect((await counts(id))?.plants).toBe(3);
        expect((await ingestion(id))?.status).toBe("processing");
      },
    });
    expect(retries).toBe(1);
    expect(merges).toBeGreaterThan(3);
    expect(await ingestion(id)).toMatchObject({ status: "done", plant_count: clean.record.plant_count });
    expect(await counts(id)).toEqual(clean.counts);
    expect(await activeIngestion(year)).toBe(id);
    expect(await activeTotals(year)).toEqual(clean.totals);
  });

  it("a batch that always fails: retried, then dead-lettered, and the ingestion fails with the D1 reason", async () => {
    const year = 2006;
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
    const broken = {
      ...testEnv,
      DB: d1Double(env.DB, (statements, run) =>
        statements.some((s) => sqlOf(s).includes("INSERT INTO generators"))
          ? run([...statements, env.DB.prepare("INSERT INTO no_such_table_always VALUES (1)")])
          : run(statements),
      ),
    } as SteppedEnv;
    const notification = await putObject("d1-always.csv", fileOf(year));
    const id = await ingestionIdOfKey("d1-always.csv");
    await deliver(broken, notification);
    const [chunk] = broken.INGEST_QUEUE.take();
    for (let attempts = 1; attempts <= 6; attempts++) {
      const result = await deliver(broken, chunk, { attempts });
      expect(result.retryMessages, `attempt ${attempts}`).toHaveLength(1);
    }
    expect(await ingestion(id)).toMatchObject({ status: "processing", attempts: 6 });
    // wrangler.toml: max_retries = 5, then the message goes to egrid-ingest-dlq.
    await deliver(broken, chunk, { queue: "egrid-ingest-dlq" });
    const failed = await ingestion(id);
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toMatch(/^Gave up after 6 failed attempts: .*no_such_table_always/);
    expect(await activeIngestion(year)).toBeNull();
    expect((await counts(id))?.generators).toBe(0);
  });
});

describe("the consumer killed at each stage of a multi-chunk file, then retried", () => {
  // Stage calls of a 4+ chunk file: start, then chunk + finalize per chunk message.
  const points = Array.from({ length: 11 }, (_, i) => i + 1);
  it.each(points)("killed at stage call #%i: final data equals a clean run, no duplicates", async (k) => {
    const year = 2026 - k; // 2015..2025, one year per kill point, none shared with other tests
    const clean = await cleanRun(fileOf(year), `kill-clean-${k}.csv`, year);
    let calls = 0;
    let killedAt = "";
    const hooks: PipelineHooks = {
      stage: (name, detail) => {
        calls++;
        if (calls === k) {
          killedAt = `${name}${detail.chunkIndex ?? ""}`;
          throw new Error(`killed at ${killedAt}`);
        }
      },
    };
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: CHUNK_BYTES });
    const key = `kill-${k}.csv`;
    const notification = await putObject(key, fileOf(year));
    const id = await ingestionIdOfKey(key);
    const retries = await runToEnd(testEnv, notification, {
      hooks,
      afterFailure: async () => {
        expect(await activeIngestion(year)).toBe(clean.id);
        expect(await activeTotals(year)).toEqual(clean.totals);
      },
    });
    expect(killedAt, `stage call #${k} exists`).not.toBe("");
    expect(retries).toBe(1);
    expect(await ingestion(id)).toMatchObject({
      status: "done",
      error: null,
      rows_read: clean.record.rows_read,
      rows_loaded: clean.record.rows_loaded,
      rows_rejected: 0,
      plant_count: clean.record.plant_count,
      replaced_ingestion_id: clean.id,
    });
    expect(await counts(id)).toEqual(clean.counts);
    expect(await activeTotals(year)).toEqual(clean.totals);
  });
});

describe("KV slow or down: answers from D1, health says degraded", () => {
  it("/health answers 503 with kv 'timeout' when a KV read never returns, D1 still ok", async () => {
    const hanging = { get: () => new Promise(() => {}) } as unknown as KVNamespace;
    const res = await app.request("/health", {}, { ...env, CACHE: hanging });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: "degraded",
      checks: { kv: { ok: false, error: "timeout" }, d1: { ok: true }, r2: { ok: true } },
    });
  });
});
