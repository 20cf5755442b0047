import { nameKeySteps, needsNameKeyStep } from "../../domain/plant-names";
import { inRange, keyRanges, rangeParams } from "../db/sql/key-ranges";
import { PLANTS_PER_STATEMENT, plainRunner, type Room, type StatementRunner, UNLIMITED } from "../db/sql/runner";
import type { Scope } from "./precompute-fuels";
import { insertPlantYearsPaged, type RankAt } from "./rank-pages";

/**
 * What following plants across years needs, computed once per stored ingestion when it
 * completes (migration 0013, with the fuel tables): plant_years (ranks, name keys) and
 * plant_name_tokens (words of the name keys). Like precompute-fuels.ts, every statement inserts
 * only absent rows, so finalizing again completes the work, and the migration backfills stored
 * versions with the same SQL.
 */

const BY_NET = "ORDER BY net_generation_mwh DESC, name";

/** Ranks (as top-N numbers them: net generation descending, ties by name); the name lower-cased. */
export function insertPlantYears(scope: Scope): string {
  return `INSERT INTO plant_years (ingestion_id, plant_key, orispl, state, name_key, national_rank, state_rank)
  SELECT * FROM (
    SELECT ingestion_id, plant_key, orispl, state, lower(name),
      row_number() OVER (PARTITION BY ingestion_id ${BY_NET}),
      row_number() OVER (PARTITION BY ingestion_id, state ${BY_NET})
    FROM plants WHERE ingestion_id IN (${scope})
  ) WHERE true
  ON CONFLICT DO NOTHING`;
}

/**
 * Turns the lower-cased names into name keys (domain/plant-names.ts), a few replace()
 * calls per statement, only on the names that need it. Repeating them changes nothing.
 */
export function nameKeyUpdates(scope: Scope, range = ""): string[] {
  return nameKeySteps("name_key").map(
    (step) =>
      `UPDATE plant_years SET name_key = ${step} WHERE ingestion_id IN (${scope})${range} AND ${needsNameKeyStep("name_key")}`,
  );
}

/** One row per distinct word of each name key (split on its single spaces; a repeat is ignored by the key). */
export function insertNameTokens(scope: Scope, range = ""): string {
  return `WITH RECURSIVE words (ingestion_id, plant_key, word, rest) AS (
    SELECT ingestion_id, plant_key, '', name_key || ' ' FROM plant_years WHERE ingestion_id IN (${scope})${range}
    UNION ALL
    SELECT ingestion_id, plant_key, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM words WHERE rest <> ''
  )
  INSERT INTO plant_name_tokens (ingestion_id, token, plant_key)
  SELECT ingestion_id, word, plant_key FROM words WHERE word <> '' AND true
  ON CONFLICT DO NOTHING`;
}

/** The statements, in order (name keys before the tokens that split them). */
export function yearStatements(scope: Scope): string[] {
  return [insertPlantYears(scope), ...nameKeyUpdates(scope), insertNameTokens(scope)];
}

/**
 * Where filling the year tables stopped: inside the rank pages, or `after` the last name range
 * done; `rekey` when plants were ranked before the work began (see precomputeYears).
 */
export interface YearsAt {
  ranks?: RankAt;
  after?: string;
  rekey?: boolean;
}

/**
 * Fills plant_years and plant_name_tokens of a completed ingestion whose plants are written,
 * in statements of about `size` plants each: plant_years in rank pages with their name keys
 * (rank-pages.ts), then the name words per plant-key range. Each statement changes only what is
 * still to do, so running this again after a crash between statements completes the work; a run
 * that found plants ranked before (perhaps by a version that wrote lower(name) and keyed it
 * afterwards) also applies the SQL key steps per range, which leave a finished key as it is.
 * Stops where `room` says the invocation's statements are spent and returns where to resume
 * (`from`), or null once everything is filled.
 */
export async function precomputeYears(
  db: D1Database,
  ingestionId: string,
  run: StatementRunner = plainRunner(db),
  size = PLANTS_PER_STATEMENT,
  room: Room = UNLIMITED,
  from: YearsAt = {},
): Promise<YearsAt | null> {
  let rekey = from.rekey ?? false;
  if (from.after === undefined) {
    if (!from.ranks && !room(3)) return from;
    const { stopped, rankedBefore } = await insertPlantYearsPaged(run, ingestionId, size, room, from.ranks);
    if (stopped) return { ranks: stopped };
    rekey = rankedBefore;
  }
  const perRange = 2 + (rekey ? nameKeyUpdates("?1").length : 0);
  if (!room(perRange)) return { after: from.after ?? "", rekey };
  for await (const range of keyRanges(run, "plant_years", ingestionId, size, from.after)) {
    const where = ` AND ${inRange("plant_key", range, 2)}`;
    if (rekey) for (const sql of nameKeyUpdates("?1", where)) await run(sql, ingestionId, ...rangeParams(range));
    await run(insertNameTokens("?1", where), ingestionId, ...rangeParams(range));
    if (range.end !== null && !room(perRange)) return { after: range.end, rekey };
  }
  return null;
}

/**
 * Statements deleting up to `rows` precomputed rows of a version being purged (retract.ts), each
 * under the caller's guard (bound to ?1 = the ingestion id): its own rows and its pairs on either side.
 */
export function purgeYearStatements(db: D1Database, ingestionId: string, rows: number, guard: string) {
  const limited = (table: string, where: string) =>
    db
      .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ?2) AND ${guard}`)
      .bind(ingestionId, rows);
  return [
    limited("plant_years", "ingestion_id = ?1"),
    limited("plant_name_tokens", "ingestion_id = ?1"),
    limited("plant_changes", "ingestion_id = ?1"),
    limited("plant_changes", "previous_ingestion_id = ?1"),
    db
      .prepare(`DELETE FROM change_pairs WHERE (ingestion_id = ?1 OR previous_ingestion_id = ?1) AND ${guard}`)
      .bind(ingestionId),
  ];
}
