import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../../worker/ingest/consumer";
import { deliver, drain, steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { ingestCsv, ingestionIdOfKey, putObject, waitForIngestion } from "../helpers/ingest";
import { activeIngestion, activeTotals, generatorCount, ingestion } from "../helpers/queries";

describe("queue consumer on the real queue", () => {
  it("loads a messy file and publishes plant totals, with line numbers for rejected rows", async () => {
    const done = await ingestCsv(
      genCsv([
        '1,2023,TX,"Big Plant, Unit A",G1,"20,961"',
        '2,2023,TX,"Big Plant, Unit A",G2, (11)',
        '3,2023,TX,"Big Plant, Unit A",G3,',
        '4,2023,AZ,Storage,PS1," (18,847)"',
        "5,2023,ZZ,Nowhere,G1,5",
        "6,2023,AZ,Solar One,S1,abc",
        "7,2022,AZ,Old,S1,1",
      ]),
    );
    expect(done).toMatchObject({
      status: "done",
      rows_read: 7,
      rows_loaded: 4,
      rows_rejected: 3,
      plant_count: 2,
      data_year: 2023,
    });
    const { results: plants } = await env.DB.prepare(
      "SELECT plant_key, net_generation_mwh, generator_count, unknown_generator_count FROM plants WHERE ingestion_id = ? ORDER BY net_generation_mwh DESC",
    )
      .bind(done.id)
      .all();
    expect(plants).toEqual([
      { plant_key: "TX:Big Plant, Unit A", net_generation_mwh: 20_950, generator_count: 3, unknown_generator_count: 1 },
      { plant_key: "AZ:Storage", net_generation_mwh: -18_847, generator_count: 1, unknown_generator_count: 0 },
    ]);
    const { results: rejected } = await env.DB.prepare(
      "SELECT line, reason FROM rejected_rows WHERE ingestion_id = ? ORDER BY line",
    )
      .bind(done.id)
      .all();
    expect(rejected).toEqual([
      { line: 7, reason: expect.stringContaining('unknown state code "ZZ"') },
      { line: 8, reason: expect.stringContaining('"abc" is not a number') },
      { line: 9, reason: expect.stringContaining("YEAR 2022 differs from the file's data year 2023") },
    ]);
    expect(await activeIngestion(2023)).toBe(done.id);
  });

  it("ignores a redelivered notification: one ingestion, no duplicated rows", async () => {
    const notification = await putObject("redelivery.csv", genCsv(syntheticRows(30)));
    await env.INGEST_QUEUE.send(notification);
    await env.INGEST_QUEUE.send(notification);
    const id = await ingestionIdOfKey("redelivery.csv");
    const first = await waitForIngestion(id);
    await env.INGEST_QUEUE.send(notification);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let the third delivery run
    const { results } = await env.DB.prepare("SELECT id FROM ingestions WHERE object_key = 'redelivery.csv'").all();
    expect(results).toHaveLength(1);
    expect(await ingestion(id)).toMatchObject({ status: "done", rows_loaded: 30, completed_at: first.completed_at });
    expect(await generatorCount(id)).toBe(30);
  });

  it("reconciles objects that never got a notification", async () => {
    await env.UPLOADS.put("quiet/upload.csv", genCsv(syntheticRows(5, 2008)));
    await env.UPLOADS.put("quiet/readme.txt", "not csv");
    const response = await (await import("cloudflare:workers")).exports.default.fetch(
      new Request("http://local/__dev/reconcile", { method: "POST" }),
    );
    expect(await response.json()).toMatchObject({ enqueued: ["quiet/upload.csv"] });
    const done = await waitForIngestion(await ingestionIdOfKey("quiet/upload.csv"));
    expect(done).toMatchObject({ status: "done", rows_loaded: 5 });
  });
});

describe("multi-chunk files, crashes and retries (messages delivered one by one)", () => {
  // Each test of this file uses its own data years: storage is shared within a file.
  const csv = genCsv(syntheticRows(400, 2021));

  it("splits a file into chunks and publishes once, after the last", async () => {
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "2009" });
    const notification = await putObject("chunks.csv", csv);
    await deliver(testEnv, notification);
    const id = await ingestionIdOfKey("chunks.csv");
    const planned = await ingestion(id);
    expect(planned?.status).toBe("processing");
    expect(planned?.chunk_count).toBeGreaterThan(5);
    expect(await activeIngestion(2021)).toBeNull();
    expect(await drain(testEnv)).toBe(planned?.chunk_count);
    expect(await ingestion(id)).toMatchObject({ status: "done", rows_read: 400, rows_loaded: 400, plant_count: 400 });
    expect(await activeIngestion(2021)).toBe(id);
  });

  it("recovers from a crash between chunk batches: same data as a clean run, nothing visible before", async () => {
    const clean = steppedEnv({ INGEST_CHUNK_BYTES: "2009" });
    await deliver(clean, await putObject("clean.csv", csv));
    await drain(clean);
    const cleanId = await ingestionIdOfKey("clean.csv");
    expect(await activeIngestion(2021)).toBe(cleanId);
    const expected = await activeTotals(2021);

    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "2009" });
    await deliver(testEnv, await putObject("crashy.csv", csv));
    const id = await ingestionIdOfKey("crashy.csv");
    const chunks = testEnv.INGEST_QUEUE.take();
    let crashed = 0;
    const crashOnChunk3 = {
      stage: (stage: string, detail: { chunkIndex?: number }) => {
        if (stage === "chunk" && detail.chunkIndex === 3 && crashed++ === 0) throw new Error("worker killed");
      },
    };
    const results = [];
    for (const body of chunks) results.push(await deliver(testEnv, body, { hooks: crashOnChunk3 }));
    expect(results[3]?.retryMessages).toHaveLength(1);
    expect(await ingestion(id)).toMatchObject({
      status: "processing",
      error: expect.stringContaining("worker killed"),
    });
    expect(await activeIngestion(2021)).toBe(cleanId); // the half-done file is invisible

    expect((await deliver(testEnv, chunks[3], { attempts: 2 })).explicitAcks).toHaveLength(1);
    // A chunk redelivered after it committed changes nothing.
    await deliver(testEnv, chunks[0], { attempts: 2 });
    expect(await ingestion(id)).toMatchObject({ status: "done", rows_loaded: 400, rows_rejected: 0, error: null });
    expect(await generatorCount(id)).toBe(400);
    expect(await activeIngestion(2021)).toBe(id);
    expect(await activeTotals(2021)).toEqual(expected);
  });

  it("never double counts a row repeated in another chunk", async () => {
    const rows = syntheticRows(200, 2017);
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "2009" });
    await deliver(testEnv, await putObject("repeat-far.csv", genCsv([...rows, rows[0] as string])));
    await drain(testEnv);
    const record = await ingestion(await ingestionIdOfKey("repeat-far.csv"));
    expect(record).toMatchObject({
      status: "done",
      rows_read: 201,
      rows_loaded: 200,
      rows_rejected: 1,
      plant_count: 200,
    });
    expect(Number(record?.chunk_count)).toBeGreaterThan(3);
    const total = await env.DB.prepare("SELECT sum(net_generation_mwh) AS mwh FROM plants WHERE ingestion_id = ?")
      .bind(record?.id)
      .first("mwh");
    expect(total).toBe((200 * 201) / 2);
  });

  it("backs off exponentially between retries, capped at five minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(retryDelaySeconds)).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });

  it("fails the ingestion with the last reason when retries are exhausted (dead-letter queue)", async () => {
    const testEnv = steppedEnv();
    const notification = await putObject("doomed.csv", genCsv(syntheticRows(3)));
    const crash = { stage: () => Promise.reject(new Error("D1_ERROR: database is locked")) };
    const result = await deliver(testEnv, notification, { hooks: crash });
    expect(result.retryMessages).toHaveLength(1);
    expect(result.explicitAcks).toHaveLength(0);
    await deliver(testEnv, notification, { queue: "egrid-ingest-dlq" });
    expect(await ingestion(await ingestionIdOfKey("doomed.csv"))).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^Gave up after 1 failed attempts: D1_ERROR: database is locked/),
    });
  });
});

