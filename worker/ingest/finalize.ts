import { bareEtag } from "../../domain/etag";
import { refreshDatasetsPointer } from "../api/datasets-pointer";
import { plantKeySampleStep, plantsPerStatement } from "./merge-size";
import { decidePublication } from "./publish";
import { applyRetention } from "./retention";
import { endIngestion, readIngestionRecord } from "./rows";

// Every statement of the publishing batch is guarded by "the ingestion is still processing", so
// running it twice (two chunks finishing at once, a redelivery) publishes exactly once.
const STILL_PROCESSING = "(SELECT status FROM ingestions WHERE id = ?1) = 'processing'";

/**
 * The chunks whose parts an ingestion can have: its chunk records, and -1 for parts that
 * migration 0006 rebuilt from generators. plant_parts is keyed by chunk then plant, so the parts
 * of one plant, or of one key range, are found with one seek per chunk.
 */
export const PART_CHUNKS = "SELECT chunk_index FROM ingestion_chunks WHERE ingestion_id = ?1 UNION ALL SELECT -1";

/**
 * Plant totals from the parts each chunk wrote, for the plants with keys in (?2, ?3] (the upper
 * bound only in INSERT_PLANTS_RANGE): within each chunk's run of parts a walk in key order, then
 * grouped by plant. Most plants lie in one chunk; only those that span chunks look up their
 * largest fuelled generator among their parts. Rows are written in (state, net generation)
 * order, the order of plants_state_top_idx, which keeps that index's inserts local.
 */
function insertPlants(bounded: boolean): string {
  return `INSERT INTO plants (ingestion_id, plant_key, data_year, state, name, orispl, net_generation_mwh,
    generator_count, unknown_generator_count, primary_fuel, capacity_mw)
  SELECT p.ingestion_id, p.plant_key, (SELECT data_year FROM ingestions WHERE id = ?1), max(p.state) AS state,
    max(p.name) AS name, max(p.orispl), round(sum(p.net_generation_mwh), 3) AS net, sum(p.generator_count),
    sum(p.unknown_generator_count),
    CASE WHEN count(*) = 1 THEN max(p.fuel) ELSE (
      SELECT p2.fuel FROM plant_parts AS p2
       WHERE p2.ingestion_id = ?1 AND p2.chunk_index IN (${PART_CHUNKS}) AND p2.plant_key = p.plant_key
         AND p2.fuel IS NOT NULL
       ORDER BY p2.fuel_capacity_mw DESC NULLS LAST, p2.fuel_line LIMIT 1) END,
    round(sum(p.capacity_mw), 3)
  FROM plant_parts AS p
  WHERE p.ingestion_id = ?1 AND p.chunk_index IN (${PART_CHUNKS})
    AND p.plant_key > ?2 ${bounded ? "AND p.plant_key <= ?3" : ""} AND ${STILL_PROCESSING}
  GROUP BY p.plant_key ORDER BY state, net DESC, name
  ON CONFLICT DO NOTHING`;
}
export const INSERT_PLANTS_RANGE = insertPlants(true);
export const INSERT_PLANTS_REST = insertPlants(false);

/** The chunks' sampled plant keys, distinct, in SQLite's order. */
const SAMPLED_KEYS = `SELECT DISTINCT j.value AS plant_key FROM ingestion_chunks AS c, json_each(c.plant_key_sample) AS j
  WHERE c.ingestion_id = ?1 ORDER BY 1`;

/**
 * Writes the plants of an ingestion that is not published yet, range by range. Each chunk sampled
 * every step-th of its plant keys, so about `step` parts of the ingestion lie between two
 * consecutive keys of all samples: every (perStatement / step)-th of them ends a range of about
 * perStatement plants. The ranges tile the keys whatever the samples are, so a missing or skewed
 * sample only changes statement sizes, never the result. Readers never see these plants before
 * the publishing batch points the year here, and plants already written by an earlier attempt
 * are kept (ON CONFLICT DO NOTHING), so this can run again after a crash.
 */
async function writePlants(env: Env, ingestionId: string): Promise<void> {
  const db = env.DB;
  const every = Math.max(1, Math.round(plantsPerStatement(env) / plantKeySampleStep(env)));
  const { results: sampled } = await db.prepare(SAMPLED_KEYS).bind(ingestionId).all<{ plant_key: string }>();
  let after = "";
  for (let i = every - 1; i < sampled.length; i += every) {
    const end = (sampled[i] as { plant_key: string }).plant_key;
    await db.prepare(INSERT_PLANTS_RANGE).bind(ingestionId, after, end).run();
    after = end;
  }
  await db.prepare(INSERT_PLANTS_REST).bind(ingestionId, after).run();
}

/**
 * Publishes an ingestion once all its chunks are done: writes its plant totals (merging the
 * chunks' plant parts, in bounded statements, still invisible), then makes it the active dataset
 * of its year in one small D1 batch, so readers switch from the old numbers to the new ones at
 * once, unless a file of the year uploaded later is already published (upload order wins, not
 * finish order) or the file looks like a mistake (held; see publish.ts).
 * Returns true when this call published it.
 */
export async function finalizeIfComplete(env: Env, ingestionId: string): Promise<boolean> {
  const ingestion = await readIngestionRecord(env.DB, ingestionId);
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
            (SELECT sum(rows_loaded) FROM ingestion_chunks WHERE ingestion_id = ?1) AS loaded`,
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

  await writePlants(env, ingestionId);
  const outcome = await decidePublication(env.DB, ingestionId, ingestion.data_year as number, "processing");
  if (outcome === "unchanged") return false;
  await refreshDatasetsPointer(env);
  // Whatever the outcome, versions beyond the retention window are purged. Earlier versions of
  // the same key (overwritten) stay within it: putting their bytes again publishes them at once.
  await applyRetention(env);
  return outcome === "published";
}
