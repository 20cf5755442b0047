import { sendAll } from "./messages";
import { bareEtag, endIngestion, getIngestion } from "./rows";

// The fuel subquery names its index: without ANALYZE statistics SQLite otherwise walks the
// (ingestion_id, seq) primary key for every plant, which is quadratic in the file's size.
//
// The publish time is read inside the transaction (SQL_NOW), not before it: D1 runs batches one
// at a time, so of two files of one year the one that commits last also has the later
// completed_at, and the record agrees with which one won.
const SQL_NOW = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

// Every statement of the publishing batch is guarded by "the ingestion is still processing", so
// running it twice (two chunks finishing at once, a redelivery) publishes exactly once.
const STILL_PROCESSING = "(SELECT status FROM ingestions WHERE id = ?1) = 'processing'";

export const INSERT_PLANTS = `INSERT INTO plants (ingestion_id, plant_key, data_year, state, name, orispl, net_generation_mwh,
    generator_count, unknown_generator_count, primary_fuel, capacity_mw)
  SELECT g.ingestion_id, g.plant_key, max(g.data_year), max(g.state), max(g.plant_name), max(g.orispl),
    round(sum(g.net_generation_mwh), 3), count(*), sum(g.net_generation_mwh IS NULL),
    (SELECT g2.fuel FROM generators AS g2 INDEXED BY generators_plant_idx
       WHERE g2.ingestion_id = g.ingestion_id AND g2.plant_key = g.plant_key
       AND g2.fuel IS NOT NULL ORDER BY g2.capacity_mw DESC NULLS LAST, g2.line LIMIT 1),
    round(sum(g.capacity_mw), 3)
  FROM generators AS g WHERE g.ingestion_id = ?1 AND ${STILL_PROCESSING}
  GROUP BY g.plant_key
  ON CONFLICT DO NOTHING`;

const MARK_SUPERSEDED = `UPDATE ingestions SET superseded_by = ?1
  WHERE id = (SELECT ingestion_id FROM datasets WHERE data_year = ?2) AND id <> ?1 AND ${STILL_PROCESSING}`;

const ACTIVATE = `INSERT INTO datasets (data_year, ingestion_id, activated_at) SELECT ?2, ?1, ${SQL_NOW} WHERE ${STILL_PROCESSING}
  ON CONFLICT (data_year) DO UPDATE SET ingestion_id = excluded.ingestion_id, activated_at = excluded.activated_at`;

const COMPLETE = `UPDATE ingestions SET status = 'done', completed_at = ${SQL_NOW}, error = NULL,
    replaced_ingestion_id = (SELECT id FROM ingestions WHERE superseded_by = ?1 ORDER BY completed_at DESC LIMIT 1),
    rows_read = (SELECT sum(rows_read) FROM ingestion_chunks WHERE ingestion_id = ?1),
    rows_loaded = (SELECT count(*) FROM generators WHERE ingestion_id = ?1),
    rows_rejected = (SELECT sum(rows_read) FROM ingestion_chunks WHERE ingestion_id = ?1)
      - (SELECT count(*) FROM generators WHERE ingestion_id = ?1),
    plant_count = (SELECT count(*) FROM plants WHERE ingestion_id = ?1),
    warnings = (SELECT group_concat(warning, char(10)) FROM ingestion_chunks WHERE ingestion_id = ?1 AND warning IS NOT NULL)
  WHERE id = ?1 AND status = 'processing' AND ?2 IS NOT NULL`;

/**
 * Publishes an ingestion once all its chunks are done: computes plant totals from its generators
 * and makes it the active dataset of its year, in one D1 batch, so readers switch from the old
 * numbers to the new ones at once. The most recently completed file of a year wins.
 * Returns true when this call published it.
 */
export async function finalizeIfComplete(env: Env, ingestionId: string): Promise<boolean> {
  const ingestion = await getIngestion(env.DB, ingestionId);
  if (ingestion?.status !== "processing") return false;
  const pending = await env.DB.prepare(
    "SELECT count(*) AS n FROM ingestion_chunks WHERE ingestion_id = ? AND status = 'pending'",
  )
    .bind(ingestionId)
    .first<number>("n");
  if (pending !== 0) return false;

  const current = await env.UPLOADS.head(ingestion.object_key);
  if (!current || bareEtag(current.etag) !== ingestion.etag) {
    await endIngestion(
      env.DB,
      ingestionId,
      "skipped",
      "The object was deleted or overwritten before its ingestion finished; nothing was published.",
    );
    return false;
  }
  const totals = await env.DB.prepare(
    `SELECT (SELECT sum(rows_read) FROM ingestion_chunks WHERE ingestion_id = ?1) AS read,
            (SELECT count(*) FROM generators WHERE ingestion_id = ?1) AS loaded`,
  )
    .bind(ingestionId)
    .first<{ read: number; loaded: number }>();
  if (!totals?.loaded) {
    await endIngestion(
      env.DB,
      ingestionId,
      "failed",
      `None of the ${totals?.read ?? 0} data rows could be loaded, so the ${ingestion.data_year} data was left as it was. See the rejected rows for the reasons.`,
    );
    return false;
  }

  const year = ingestion.data_year;
  await env.DB.batch([
    env.DB.prepare(INSERT_PLANTS).bind(ingestionId),
    env.DB.prepare(MARK_SUPERSEDED).bind(ingestionId, year),
    env.DB.prepare(ACTIVATE).bind(ingestionId, year),
    env.DB.prepare(COMPLETE).bind(ingestionId, year),
  ]);
  const after = await getIngestion(env.DB, ingestionId);
  if (after?.status !== "done") return false;
  await purgeOverwritten(env, ingestion.bucket, ingestion.object_key, ingestionId);
  return true;
}

/**
 * Older versions of the same object are gone from R2 (overwritten), so their rows can never be
 * published again: queue their deletion. Superseded files under other keys keep their rows, so
 * deleting the newest file of a year can fall back to the previous one.
 */
async function purgeOverwritten(env: Env, bucket: string, key: string, keep: string): Promise<void> {
  const { results } = await env.DB.prepare(
    `SELECT id FROM ingestions WHERE bucket = ?1 AND object_key = ?2 AND id <> ?3 AND purged_at IS NULL
       AND status IN ('done', 'failed', 'skipped', 'retracted')
       AND id NOT IN (SELECT ingestion_id FROM datasets)`,
  )
    .bind(bucket, key, keep)
    .all<{ id: string }>();
  if (results.length === 0) return;
  await sendAll(
    env.INGEST_QUEUE,
    results.map(({ id }) => ({ type: "purge", ingestionId: id })),
  );
}
