import { FUEL_CATEGORIES, FUEL_CODES, OTHER_FUEL } from "../../domain/fuels";
import { inRange, keyRanges, rangeParams } from "../db/sql/key-ranges";
import { PLANTS_PER_STATEMENT, type Room, type RunStats, timedRunner, UNLIMITED } from "../db/sql/runner";

/**
 * plant_changes: the change of each plant between a year's published version and the nearest
 * earlier year's, computed once per pair of versions (change_pairs records the pairs done).
 * Publication changes (finalize, hand publish, withdraw, retract) compute new pairs through
 * refreshDatasetsPointer; GET /plants/movers computes a pair it finds missing.
 */

/** SQL category of a plant's primary fuel `column`, as fuelCategoryOf(): NULL when blank, OTHF when unknown. */
function primaryCategorySql(column: string): string {
  const tests = FUEL_CATEGORIES.filter((c) => c !== OTHER_FUEL).map(
    (c) => `WHEN upper(trim(${column})) IN (${FUEL_CODES[c].map((code) => `'${code}'`).join(", ")}) THEN '${c}'`,
  );
  return `CASE WHEN trim(coalesce(${column}, '')) = '' THEN NULL ${tests.join(" ")} ELSE '${OTHER_FUEL}' END`;
}

/**
 * Plants of ingestion ?1 matched in ?2, with known net generation in both: by ORISPL when both
 * rows carry one, else by state and name key. A plant matching several is counted once. CROSS
 * JOIN keeps this year's plants outermost: the other year is only ever sought by index.
 */
export const INSERT_CHANGES = insertChanges("");

/** INSERT_CHANGES for this year's plants whose keys also meet `range` (a condition on c.plant_key). */
export function insertChanges(range: string): string {
  return `INSERT INTO plant_changes (ingestion_id, previous_ingestion_id, plant_key,
    previous_plant_key, state, fuel_category, change_mwh, matched_by)
  SELECT * FROM (
    SELECT c.ingestion_id, p.ingestion_id, c.plant_key, p.plant_key, c.state,
      ${primaryCategorySql("cp.primary_fuel")},
      round(cp.net_generation_mwh - pp.net_generation_mwh, 3),
      CASE WHEN c.orispl IS NOT NULL AND p.orispl IS NOT NULL THEN 'orispl' ELSE 'name' END
    FROM plant_years AS c
    CROSS JOIN plant_years AS p ON p.ingestion_id = ?2 AND p.orispl = c.orispl
    CROSS JOIN plants AS cp ON cp.ingestion_id = c.ingestion_id AND cp.plant_key = c.plant_key
    CROSS JOIN plants AS pp ON pp.ingestion_id = p.ingestion_id AND pp.plant_key = p.plant_key
    WHERE c.ingestion_id = ?1${range} AND c.orispl IS NOT NULL
      AND cp.net_generation_mwh IS NOT NULL AND pp.net_generation_mwh IS NOT NULL
    UNION ALL
    SELECT c.ingestion_id, p.ingestion_id, c.plant_key, p.plant_key, c.state,
      ${primaryCategorySql("cp.primary_fuel")},
      round(cp.net_generation_mwh - pp.net_generation_mwh, 3), 'name'
    FROM plant_years AS c
    CROSS JOIN plant_years AS p ON p.ingestion_id = ?2 AND p.state = c.state AND p.name_key = c.name_key
    CROSS JOIN plants AS cp ON cp.ingestion_id = c.ingestion_id AND cp.plant_key = c.plant_key
    CROSS JOIN plants AS pp ON pp.ingestion_id = p.ingestion_id AND pp.plant_key = p.plant_key
    WHERE c.ingestion_id = ?1${range} AND (c.orispl IS NULL OR p.orispl IS NULL)
      AND cp.net_generation_mwh IS NOT NULL AND pp.net_generation_mwh IS NOT NULL
  ) WHERE true
  ON CONFLICT DO NOTHING`;
}

/** A year's published ingestion and the one of the nearest earlier year with data. */
export interface DatasetPair {
  ingestionId: string;
  previousIngestionId: string;
}

/** Where computing pairs stopped: in this pair, after the range ending at `after` ("" before its first). */
export interface PairAt extends DatasetPair {
  after: string;
}

/**
 * Computes plant_changes for each pair not yet recorded in change_pairs. Called whenever the
 * published datasets change (so a year republished or withdrawn gets its new pairs: the year
 * itself and the next later year) and by a movers request that finds its pair missing. One
 * statement per range of about `size` of the year's plants (one statement over a 700,000-plant
 * year held D1 for seconds), yielding between them; the pair is recorded after its last range.
 * A crash in between leaves the pair unrecorded, and the next call inserts what is absent. Stops
 * where `room` says the invocation's statements are spent and returns where to resume (`from`),
 * or null once every pair is recorded.
 */
export async function ensureChangePairs(
  db: D1Database,
  pairs: readonly DatasetPair[],
  size = PLANTS_PER_STATEMENT,
  room: Room = UNLIMITED,
  from?: PairAt,
): Promise<PairAt | null> {
  for (const pair of pairs) {
    const same = from?.ingestionId === pair.ingestionId && from.previousIngestionId === pair.previousIngestionId;
    let after = same ? (from?.after ?? "") : "";
    // The check, a range (its end and its insert) and the record.
    if (!room(4)) return { ...pair, after };
    const done = await db
      .prepare("SELECT 1 AS done FROM change_pairs WHERE ingestion_id = ?1 AND previous_ingestion_id = ?2")
      .bind(pair.ingestionId, pair.previousIngestionId)
      .first();
    if (done) continue;
    const at = Date.now();
    const stats: RunStats = { statements: 0, maxStatementMs: 0 };
    const run = timedRunner(db, stats);
    for await (const range of keyRanges(run, "plant_years", pair.ingestionId, size, after)) {
      const sql = insertChanges(` AND ${inRange("c.plant_key", range, 3)}`);
      await run(sql, pair.ingestionId, pair.previousIngestionId, ...rangeParams(range));
      if (range.end === null) break;
      after = range.end;
      if (!room(3)) return { ...pair, after };
    }
    await run(
      "INSERT INTO change_pairs (ingestion_id, previous_ingestion_id, computed_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
      pair.ingestionId,
      pair.previousIngestionId,
      Date.now(),
    );
    console.log(JSON.stringify({ event: "change_pair", ...pair, ms: Date.now() - at, ...stats }));
  }
  return null;
}

/** Adjacent pairs of published datasets (ordered by year, any order in). */
export function adjacentPairs(datasets: readonly { year: number; ingestionId: string }[]): DatasetPair[] {
  const sorted = [...datasets].sort((a, b) => a.year - b.year);
  return sorted.flatMap((d, i) => {
    const before = sorted[i - 1];
    return before ? [{ ingestionId: d.ingestionId, previousIngestionId: before.ingestionId }] : [];
  });
}

/**
 * Computes the pairs of the published datasets that are missing, within `room` (see
 * ensureChangePairs). A failure is only logged: it must not fail the publication, and GET
 * /plants/movers computes a missing pair itself.
 */
export async function precomputeChangePairs(
  db: D1Database,
  datasets: readonly { year: number; ingestionId: string }[],
  size = PLANTS_PER_STATEMENT,
  room: Room = UNLIMITED,
  from?: PairAt,
): Promise<PairAt | null> {
  try {
    return await ensureChangePairs(db, adjacentPairs(datasets), size, room, from);
  } catch (error) {
    console.error(JSON.stringify({ event: "change-pairs-failed", message: String(error) }));
    return null;
  }
}
