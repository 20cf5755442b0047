import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { bareEtag } from "../../domain/etag";
import { ingestionIdFor, notificationForObject } from "../../domain/r2-events";
import { datasets, ingestions } from "../db/schema";
import { sendAll } from "./messages";
import { applyRetention } from "./retention";
import { LIVE, retractGone, STORED_VERSION } from "./retract";

/** An ingestion not finished this long after it was queued is nudged again. */
const STALE_AFTER_MS = 30 * 60 * 1000;
/** Versions missing from the listing confirmed gone (one R2 head each) and retracted per run. */
const GONE_CHECKS_PER_RUN = 50;
/** Live versions compared with the listing per run (retention keeps about 3 per year). */
const LIVE_VERSIONS_PER_RUN = 1000;

export interface ReconcileSummary {
  listed: number;
  enqueued: string[];
  resumed: string[];
  /** Versions whose object was deleted, their data withdrawn. */
  retracted: string[];
  /** Versions queued for purging by the retention window. */
  purging: string[];
}

/**
 * Lists the bucket and enqueues every CSV object version that has no ingestion record (missed
 * or never-configured notifications, files uploaded before setup, `wrangler r2 object put
 * --local`), re-sends the notification of ingestions stuck unfinished, retracts versions whose
 * object is gone (a delete whose notification was lost or dead-lettered), and catches up on
 * retention. Each part is bounded per run; the cron runs every 10 minutes.
 */
export async function reconcile(env: Env): Promise<ReconcileSummary> {
  const bucket = env.UPLOADS_BUCKET_NAME;
  const db = drizzle(env.DB);
  const summary: ReconcileSummary = { listed: 0, enqueued: [], resumed: [], retracted: [], purging: [] };
  const listedFrom = Date.now();
  const present = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await env.UPLOADS.list({ cursor, limit: 1000 });
    for (const o of page.objects) present.add(o.key);
    const csv = page.objects.filter((o) => /\.csv$/i.test(o.key));
    summary.listed += csv.length;
    const ids = await Promise.all(csv.map((o) => ingestionIdFor(bucket, o.key, bareEtag(o.etag))));
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 90) {
      const part = ids.slice(i, i + 90);
      // One JSON array per statement: 90 bound values would come close to D1's 100 per statement.
      const rows = await db
        .select({ id: ingestions.id })
        .from(ingestions)
        .where(inArray(ingestions.id, sql`(SELECT value FROM json_each(${JSON.stringify(part)}))`));
      for (const { id } of rows) known.add(id);
    }
    const missing = csv.filter((_, i) => !known.has(ids[i] as string));
    await sendAll(
      env.INGEST_QUEUE,
      missing.map((o) => notificationForObject(bucket, o)),
    );
    summary.enqueued.push(...missing.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);

  const stale = await db
    .select({
      object_key: ingestions.objectKey,
      etag: ingestions.etag,
      size_bytes: ingestions.sizeBytes,
      id: ingestions.id,
      uploaded_at: ingestions.uploadedAt,
      queued_at: ingestions.queuedAt,
    })
    .from(ingestions)
    .where(
      and(inArray(ingestions.status, ["queued", "processing"]), lt(ingestions.queuedAt, Date.now() - STALE_AFTER_MS)),
    )
    .orderBy(ingestions.queuedAt)
    .limit(100);
  await sendAll(
    env.INGEST_QUEUE,
    // The version's own upload time: a resumption is not a new upload (worker/ingest/start.ts).
    stale.map((s) =>
      notificationForObject(bucket, {
        key: s.object_key,
        etag: s.etag,
        size: s.size_bytes as number, // unknown (null) stays unknown: start.ts records what it gets
        uploaded: new Date(s.uploaded_at ?? s.queued_at),
      }),
    ),
  );
  summary.resumed.push(...stale.map((s) => s.id));
  summary.retracted = await retractVanished(env, present, listedFrom);
  summary.purging = await applyRetention(env);
  return summary;
}

/**
 * Retracts published versions whose object key R2 no longer holds (checked with a head each: one
 * per year), then other live versions whose key is missing from the listing (confirmed with a head).
 * Only versions queued before the listing began are compared with it.
 */
async function retractVanished(env: Env, present: Set<string>, listedFrom: number): Promise<string[]> {
  const db = drizzle(env.DB);
  const published = await db
    .select(STORED_VERSION)
    .from(datasets)
    .innerJoin(ingestions, eq(ingestions.id, datasets.ingestionId));
  const retracted = await retractGone(env, published);
  const live = await db
    .select(STORED_VERSION)
    .from(ingestions)
    .where(
      and(
        eq(ingestions.bucket, env.UPLOADS_BUCKET_NAME),
        inArray(ingestions.status, LIVE),
        lt(ingestions.queuedAt, listedFrom),
      ),
    )
    .orderBy(ingestions.queuedAt)
    .limit(LIVE_VERSIONS_PER_RUN);
  const missing = live.filter((v) => !present.has(v.object_key) && !retracted.includes(v.id));
  retracted.push(...(await retractGone(env, missing.slice(0, GONE_CHECKS_PER_RUN))));
  return retracted;
}
