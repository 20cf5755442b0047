import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type ImportWorker, startImportWorker } from "./support/import-worker";
import { startTestS3, type TestS3 } from "./support/s3-server";

// The real Worker (Miniflare via wrangler) imports from a real S3 server (s3rver, or MinIO when
// S3_ENDPOINT is set) and the tests look at what a user would: R2 objects, s3_imports rows,
// notifications delivered to the ingest queue.

const GEN_CSV = [
  "SEQGEN23,YEAR,PSTATABB,PNAME,ORISPL,GENID,GENNTAN",
  '1,2023,AK,"Agrium Kenai Nitrogen Operations",54452,GEN1,"1,234.5"',
  "2,2023,TX,W A Parish,3470,WAP5,4567890.1",
  "",
].join("\n");

let s3: TestS3;
let worker: ImportWorker;
let bucket: string;

const sha256 = (text: string | Uint8Array) => createHash("sha256").update(text).digest("hex");

async function importOk(options: Parameters<ImportWorker["runImport"]>[0], vars?: Record<string, string | null>) {
  const outcome = await worker.runImport(options, vars);
  if (!outcome.ok) throw new Error(`import failed: ${outcome.name}: ${outcome.message}`);
  return outcome.summary;
}

beforeAll(async () => {
  s3 = await startTestS3();
  console.log(`[test:s3] import tests use ${s3.kind} at ${s3.endpoint}`);
  bucket = await s3.createBucket("egrid-import");
  worker = await startImportWorker({
    S3_IMPORT_ENDPOINT: s3.endpoint,
    S3_IMPORT_BUCKET: bucket,
    S3_IMPORT_REGION: s3.region,
    S3_IMPORT_PREFIX: "2023/",
    S3_IMPORT_ACCESS_KEY_ID: s3.accessKeyId,
    S3_IMPORT_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
  await s3?.close();
});

describe("S3 import into the pipeline", () => {
  const upper = "a,b\n1,2\n";
  const spaced = "x,y\n3,4\n";

  it("copies new .csv objects under the prefix into R2, records them and enqueues their notifications", async () => {
    const gen = await s3.putObject(bucket, "2023/gen23.csv", GEN_CSV);
    await s3.putObject(bucket, "2023/UPPER.CSV", upper);
    await s3.putObject(bucket, "2023/plants 2023 (é&more).csv", spaced);
    await s3.putObject(bucket, "2023/readme.txt", "not data");
    await s3.putObject(bucket, "2023/gen23.csv.gz", "not csv either");
    await s3.putObject(bucket, "2022/outside-prefix.csv", "a\n1\n");

    const summary = await importOk({ trigger: "api" });

    expect(summary.source).toBe(`${s3.endpoint}/${bucket}`);
    expect(summary.listed).toBe(5);
    expect(summary.skipped).toBe(2);
    expect(summary.errors).toEqual([]);
    expect(summary.more).toBe(false);
    expect(summary.imported.map((i) => i.key).sort()).toEqual(
      ["2023/UPPER.CSV", "2023/gen23.csv", "2023/plants 2023 (é&more).csv"].sort(),
    );

    const state = await worker.state();
    const object = state.objects.find((o) => o.key === `imports/${bucket}/2023/gen23.csv`);
    expect(object).toMatchObject({
      size: Buffer.byteLength(GEN_CSV),
      sha256: sha256(GEN_CSV),
      contentType: "text/csv",
      customMetadata: { source: summary.source, sourceKey: "2023/gen23.csv", sourceEtag: gen.etag },
    });
    expect(state.objects.find((o) => o.key === `imports/${bucket}/2023/plants 2023 (é&more).csv`)?.body).toBe(spaced);
    expect(state.objects.map((o) => o.key).sort()).toEqual(summary.imported.map((i) => i.r2Key).sort());

    const row = state.rows.find((r) => r.source_key === "2023/gen23.csv");
    expect(row).toMatchObject({
      source: summary.source,
      source_etag: gen.etag,
      size_bytes: Buffer.byteLength(GEN_CSV),
      r2_key: `imports/${bucket}/2023/gen23.csv`,
      ingestion_id: summary.imported.find((i) => i.key === "2023/gen23.csv")?.ingestionId,
    });
    expect(state.rows).toHaveLength(3);

    // Delivered by the local queue to the Worker's consumer, as R2 would have sent it.
    const delivered = await eventually(
      () => worker.state(),
      (s) => s.notifications.length >= 3,
    );
    expect(delivered.notifications).toContainEqual(
      expect.objectContaining({
        action: "PutObject",
        bucket: "egrid-uploads",
        object: { key: `imports/${bucket}/2023/gen23.csv`, size: Buffer.byteLength(GEN_CSV), eTag: object?.etag },
      }),
    );
  });

  it("imports nothing on a second run", async () => {
    const summary = await importOk({ trigger: "schedule" });
    expect(summary.imported).toEqual([]);
    expect(summary.listed).toBe(5);
    expect(summary.skipped).toBe(5);
    expect((await worker.state()).rows).toHaveLength(3);
  });

  it("imports an object again when its content (ETag) changed", async () => {
    const changed = `${GEN_CSV}3,2023,CA,Diablo Canyon,6099,1,9000000\n`;
    const { etag } = await s3.putObject(bucket, "2023/gen23.csv", changed);

    const summary = await importOk({ trigger: "api" });

    expect(summary.imported.map((i) => i.key)).toEqual(["2023/gen23.csv"]);
    const state = await worker.state();
    expect(state.objects.find((o) => o.key === `imports/${bucket}/2023/gen23.csv`)?.sha256).toBe(sha256(changed));
    const versions = state.rows.filter((r) => r.source_key === "2023/gen23.csv").map((r) => r.source_etag);
    expect(versions).toHaveLength(2);
    expect(versions).toContain(etag);
  });

  it("pages through the listing and stops at maxObjects; later runs continue", async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `2023/batch/plant-${i}.csv`);
    for (const key of keys) await s3.putObject(bucket, key, `id\n${key}\n`);

    const seen: string[] = [];
    const runs = [];
    for (let run = 0; run < 5; run++) {
      const summary = await importOk(
        { trigger: "schedule", maxObjects: 3, listPageSize: 2 },
        { S3_IMPORT_PREFIX: "2023/batch/" },
      );
      expect(summary.errors).toEqual([]);
      seen.push(...summary.imported.map((i) => i.key));
      runs.push({ imported: summary.imported.length, more: summary.more });
      if (!summary.more) break;
    }

    expect(runs).toEqual([
      { imported: 3, more: true },
      { imported: 3, more: true },
      { imported: 1, more: false },
    ]);
    expect(seen.sort()).toEqual(keys.sort());
  });

  it("copies a large object with a multipart upload of ranged GETs", async () => {
    // 12 MiB with 5 MiB parts: three ranged GETs, the last one short.
    const line = "9999,2023,TX,Some Plant,1234,GEN1,123456.7\n";
    const big = new Uint8Array(Buffer.from(line.repeat(Math.ceil((12 * 1024 * 1024) / line.length))));
    await s3.putObject(bucket, "2023/large/big.csv", big);

    const summary = await importOk(
      { trigger: "api", copyLimits: { multipartThresholdBytes: 8 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 } },
      { S3_IMPORT_PREFIX: "2023/large/" },
    );

    expect(summary.errors).toEqual([]);
    expect(summary.imported.map((i) => i.key)).toEqual(["2023/large/big.csv"]);
    const object = (await worker.state()).objects.find((o) => o.key === `imports/${bucket}/2023/large/big.csv`);
    expect(object?.size).toBe(big.byteLength);
    expect(object?.sha256).toBe(sha256(big));
  });
});

