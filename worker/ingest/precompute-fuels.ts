import { fuelCodesValuesSql, OTHER_FUEL } from "../../domain/fuels";
import { STATE_CODES } from "../../domain/states";
import { inRange, keyRanges, rangeParams } from "../db/sql/key-ranges";
import { PART_CHUNKS } from "../db/sql/plant-parts";
import { PLANTS_PER_STATEMENT, plainRunner, type Room, type StatementRunner, UNLIMITED } from "../db/sql/runner";

/**
 * What the fuel and state endpoints read, computed once when an ingestion completes, before it
 * is published (migration 0012): plant_fuels (each plant's generation per EPA category, one pass
 * over the ingestion's generators), state_fuels (the mixes, from plant_fuels) and
 * state_summaries (state and national totals and top plant, from plants). Every statement only
 * inserts rows that are absent, so finalizing again after a crash completes the work.
 */

/** The ingestions a statement fills: `?1` at finalize; every stored version in the migration's backfill. */
export type Scope = string;
export const ONE_INGESTION: Scope = "?1";
/** Versions whose rows are stored, for the backfill of migration 0012. */
export const STORED_INGESTIONS: Scope =
  "SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL";

/** True (1) when the ingestion's file has a FUELG1 column; `id` names its id. */
const hasFuelColumn = (id: string) =>
  `(SELECT instr(',' || coalesce(columns, '') || ',', ',FUELG1,') > 0 FROM ingestions WHERE id = ${id})`;

/**
 * Per plant and category, from the generators (files with a FUELG1 column only). The generators
 * are first summed per plant and raw code (a plain GROUP BY), and only those few sums are mapped
 * to categories through a join with EPA's table: mapping every generator row with CASE and IN
 * lists cost most of the statement's time on a 100 MB file.
 */
export function insertPlantFuels(scope: Scope): string {
  return plantFuelsFrom(`    SELECT g.ingestion_id, g.plant_key, g.fuel, max(g.state) AS state, max(g.plant_name) AS name,
      sum(g.net_generation_mwh) AS net, sum(g.capacity_mw) AS capacity, count(*) AS generators,
      count(g.net_generation_mwh) AS known
    FROM generators AS g
    WHERE g.ingestion_id IN (SELECT i.id FROM ingestions AS i WHERE i.id IN (${scope}) AND ${hasFuelColumn("i.id")})
    GROUP BY g.ingestion_id, g.plant_key, g.fuel`);
}

/**
 * insertPlantFuels for the plants with keys in a range (`range`, a condition on p.plant_key):
 * their generators found through their parts' sequence numbers (one seek per chunk, then one
 * per generator: CROSS JOIN keeps that order), so a statement reads only its range, and summed in the order the whole-file
 * statement sums them (sequence number), so the totals are the same to the last bit.
 */
export function insertPlantFuelsRange(range: string): string {
  return plantFuelsFrom(`    SELECT ingestion_id, plant_key, fuel, max(state) AS state, max(name) AS name,
      sum(net) AS net, sum(capacity) AS capacity, count(*) AS generators, count(net) AS known
    FROM (SELECT p.ingestion_id, p.plant_key, g.fuel, g.state, g.plant_name AS name, g.net_generation_mwh AS net,
        g.capacity_mw AS capacity
      FROM plant_parts AS p CROSS JOIN json_each(p.seqs) AS s CROSS JOIN generators AS g
      WHERE p.ingestion_id = ?1 AND p.chunk_index IN (${PART_CHUNKS}) AND ${range}
        AND g.ingestion_id = ?1 AND g.seq = s.value AND ${hasFuelColumn("?1")}
      ORDER BY p.plant_key, g.fuel, g.seq)
    GROUP BY ingestion_id, plant_key, fuel`);
}

/** The per-category insert over `byCode`: generators summed per plant and raw code. */
function plantFuelsFrom(byCode: string): string {
  return `WITH codes(code, category) AS (${fuelCodesValuesSql()}),
  by_code AS (
${byCode})
  INSERT INTO plant_fuels (ingestion_id, plant_key, fuel_category, state, name, net_generation_mwh,
    capacity_mw, generator_count, unknown_generator_count, other_codes)
  SELECT b.ingestion_id, b.plant_key, coalesce(c.category, '${OTHER_FUEL}') AS category, max(b.state), max(b.name),
    round(sum(b.net), 3), round(sum(b.capacity), 3), sum(b.generators), sum(b.generators) - sum(b.known),
    group_concat(DISTINCT CASE WHEN c.category IS NULL AND trim(b.fuel) <> '' THEN upper(trim(b.fuel)) END)
  FROM by_code AS b LEFT JOIN codes AS c ON c.code = upper(trim(b.fuel))
  GROUP BY b.ingestion_id, b.plant_key, category
  ORDER BY b.ingestion_id, category, max(b.state), round(sum(b.net), 3) DESC
  ON CONFLICT DO NOTHING`;
}

