// Uploads a file to an S3-compatible bucket (R2's S3 endpoint, MinIO, AWS S3) with SigV4
// (aws4fetch): one PUT for small files, a multipart upload for large ones, reading one part at
// a time, so memory stays bounded whatever the file size.
import { type FileHandle, open, stat } from "node:fs/promises";
import { AwsClient } from "aws4fetch";

// Every part but the last must be at least 5 MiB (S3 and R2); memory stays at PART * PARALLEL.
const PART = 8 * 1024 * 1024;
const PARALLEL = 4;

/** Where an object goes: an S3 endpoint, bucket and key, and the credentials for it. */
export interface S3Target {
  key: string;
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
}

/** A SigV4 client for `target` and its object's path-style URL; names `caller` when a setting is missing. */
function s3Client({ key, endpoint, bucket, accessKeyId, secretAccessKey, region = "auto" }: S3Target, caller: string) {
  for (const [name, value] of Object.entries({ key, endpoint, bucket, accessKeyId, secretAccessKey })) {
    if (!value) throw new Error(`${caller}: ${name} is required`);
  }
  const client = new AwsClient({ accessKeyId, secretAccessKey, region, service: "s3", retries: 3 });
  const path = key.split("/").map(encodeURIComponent).join("/");
  return { client, key, url: `${endpoint.replace(/\/+$/, "")}/${encodeURIComponent(bucket)}/${path}` };
}

async function check(response: Response, what: string) {
  const text = await response.text();
  // CompleteMultipartUpload can answer 200 with an <Error> body (S3 API quirk).
  if (!response.ok || /<Error>/.test(text)) {
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    throw new Error(
      `S3 ${what} failed: HTTP ${response.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`,
    );
  }
  return text;
}

async function readPart(handle: FileHandle, position: number, length: number) {
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buffer, read, length - read, position + read);
    if (bytesRead === 0) throw new Error("file shrank while uploading");
    read += bytesRead;
  }
  return buffer;
}

/**
 * Uploads `file` as `bucket/key` at `endpoint` (path-style URLs). `onProgress({ loaded, total })`
 * is called after each part. Returns `{ key, bytes, etag, parts }`; a failed multipart upload is
 * aborted so no orphan parts are billed.
 *
 * @example
 *   await uploadFileToS3({ file: "GEN23.csv", key: "uploads/GEN23.csv",
 *     endpoint: "https://<account>.r2.cloudflarestorage.com", bucket: "egrid-uploads",
 *     accessKeyId, secretAccessKey, region: "auto" });
 */
export async function uploadFileToS3({
  file,
  onProgress,
  ...target
}: S3Target & { file: string; onProgress?: (progress: { loaded: number; total: number }) => void }) {
  const { client, url, key } = s3Client(target, "uploadFileToS3");
  const total = (await stat(file)).size;
  const handle = await open(file, "r");
  try {
    onProgress?.({ loaded: 0, total });
    if (total <= PART) {
      const body = await readPart(handle, 0, total);
      const response = await client.fetch(url, { method: "PUT", body, headers: { "content-type": "text/csv" } });
      await check(response, `PUT ${key}`);
      onProgress?.({ loaded: total, total });
      return { key, bytes: total, etag: response.headers.get("etag"), parts: 1 };
    }

    const created = await check(
      await client.fetch(`${url}?uploads`, { method: "POST", headers: { "content-type": "text/csv" } }),
      "CreateMultipartUpload",
    );
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created)?.[1];
    if (!uploadId) throw new Error("S3 CreateMultipartUpload returned no UploadId");
    const partCount = Math.ceil(total / PART);
    const etags = new Array(partCount);
    let next = 0;
    let loaded = 0;
    try {
      const worker = async () => {
        while (next < partCount) {
          const index = next++;
          const start = index * PART;
          const body = await readPart(handle, start, Math.min(PART, total - start));
          const query = `partNumber=${index + 1}&uploadId=${encodeURIComponent(uploadId)}`;
          const response = await client.fetch(`${url}?${query}`, { method: "PUT", body });
          await check(response, `UploadPart ${index + 1}/${partCount}`);
          etags[index] = response.headers.get("etag");
          loaded += body.length;
          onProgress?.({ loaded, total });
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, partCount) }, worker));
      const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`);
      const completed = await check(
        await client.fetch(`${url}?uploadId=${encodeURIComponent(uploadId)}`, {
          method: "POST",
          headers: { "content-type": "application/xml" },
          body: `<CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`,
        }),
        "CompleteMultipartUpload",
      );
      const etag = /<ETag>([^<]*)<\/ETag>/.exec(completed)?.[1]?.replaceAll("&quot;", '"') ?? null;
      return { key, bytes: total, etag, parts: partCount };
    } catch (error) {
      await client.fetch(`${url}?uploadId=${encodeURIComponent(uploadId)}`, { method: "DELETE" }).catch(() => {});
      throw error;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Deletes `bucket/key` at `endpoint` (S3 DeleteObject; deleting a missing key also succeeds). In
 * production R2 then sends the object-delete notification that retracts the file's data.
 */
export async function deleteObjectFromS3(target: S3Target): Promise<void> {
  const { client, url, key } = s3Client(target, "deleteObjectFromS3");
  await check(await client.fetch(url, { method: "DELETE" }), `DELETE ${key}`);
}

/** S3 settings from the environment, and the names of those missing (S3_REGION defaults to auto). */
export function s3ConfigFromEnv(env = process.env) {
  const names = ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;
  const [endpoint = "", bucket = "", accessKeyId = "", secretAccessKey = ""] = names.map((name) => env[name]);
  const config = { endpoint, bucket, accessKeyId, secretAccessKey, region: env.S3_REGION || "auto" };
  return { config, missing: names.filter((name) => !env[name]) };
}