describe("trying a failed file again", () => {
  it("re-uploading the same bytes after a give-up ingests them; an old redelivery does not", async () => {
    const testEnv = steppedEnv({ INGEST_CHUNK_BYTES: "2009" });
    const first = await putObject("retry-me.csv", genCsv(syntheticRows(150, 2012)));
    await deliver(testEnv, first);
    const id = await ingestionIdOfKey("retry-me.csv");
    // Two chunks land, then D1 "goes down" for good: the message is dead-lettered.
    const chunks = testEnv.INGEST_QUEUE.take();
    for (const body of chunks.slice(0, 2)) await deliver(testEnv, body);
    await deliver(testEnv, chunks[2], { hooks: { stage: () => Promise.reject(new Error("D1 unavailable")) } });
    await deliver(testEnv, chunks[2], { queue: "egrid-ingest-dlq" });
    expect(await ingestion(id)).toMatchObject({ status: "failed", error: expect.stringContaining("D1 unavailable") });

    await deliver(testEnv, first); // the original notification, redelivered: nothing restarts
    expect(await ingestion(id)).toMatchObject({ status: "failed" });
    expect(testEnv.INGEST_QUEUE.take()).toEqual([]);

    // The owner uploads the very same file again: R2 sends a new notification.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await deliver(testEnv, { ...first, eventTime: new Date().toISOString() });
    await drain(testEnv);
    expect(await ingestion(id)).toMatchObject({
      status: "done",
      rows_read: 150,
      rows_loaded: 150,
      rows_rejected: 0,
      error: null,
    });
    expect(await generatorCount(id)).toBe(150);
    expect(await activeIngestion(2012)).toBe(id);
  });
});

