import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ingestionIdFor, notificationForObject } from "../../domain/r2-events";
import { s3Imports } from "../db/schema";
import { readS3ImportConfig, type S3ImportConfig } from "./config";
import { type CopyLimits, copyToR2, DEFAULT_COPY_LIMITS } from "./copy-to-r2";
import { S3Source } from "./s3-source";
import type { ListedObject } from "./s3-xml";

export { S3ImportNotConfiguredError } from "./config";

/** True when every required S3_IMPORT_* setting is present; lets the cron skip the import quietly. */
export function isS3ImportConfigured(env: Env): boolean {
  return Boolean(
    env.S3_IMPORT_ENDPOINT && env.S3_IMPORT_BUCKET && env.S3_IMPORT_ACCESS_KEY_ID && env.S3_IMPORT_SECRET_ACCESS_KEY,
  );
}
export { S3SourceError } from "./s3-source";

export interface ImportSummary {
  /** `endpoint/bucket` of the source. */
  source: string;
  /** Objects the listing returned during this run (CSV or not). */
  listed: number;
  imported: Array<{ key: string; r2Key: string; ingestionId: string }>;
  /** Listed objects left alone: not `.csv`, or already imported with the same ETag. */
  skipped: number;
  /** Per-object failures; the next run tries these objects again. */
  errors: Array<{ key: string; error: string }>;
  /** True when `maxObjects` ended the run before the listing did; the next run continues. */
  more: boolean;
}

export interface ImportOptions {
  trigger: "schedule" | "api";
  /** New objects copied per run at most (default 20); bounds subrequests and wall time. */
  maxObjects?: number;
  /** Keys per ListObjectsV2 page (default and S3 maximum 1,000). */
  listPageSize?: number;
  /** Overrides the multipart threshold and part size (tests use small ones). */
  copyLimits?: Partial<CopyLimits>;
}

export const DEFAULT_MAX_OBJECTS = 20;
// Two copies at once hold at most four connections (S3 GET + R2 write each), under the six
// simultaneous connections a Worker may open, leaving room for D1 and the queue.
const CONCURRENT_COPIES = 2;
// D1 binds at most 100 parameters per statement: one for the source, the rest for keys.
const KEYS_PER_QUERY = 99;

/**
 * Copies new `.csv` objects from the configured S3-compatible bucket into R2 under
 * `imports/<bucket>/<key>` and enqueues the notification R2 would send, so the normal pipeline
 * ingests them. Objects already imported with the same key and ETag are skipped.
 *
 * @throws S3ImportNotConfiguredError when S3_IMPORT_* settings are missing.
 * @throws S3SourceError when the bucket cannot be listed (unreachable, missing bucket, bad keys).
 * @example
 * const summary = await importFromS3(env, { trigger: "schedule" });
 * // { source: "https://s3.example.com/egrid", listed: 3, imported: [...], skipped: 2, errors: [], more: false }
 */
export async function importFromS3(env: Env, options: ImportOptions = { trigger: "api" }): Promise<ImportSummary> {
  const config = readS3ImportConfig(env);
  const maxObjects = options.maxObjects ?? DEFAULT_MAX_OBJECTS;
  if (!Number.isSafeInteger(maxObjects) || maxObjects < 1) {
    throw new RangeError(`maxObjects must be a positive integer, got ${maxObjects}`);
  }
  const source = new S3Source(config);
  const summary: ImportSummary = {
    source: config.source,
    listed: 0,
    imported: [],
    skipped: 0,
    errors: [],
    more: false,
  };

  const pending: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await source.listPage(token, options.listPageSize);
    token = page.nextContinuationToken;
    summary.listed += page.objects.length;
    const csvs = page.objects.filter((object) => object.key.toLowerCase().endsWith(".csv"));
    summary.skipped += page.objects.length - csvs.length;
    const done = await importedVersions(env.DB, config.source, csvs);
    for (const object of csvs) {
      if (done.has(versionId(object.key, object.etag))) summary.skipped++;
      else if (pending.length < maxObjects) pending.push(object);
      else summary.more = true;
    }
  } while (token && pending.length < maxObjects);
  if (token) summary.more = true;

  const results = new Array<ImportSummary["imported"][number] | undefined>(pending.length);
  const limits = { ...DEFAULT_COPY_LIMITS, ...options.copyLimits };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < pending.length; i = next++) {
      const object = pending[i] as ListedObject;
      try {
        results[i] = await importObject(env, config, source, object, limits);
      } catch (error) {
        summary.errors.push({ key: object.key, error: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_COPIES, pending.length) }, worker));
  summary.imported = results.filter((r) => r !== undefined);

  console.log(
    `s3 import (${options.trigger}) from ${config.source}: listed ${summary.listed}, imported ${summary.imported.length}, ` +
      `skipped ${summary.skipped}, errors ${summary.errors.length}${summary.more ? ", more to come" : ""}`,
  );
  return summary;
}

async function importObject(
  env: Env,
  config: S3ImportConfig,
  source: S3Source,
  object: ListedObject,
  limits: CopyLimits,
) {
  const r2Key = `imports/${config.bucket}/${object.key}`;
  const copied = await copyToR2(
    source,
    object,
    {
      bucket: env.UPLOADS,
      key: r2Key,
      options: {
        httpMetadata: { contentType: "text/csv" },
        customMetadata: { source: config.source, sourceKey: object.key, sourceEtag: object.etag },
      },
    },
    limits,
  );
  await env.INGEST_QUEUE.send(notificationForObject(env.UPLOADS_BUCKET_NAME, copied.object));
  const ingestionId = await ingestionIdFor(env.UPLOADS_BUCKET_NAME, r2Key, copied.object.etag);
  await drizzle(env.DB)
    .insert(s3Imports)
    .values({
      source: config.source,
      sourceKey: object.key,
      sourceEtag: copied.sourceEtag,
      sizeBytes: copied.object.size,
      r2Key,
      ingestionId,
      importedAt: Date.now(),
    })
    .onConflictDoNothing();
  return { key: object.key, r2Key, ingestionId };
}

function versionId(key: string, etag: string): string {
  return `${key}\n${etag}`;
}

/** The key+ETag pairs of `objects` already in s3_imports for this source. */
async function importedVersions(d1: D1Database, source: string, objects: ListedObject[]): Promise<Set<string>> {
  const db = drizzle(d1);
  const done = new Set<string>();
  const keys = [...new Set(objects.map((o) => o.key))];
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
    const rows = await db
      .select({ key: s3Imports.sourceKey, etag: s3Imports.sourceEtag })
      .from(s3Imports)
      .where(and(eq(s3Imports.source, source), inArray(s3Imports.sourceKey, keys.slice(i, i + KEYS_PER_QUERY))));
    for (const row of rows) done.add(versionId(row.key, row.etag));
  }
  return done;
}