const MIX_COLUMNS = `fuel_category, round(sum(net_generation_mwh), 3), round(sum(capacity_mw), 3), sum(generator_count),
    count(*), count(net_generation_mwh)`;

/** Per state and category, and per category nationally (state 'US'), from plant_fuels. */
export function insertStateFuels(scope: Scope): string {
  return `INSERT INTO state_fuels (ingestion_id, state, fuel_category, net_generation_mwh, capacity_mw,
    generator_count, plant_count, ranked_plant_count)
  SELECT * FROM (
    SELECT ingestion_id, state, ${MIX_COLUMNS} FROM plant_fuels WHERE ingestion_id IN (${scope})
      GROUP BY ingestion_id, state, fuel_category
    UNION ALL
    SELECT ingestion_id, 'US', ${MIX_COLUMNS} FROM plant_fuels WHERE ingestion_id IN (${scope})
      GROUP BY ingestion_id, fuel_category
  ) WHERE true
  ON CONFLICT DO NOTHING`;
}

const BY_NET = "ORDER BY t.net_generation_mwh DESC, t.name LIMIT 1";
const SUMMARY_COLUMNS = `max(p.data_year), count(*), sum(p.generator_count), round(sum(p.net_generation_mwh), 3),
    round(sum(p.capacity_mw), 3)`;

/** Totals and top plant per state (a walk of plants_state_top_idx each) and for the nation ('US'). */
export function insertStateSummaries(scope: Scope): string {
  return `INSERT INTO state_summaries (ingestion_id, state, data_year, plant_count, generator_count,
    net_generation_mwh, capacity_mw, top_plant_key, has_fuel)
  SELECT * FROM (
    SELECT p.ingestion_id, p.state, ${SUMMARY_COLUMNS},
      (SELECT t.plant_key FROM plants AS t WHERE t.ingestion_id = p.ingestion_id AND t.state = p.state ${BY_NET}),
      ${hasFuelColumn("p.ingestion_id")}
    FROM plants AS p WHERE p.ingestion_id IN (${scope}) GROUP BY p.ingestion_id, p.state
    UNION ALL
    SELECT p.ingestion_id, 'US', ${SUMMARY_COLUMNS},
      (SELECT t.plant_key FROM plants AS t WHERE t.ingestion_id = p.ingestion_id ${BY_NET}),
      ${hasFuelColumn("p.ingestion_id")}
    FROM plants AS p WHERE p.ingestion_id IN (${scope}) GROUP BY p.ingestion_id
  ) WHERE true
  ON CONFLICT DO NOTHING`;
}

const SUMMARY_INSERT = `INSERT INTO state_summaries (ingestion_id, state, data_year, plant_count, generator_count,
    net_generation_mwh, capacity_mw, top_plant_key, has_fuel)`;

/** insertStateSummaries' row of one state (?2) of one ingestion (?1): a walk of that state's part of plants_state_top_idx. */
export const INSERT_STATE_SUMMARY = `${SUMMARY_INSERT}
  SELECT p.ingestion_id, p.state, ${SUMMARY_COLUMNS},
      (SELECT t.plant_key FROM plants AS t WHERE t.ingestion_id = p.ingestion_id AND t.state = p.state ${BY_NET}),
      ${hasFuelColumn("p.ingestion_id")}
    FROM plants AS p WHERE p.ingestion_id = ?1 AND p.state = ?2 GROUP BY p.ingestion_id, p.state
  ON CONFLICT DO NOTHING`;

/** insertStateSummaries' national row ('US') of one ingestion (?1). */
export const INSERT_US_SUMMARY = `${SUMMARY_INSERT}
  SELECT p.ingestion_id, 'US', ${SUMMARY_COLUMNS},
      (SELECT t.plant_key FROM plants AS t WHERE t.ingestion_id = p.ingestion_id ${BY_NET}),
      ${hasFuelColumn("p.ingestion_id")}
    FROM plants AS p WHERE p.ingestion_id = ?1 GROUP BY p.ingestion_id
  ON CONFLICT DO NOTHING`;

/** The statements, in order (state_fuels reads plant_fuels). */
export function precomputeStatements(scope: Scope): string[] {
  return [insertPlantFuels(scope), insertStateFuels(scope), insertStateSummaries(scope)];
}

