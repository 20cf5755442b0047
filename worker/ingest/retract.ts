import { sendAll } from "./messages";

/** Rows deleted per statement when purging: bounded so each statement stays well under 30 s. */
const PURGE_ROWS = 20_000;
/** Statements per purge message; the next message continues. */
const PURGE_STATEMENTS = 20;

/**
 * Handles an object-delete: withdraws every ingestion of that object. Where one of them was the
 * active dataset of its year, the year falls back, in the same transaction, to the most recently
 * completed other file of that year whose rows are still kept, or has no data if there is none.
 */
export async function retractObject(env: Env, bucket: string, key: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT id, data_year FROM ingestions WHERE bucket = ?1 AND object_key = ?2 AND status IN ('queued', 'processing', 'done')",
  )
    .bind(bucket, key)
    .all<{ id: string; data_year: number | null }>();
  if (results.length === 0) return [];
  const ids = JSON.stringify(results.map((r) => r.id));
  const now = Date.now();
  const fallback = `(SELECT id FROM ingestions WHERE data_year = datasets.data_year AND status = 'done'
    AND purged_at IS NULL AND NOT (bucket = ?1 AND object_key = ?2) ORDER BY completed_at DESC LIMIT 1)`;
  const retracted = `(SELECT value FROM json_each(?3))`;
  await env.DB.batch([
    env.DB.prepare(`UPDATE ingestions SET superseded_by = NULL WHERE id IN (
        SELECT ${fallback} FROM datasets WHERE ingestion_id IN ${retracted})`).bind(bucket, key, ids),
    env.DB.prepare(`DELETE FROM datasets WHERE ingestion_id IN ${retracted} AND ${fallback} IS NULL`).bind(
      bucket,
      key,
      ids,
    ),
    env.DB.prepare(
      `UPDATE datasets SET ingestion_id = ${fallback}, activated_at = ?4 WHERE ingestion_id IN ${retracted}`,
    ).bind(bucket, key, ids, now),
    env.DB.prepare(
      `UPDATE ingestions SET status = 'retracted', completed_at = coalesce(completed_at, ?2),
         error = 'The object was deleted from the bucket at ' || ?3 || '; its data was withdrawn.'
       WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ('queued', 'processing', 'done')`,
    ).bind(ids, now, new Date(now).toISOString()),
  ]);
  await sendAll(
    env.INGEST_QUEUE,
    results.map((r) => ({ type: "purge", ingestionId: r.id })),
  );
  return results.map((r) => r.id);
}

/**
 * Deletes the generator, plant-part and plant rows of an ingestion that is not published, in bounded steps.
 * Returns false when rows remain (the caller queues another purge message).
 */
export async function purgeIngestionRows(env: Env, ingestionId: string): Promise<boolean> {
  const active = await env.DB.prepare("SELECT 1 FROM datasets WHERE ingestion_id = ?").bind(ingestionId).first();
  if (active) return true; // Published again meanwhile (fallback): keep it.
  for (let i = 0; i < PURGE_STATEMENTS; i++) {
    const results = await env.DB.batch([
      env.DB.prepare(
        "DELETE FROM generators WHERE ingestion_id = ?1 AND seq IN (SELECT seq FROM generators WHERE ingestion_id = ?1 LIMIT ?2)",
      ).bind(ingestionId, PURGE_ROWS),
      env.DB.prepare(
        `DELETE FROM plant_parts WHERE ingestion_id = ?1 AND (chunk_index, plant_key) IN (
           SELECT chunk_index, plant_key FROM plant_parts WHERE ingestion_id = ?1 LIMIT ?2)`,
      ).bind(ingestionId, PURGE_ROWS),
      env.DB.prepare(
        "DELETE FROM plants WHERE rowid IN (SELECT rowid FROM plants WHERE ingestion_id = ?1 LIMIT ?2)",
      ).bind(ingestionId, PURGE_ROWS),
    ]);
    if (results.every((r) => (r.meta.changes ?? 0) < PURGE_ROWS)) {
      await env.DB.prepare("UPDATE ingestions SET purged_at = ?2 WHERE id = ?1").bind(ingestionId, Date.now()).run();
      return true;
    }
  }
  return false;
}