describe("revisions and deletes", () => {
  it("replaces a year with the most recently completed file, keeps other years, and falls back on delete", async () => {
    const original = await ingestCsv(genCsv(syntheticRows(10, 2019)), "egrid2019.csv");
    const other = await ingestCsv(genCsv(syntheticRows(4, 2018)), "egrid2018.csv");
    const revision = await ingestCsv(genCsv(syntheticRows(12, 2019, 2)), "egrid2019_rev1.csv");
    expect(revision).toMatchObject({ status: "done", replaced_ingestion_id: original.id });
    expect(await ingestion(original.id)).toMatchObject({ status: "done", superseded_by: revision.id });
    expect(await activeIngestion(2019)).toBe(revision.id);
    expect(await activeIngestion(2018)).toBe(other.id);
    expect(await activeTotals(2019)).toHaveLength(12);

    // Uploading the same file again never double counts.
    await env.INGEST_QUEUE.send(await putObject("egrid2019_rev1.csv", genCsv(syntheticRows(12, 2019, 2))));
    const again = await waitForIngestion(await ingestionIdOfKey("egrid2019_rev1.csv"));
    expect(await activeTotals(2019)).toHaveLength(12);
    expect((await activeTotals(2019))[0]).toMatchObject({ net_generation_mwh: expect.any(Number), generator_count: 1 });
    expect(await activeIngestion(2019)).toBe(again.id);

    // Deleting the newest revision falls back to the previous file of that year.
    await env.UPLOADS.delete("egrid2019_rev1.csv");
    await drainDelete("egrid2019_rev1.csv");
    expect(await activeIngestion(2019)).toBe(original.id);
    expect(await ingestion(again.id)).toMatchObject({ status: "retracted" });
    expect(await generatorCount(again.id)).toBe(0); // purged
    expect(await activeIngestion(2018)).toBe(other.id);

    // Deleting the last file of a year leaves the year without data.
    await env.UPLOADS.delete("egrid2019.csv");
    await drainDelete("egrid2019.csv");
    expect(await activeIngestion(2019)).toBeNull();
    expect(await activeIngestion(2018)).toBe(other.id);
  });
});

async function drainDelete(key: string) {
  const testEnv = steppedEnv();
  await deliver(testEnv, {
    account: "local",
    action: "DeleteObject",
    bucket: env.UPLOADS_BUCKET_NAME,
    object: { key },
    eventTime: new Date().toISOString(),
  });
  await drain(testEnv);
}
