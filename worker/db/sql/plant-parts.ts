import { STILL_PROCESSING } from "./guards";

// Hand-written SQL over plant_parts, shared by publishing (the merge into plants) and the API
// (a plant's generators). Raw strings, not drizzle: each query's shape is what its plan depends
// on (test/worker/ingest/query-plans.test.ts asserts the seeks), and ?1 is reused throughout.

/**
 * The chunks whose parts an ingestion (?1) can have: its chunk records, and -1 for parts that
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
export const SAMPLED_KEYS = `SELECT DISTINCT j.value AS plant_key FROM ingestion_chunks AS c, json_each(c.plant_key_sample) AS j
  WHERE c.ingestion_id = ?1 ORDER BY 1`;

/**
 * One page of a plant's generators in file order: the plant's parts in chunk order, each part's
 * sequence numbers in the order the chunk read them, starting after position (?3 chunk, ?4 index
 * in that part's seqs) and at most ?5 of them. A keyset walk: one seek per chunk for the parts
 * from the cursor's chunk on, and one generator seek per returned row, so a page of a
 * 500,000-generator plant costs what a page of a small one does.
 */
export const PLANT_GENERATORS = `WITH page AS (
    SELECT p.chunk_index AS chunk, s.key AS pos, s.value AS seq
      FROM plant_parts AS p, json_each(p.seqs) AS s
     WHERE p.ingestion_id = ?1 AND p.chunk_index IN (${PART_CHUNKS}) AND p.plant_key = ?2
       AND p.chunk_index >= ?3 AND (p.chunk_index > ?3 OR s.key > ?4)
     ORDER BY p.chunk_index, s.key LIMIT ?5)
  SELECT page.chunk, page.pos, g.line, g.generator_id, g.net_generation_mwh, g.status, g.prime_mover, g.fuel,
         g.capacity_mw, g.capacity_factor, g.year_online, g.year_retired
    FROM page JOIN generators AS g ON g.ingestion_id = ?1 AND g.seq = page.seq
   ORDER BY page.chunk, page.pos`;
