import { sendAll } from "./messages";
import { UPLOAD_TIME } from "./retract";

/**
 * Per year, besides the version the year references (published, or remembered while withdrawn),
 * the rows of this many other `done`/`held` versions are kept, the most recently uploaded: an owner
 * can roll back to them at once (re-put, or publish by hand). Older ones are purged: D1 grew to
 * 2.25 GB after ~289 MB of CSV when every revision was kept, and its cap is 10 GB.
 */
export const KEEP_OTHER_VERSIONS = 2;
/** Versions queued for purging per run: each is a bounded chain of purge messages. */
const PURGES_PER_RUN = 100;

/**
 * Rows that can never be served again: versions that failed, were skipped or retracted,
 * superseded versions beyond the retention window, and versions whose purge began (purged_at
 * set) but stopped with rows left (a lost purge message). Never one a year references. Raw SQL:
 * a compound SELECT with a window function over UPLOAD_TIME, an expression shared with retract.ts.
 */
const PURGE_CANDIDATES = `
  SELECT id FROM ingestions
   WHERE status IN ('failed', 'skipped', 'retracted') AND purged_at IS NULL
     AND id NOT IN (SELECT ingestion_id FROM datasets)
  UNION ALL
  SELECT id FROM ingestions AS i
   WHERE purged_at IS NOT NULL AND status NOT IN ('queued', 'processing')
     AND id NOT IN (SELECT ingestion_id FROM datasets)
     AND (EXISTS (SELECT 1 FROM plants WHERE ingestion_id = i.id)
       OR EXISTS (SELECT 1 FROM plant_parts WHERE ingestion_id = i.id)
       OR EXISTS (SELECT 1 FROM generators WHERE ingestion_id = i.id))
  UNION ALL
  SELECT id FROM (
    SELECT id, row_number() OVER (PARTITION BY data_year ORDER BY ${UPLOAD_TIME} DESC, completed_at DESC) AS newer
      FROM ingestions
     WHERE status IN ('done', 'held') AND purged_at IS NULL AND id NOT IN (SELECT ingestion_id FROM datasets))
   WHERE newer > ?1
  LIMIT ?2`;

/** Queues the purge of every version outside the retention window (bounded per run); returns their ids. */
export async function applyRetention(env: Env): Promise<string[]> {
  const { results } = await env.DB.prepare(PURGE_CANDIDATES)
    .bind(KEEP_OTHER_VERSIONS, PURGES_PER_RUN)
    .all<{ id: string }>();
  await sendAll(
    env.INGEST_QUEUE,
    results.map(({ id }) => ({ type: "purge", ingestionId: id })),
  );
  return results.map(({ id }) => id);
}