/**
 * Where filling the fuel tables stopped: `after` the last plant-key range of plant_fuels done, or
 * `next`, the next of the state statements (state_fuels, each state's summary, the nation's).
 */
export interface FuelsAt {
  after?: string;
  next?: number;
}

/**
 * Fills the fuel and state tables of a completed ingestion whose plants are written: the
 * statements of precomputeStatements, plant_fuels cut into ranges; each commits alone (D1 fails a
 * statement over 30 s) and repeats harmlessly. Stops where `room` says the invocation's
 * statements are spent and returns where to resume (`from`), or null once everything is filled.
 */
export async function precomputeFuels(
  db: D1Database,
  ingestionId: string,
  run: StatementRunner = plainRunner(db),
  size = PLANTS_PER_STATEMENT,
  room: Room = UNLIMITED,
  from: FuelsAt = {},
): Promise<FuelsAt | null> {
  if (from.next === undefined) {
    // plant_fuels per range of about `size` plants: one statement over every generator of a 100 MB
    // file held D1 for seconds. The state tables aggregate them afterwards (~100 rows each).
    if (!room(3)) return from;
    const { results: fuel } = await run<{ has: number }>(`SELECT ${hasFuelColumn("?1")} AS has`, ingestionId);
    if (fuel[0]?.has) {
      for await (const range of keyRanges(run, "plants", ingestionId, size, from.after)) {
        await run(insertPlantFuelsRange(inRange("p.plant_key", range, 2)), ingestionId, ...rangeParams(range));
        if (range.end !== null && !room(2)) return { after: range.end };
      }
    }
  }
  // One statement per state (one over all ~700,000 plants of a 100 MB file held D1 ~2 s).
  const states: Array<[string, ...unknown[]]> = [
    [insertStateFuels(ONE_INGESTION), ingestionId],
    ...STATE_CODES.map((state): [string, ...unknown[]] => [INSERT_STATE_SUMMARY, ingestionId, state]),
    [INSERT_US_SUMMARY, ingestionId],
  ];
  for (let next = from.next ?? 0; next < states.length; next++) {
    if (!room(1)) return { next };
    await run(...(states[next] as [string, ...unknown[]]));
  }
  return null;
}

/** The warning for FUELG1 codes outside EPA's table (counted under OTHF) once plant_fuels is filled, or null. */
export async function fuelWarning(run: StatementRunner, ingestionId: string): Promise<string | null> {
  const { results } = await run<{ other_codes: string }>(
    "SELECT other_codes FROM plant_fuels WHERE ingestion_id = ?1 AND fuel_category = 'OTHF' AND other_codes IS NOT NULL",
    ingestionId,
  );
  return unknownCodesWarning(results.flatMap((r) => r.other_codes.split(",")));
}

/** Adds the warning to the ingestion's record once (after publishing, which rewrites its warnings). */
export async function recordFuelWarning(db: D1Database, ingestionId: string, warning: string): Promise<void> {
  await db
    .prepare(
      `UPDATE ingestions SET warnings = CASE WHEN warnings IS NULL OR warnings = '' THEN ?2
         WHEN instr(warnings, ?2) > 0 THEN warnings ELSE warnings || char(10) || ?2 END WHERE id = ?1`,
    )
    .bind(ingestionId, warning)
    .run();
}

/** The ingestion warning naming FUELG1 codes outside EPA's table, or null when there are none. */
export function unknownCodesWarning(codes: readonly string[]): string | null {
  const distinct = [...new Set(codes)].sort();
  if (distinct.length === 0) return null;
  const list = distinct.join(", ");
  return `FUELG1 code${distinct.length === 1 ? "" : "s"} not in EPA's fuel table: ${list}. Shown as written and counted under OTHF (other) in fuel totals; check the codes if that is not what they mean.`;
}

/**
 * Statements deleting up to `rows` precomputed rows of a version being purged (retract.ts), each
 * under the caller's guard (bound to ?1 = the ingestion id). The state tables hold ~100 rows.
 */
export function purgeFuelStatements(db: D1Database, ingestionId: string, rows: number, guard: string) {
  return [
    db
      .prepare(
        `DELETE FROM plant_fuels WHERE rowid IN (SELECT rowid FROM plant_fuels WHERE ingestion_id = ?1 LIMIT ?2) AND ${guard}`,
      )
      .bind(ingestionId, rows),
    db.prepare(`DELETE FROM state_fuels WHERE ingestion_id = ?1 AND ${guard}`).bind(ingestionId),
    db.prepare(`DELETE FROM state_summaries WHERE ingestion_id = ?1 AND ${guard}`).bind(ingestionId),
  ];
}
