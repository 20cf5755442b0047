import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestS3, type TestS3 } from "./support/s3-server";

// `npm run upload -- file.csv --s3` for data owners: scripts/lib/s3-upload.ts puts a file into a
// bucket through the S3 API (R2's S3 endpoint or MinIO); here against a real S3 server.

const helper = resolve(import.meta.dirname, "../../scripts/lib/s3-upload.ts");
const available = existsSync(helper);
if (!available) console.log("[test:s3] upload --s3 tests skipped: scripts/lib/s3-upload.ts does not exist yet");

type Progress = { loaded: number; total: number };
type UploadFileToS3 = (options: {
  file: string;
  key: string;
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  onProgress?: (...args: unknown[]) => void;
}) => Promise<unknown>;

/** Accepts `onProgress(loaded, total)` and `onProgress({ loaded, total })`. */
function readProgress(args: unknown[]): Progress {
  const [first, second] = args;
  if (typeof first === "number") return { loaded: first, total: Number(second) };
  const p = first as Record<string, number>;
  return { loaded: p.loaded ?? p.sent ?? p.bytes ?? Number.NaN, total: p.total ?? Number.NaN };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe.skipIf(!available)("upload --s3 (uploadFileToS3)", () => {
  let s3: TestS3;
  let bucket: string;
  let dir: string;
  let uploadFileToS3: UploadFileToS3;

  beforeAll(async () => {
    ({ uploadFileToS3 } = (await import(pathToFileURL(helper).href)) as { uploadFileToS3: UploadFileToS3 });
    s3 = await startTestS3();
    console.log(`[test:s3] upload tests use ${s3.kind} at ${s3.endpoint}`);
    bucket = await s3.createBucket("egrid-upload");
    dir = await mkdtemp(join(tmpdir(), "egrid-upload-"));
  }, 60_000);

  afterAll(async () => {
    await s3?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function upload(name: string, bytes: Uint8Array, key: string) {
    const file = join(dir, name);
    await writeFile(file, bytes);
    const progress: Progress[] = [];
    await uploadFileToS3({
      file,
      key,
      endpoint: s3.endpoint,
      bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      region: s3.region,
      onProgress: (...args) => progress.push(readProgress(args)),
    });
    const stored = await s3.getObject(bucket, key);
    expect(stored.status).toBe(200);
    return { stored: new Uint8Array(await stored.arrayBuffer()), progress };
  }

  it("stores a small CSV byte for byte and reports progress up to its size", async () => {
    const bytes = new Uint8Array(Buffer.from('SEQGEN23,YEAR,PSTATABB\n1,2023,AK\n2,2023,"TX"\n'));
    const { stored, progress } = await upload("small.csv", bytes, "uploads/small 2023.csv");
    expect(stored.byteLength).toBe(bytes.byteLength);
    expect(sha256(stored)).toBe(sha256(bytes));
    expect(progress.at(-1)).toEqual({ loaded: bytes.byteLength, total: bytes.byteLength });
  });

  it("stores a 24 MiB file intact, with progress that only grows", async () => {
    const line = "12345,2023,TX,W A Parish,3470,WAP5,4567890.1\n";
    const bytes = new Uint8Array(Buffer.from(line.repeat(Math.ceil((24 * 1024 * 1024) / line.length))));
    const { stored, progress } = await upload("big.csv", bytes, "uploads/big.csv");
    expect(stored.byteLength).toBe(bytes.byteLength);
    expect(sha256(stored)).toBe(sha256(bytes));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.map((p) => p.loaded)).toEqual([...progress.map((p) => p.loaded)].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ loaded: bytes.byteLength, total: bytes.byteLength });
  });
});