describe("S3 import errors", () => {
  it("collects a per-object failure and still imports the other objects", async () => {
    // R2 keys are limited to 1,024 bytes; `imports/<bucket>/` pushes this S3 key past it.
    const segment = "k".repeat(200);
    const tooLong = `2023/long/${[segment, segment, segment, segment, segment].join("/")}.csv`;
    await s3.putObject(bucket, tooLong, "a\n1\n");
    await s3.putObject(bucket, "2023/long/fine.csv", "a\n2\n");

    const summary = await importOk({ trigger: "api" }, { S3_IMPORT_PREFIX: "2023/long/" });

    expect(summary.imported.map((i) => i.key)).toEqual(["2023/long/fine.csv"]);
    expect(summary.errors).toEqual([{ key: tooLong, error: expect.stringMatching(/object name is not valid/) }]);
    expect((await worker.state()).rows.some((r) => r.source_key === tooLong)).toBe(false);
  });

  it("names the missing settings when the import is not configured", async () => {
    const outcome = await worker.runImport(
      { trigger: "api" },
      { S3_IMPORT_BUCKET: null, S3_IMPORT_SECRET_ACCESS_KEY: null },
    );
    expect(outcome).toMatchObject({ ok: false, name: "S3ImportNotConfiguredError" });
    expect(!outcome.ok && outcome.message).toMatch(/S3_IMPORT_BUCKET, S3_IMPORT_SECRET_ACCESS_KEY/);
  });

  it("reports a missing bucket clearly", async () => {
    const outcome = await worker.runImport({ trigger: "api" }, { S3_IMPORT_BUCKET: "no-such-bucket-egrid" });
    expect(outcome).toMatchObject({ ok: false, name: "S3SourceError" });
    expect(!outcome.ok && outcome.message).toMatch(/404 NoSuchBucket/);
  });

  it("reports rejected credentials clearly", async () => {
    const outcome = await worker.runImport({ trigger: "api" }, { S3_IMPORT_ACCESS_KEY_ID: "NOT-A-KEY" });
    expect(outcome).toMatchObject({ ok: false, name: "S3SourceError" });
    expect(!outcome.ok && outcome.message).toMatch(/403 InvalidAccessKeyId/);
  });

  it("reports an unreachable endpoint clearly", async () => {
    const outcome = await worker.runImport({ trigger: "api" }, { S3_IMPORT_ENDPOINT: "http://127.0.0.1:9" });
    expect(outcome).toMatchObject({ ok: false, name: "S3SourceError" });
    expect(!outcome.ok && outcome.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});

// The cron handler in worker/index.ts calls importFromS3 once the entry wires it (see docs/s3.md).
const entry = readFileSync(resolve(import.meta.dirname, "../../worker/index.ts"), "utf8");
describe.skipIf(!entry.includes("importFromS3"))("scheduled import", () => {
  it("imports new objects when the cron trigger fires", async () => {
    await s3.putObject(bucket, "2023/scheduled.csv", "a\n5\n");
    const response = await worker.triggerScheduled();
    expect(response.status).toBe(200);
    const state = await eventually(
      () => worker.state(),
      (s) => s.rows.some((r) => r.source_key === "2023/scheduled.csv"),
    );
    expect(state.objects.find((o) => o.key === `imports/${bucket}/2023/scheduled.csv`)?.body).toBe("a\n5\n");
  });
});
