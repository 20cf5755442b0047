/**
 * The body R2 event notifications put on the queue, exactly as Cloudflare sends it:
 * `{"account","action","bucket","object":{"key","size","eTag"},"eventTime","copySource"?}`.
 * Deletes carry no size or eTag.
 */
export interface R2EventNotification {
  account: string;
  action: "PutObject" | "CopyObject" | "CompleteMultipartUpload" | "DeleteObject" | "LifecycleDeletion";
  bucket: string;
  object: { key: string; size?: number; eTag?: string };
  eventTime: string;
  copySource?: { bucket: string; object: string };
}

export const CREATE_ACTIONS = new Set(["PutObject", "CopyObject", "CompleteMultipartUpload"]);
export const DELETE_ACTIONS = new Set(["DeleteObject", "LifecycleDeletion"]);

export function isR2EventNotification(body: unknown): body is R2EventNotification {
  if (typeof body !== "object" || body === null) return false;
  const b = body as Record<string, unknown>;
  const object = b.object as Record<string, unknown> | undefined;
  return typeof b.action === "string" && typeof b.bucket === "string" && typeof object?.key === "string";
}

/**
 * Builds the notification R2 would send for an object. Used where R2 sends none: local
 * development (Miniflare does not emulate notifications), API uploads and the reconciler.
 * Duplicates of a real notification are harmless: ingestion ids are content-addressed, and the
 * event time is the object's upload time, as R2's, so a duplicate is never a new upload.
 */
export function notificationForObject(
  bucket: string,
  object: { key: string; size: number; etag: string; uploaded?: Date },
  action: R2EventNotification["action"] = "PutObject",
): R2EventNotification {
  return {
    account: "local",
    action,
    bucket,
    object: { key: object.key, size: object.size, eTag: object.etag },
    eventTime: (object.uploaded ?? new Date()).toISOString(),
  };
}

/** The ingestion id of one object version: the same bucket, key and eTag always give the same id. */
export async function ingestionIdFor(bucket: string, key: string, etag: string): Promise<string> {
  const bytes = new TextEncoder().encode(`${bucket}\n${key}\n${etag.replaceAll('"', "")}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}
