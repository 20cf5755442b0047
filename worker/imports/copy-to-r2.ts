import type { S3Source } from "./s3-source";
import type { ListedObject } from "./s3-xml";
import { stripEtagQuotes } from "./s3-xml";

export interface CopyLimits {
  /** Objects larger than this are copied with an R2 multipart upload of ranged GETs. */
  multipartThresholdBytes: number;
  /** Size of every part but the last; R2 wants equal parts of at least 5 MiB. */
  partSizeBytes: number;
}

// A single R2 put takes up to 5 GiB; above 1 GiB parts keep each request short and let a
// failed part fail fast instead of re-sending gigabytes.
export const DEFAULT_COPY_LIMITS: CopyLimits = {
  multipartThresholdBytes: 1024 * 1024 * 1024,
  partSizeBytes: 64 * 1024 * 1024,
};

export interface CopyTarget {
  bucket: R2Bucket;
  key: string;
  options: Pick<R2PutOptions, "httpMetadata" | "customMetadata">;
}

export interface CopyResult {
  object: R2Object;
  /** ETag of the source version actually copied, quotes removed. */
  sourceEtag: string;
}

/**
 * Streams an object's body into a FixedLengthStream of its Content-Length: R2 put needs a known
 * length, and piping keeps memory flat whatever the size (128 MB per isolate).
 */
async function pipeWithLength<T>(response: Response, write: (body: ReadableStream) => Promise<T>): Promise<T> {
  const length = Number(response.headers.get("content-length"));
  if (!response.body || response.headers.get("content-length") === null || !Number.isSafeInteger(length)) {
    throw new Error("the source sent no Content-Length, so the object cannot be streamed into R2");
  }
  const { readable, writable } = new FixedLengthStream(length);
  const written = write(readable);
  const piped = response.body.pipeTo(writable);
  // Both settle: a failed pipe errors the readable, which fails the write.
  const [result] = await Promise.all([written, piped]);
  return result;
}

/** Copies one source object into R2 with a plain GET + put, or ranged GETs + multipart. */
export async function copyToR2(
  source: S3Source,
  object: ListedObject,
  target: CopyTarget,
  limits: CopyLimits = DEFAULT_COPY_LIMITS,
): Promise<CopyResult> {
  if (object.size <= limits.multipartThresholdBytes) {
    // If-Match: an object replaced since the listing fails with 412 and is retried next run.
    const response = await source.getObject(object.key, { ifMatch: object.etag || undefined });
    const sourceEtag = stripEtagQuotes(response.headers.get("etag") ?? object.etag);
    const put = await pipeWithLength(response, (body) => target.bucket.put(target.key, body, target.options));
    return { object: put, sourceEtag };
  }
  return { object: await copyMultipart(source, object, target, limits.partSizeBytes), sourceEtag: object.etag };
}

async function copyMultipart(source: S3Source, object: ListedObject, target: CopyTarget, partSize: number) {
  const upload = await target.bucket.createMultipartUpload(target.key, target.options);
  try {
    const parts: R2UploadedPart[] = [];
    for (let offset = 0, partNumber = 1; offset < object.size; offset += partSize, partNumber++) {
      const length = Math.min(partSize, object.size - offset);
      const response = await source.getObject(object.key, {
        range: { offset, length },
        ifMatch: object.etag || undefined,
      });
      if (response.status !== 206) {
        await response.body?.cancel();
        throw new Error(`the source ignored the Range header (status ${response.status}); cannot copy in parts`);
      }
      parts.push(await pipeWithLength(response, (body) => upload.uploadPart(partNumber, body)));
    }
    return await upload.complete(parts);
  } catch (error) {
    await upload.abort().catch(() => {});
    throw error;
  }
}
