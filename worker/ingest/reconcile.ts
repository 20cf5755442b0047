import { sendAll } from "./messages";
import { ingestionIdFor, notificationForObject } from "./notification";
import { bareEtag } from "./rows";

/** An ingestion not finished this long after it was queued is nudged again. */
const STALE_AFTER_MS = 30 * 60 * 1000;

export interface ReconcileSummary {
  listed: number;
  enqueued: string[];
  resumed: string[];
}

/**
 * Lists the bucket and enqueues every CSV object version that has no ingestion record (missed
 * or never-configured notifications, files uploaded before setup, `wrangler r2 object put
 * --local`), and re-sends the notification of ingestions stuck unfinished.
 */
export async function reconcile(env: Env): Promise<ReconcileSummary> {
  const bucket = env.UPLOADS_BUCKET_NAME;
  const summary: ReconcileSummary = { listed: 0, enqueued: [], resumed: [] };
  let cursor: string | undefined;
  do {
    const page = await env.UPLOADS.list({ cursor, limit: 1000 });
    const csv = page.objects.filter((o) => /\.csv$/i.test(o.key));
    summary.listed += csv.length;
    const ids = await Promise.all(csv.map((o) => ingestionIdFor(bucket, o.key, bareEtag(o.etag))));
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 90) {
      const part = ids.slice(i, i + 90);
      const { results } = await env.DB.prepare(`SELECT id FROM ingestions WHERE id IN (SELECT value FROM json_each(?))`)
        .bind(JSON.stringify(part))
        .all<{ id: string }>();
      for (const { id } of results) known.add(id);
    }
    const missing = csv.filter((_, i) => !known.has(ids[i] as string));
    await sendAll(
      env.INGEST_QUEUE,
      missing.map((o) => notificationForObject(bucket, o)),
    );
    summary.enqueued.push(...missing.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);

  const { results: stale } = await env.DB.prepare(
    `SELECT object_key, etag, size_bytes, id FROM ingestions
     WHERE status IN ('queued', 'processing') AND queued_at < ?1 ORDER BY queued_at LIMIT 100`,
  )
    .bind(Date.now() - STALE_AFTER_MS)
    .all<{ object_key: string; etag: string; size_bytes: number; id: string }>();
  await sendAll(
    env.INGEST_QUEUE,
    stale.map((s) => notificationForObject(bucket, { key: s.object_key, etag: s.etag, size: s.size_bytes })),
  );
  summary.resumed.push(...stale.map((s) => s.id));
  return summary;
}
