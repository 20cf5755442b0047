import { type FuelCategory, fuelCategoryOf } from "../../../domain/fuels";
import { STATE_CODES } from "../../../domain/states";
import type { ActiveDataset } from "../../publication/active";
import { sourceOf } from "../datasets";
import { type MatchRow, type PreviousYear, previousOfPage, withPrevious } from "./previous-year";
import { batchWithTotals, plantCount, type StateTotal } from "./state-totals";

/** One ranked plant, as served by GET /api/v1/plants/top. */
export interface TopPlant {
  rank: number;
  plantId: string;
  orispl: number | null;
  name: string;
  state: string;
  netGenerationMwh: number | null;
  generatorCount: number;
  unknownGeneratorCount: number;
  shareOfStatePct: number | null;
  primaryFuel: string | null;
  primaryFuelCategory: FuelCategory | null;
  capacityMw: number | null;
  /** With ?fuel= only: the plant's known net generation in that category. */
  fuelNetGenerationMwh?: number;
  /** The plant in the nearest earlier published year, and the change against it (previous-year.ts). */
  previous?: PreviousYear | null;
  changeMwh?: number | null;
  changePct?: number | null;
}

/** The whole top-N response body (JSON form). */
export interface TopPlantsBody {
  data: TopPlant[];
  meta: {
    n: number;
    offset: number;
    state: string | null;
    fuel: FuelCategory | null;
    year: number;
    total: number;
    datasetVersion: string;
    source: { key: string | null; ingestedAt: string | null };
  };
}

/** A row of the plants table as selected by the API. */
export interface PlantRow {
  plant_key: string;
  orispl: number | null;
  name: string;
  state: string;
  net_generation_mwh: number | null;
  generator_count: number;
  unknown_generator_count: number;
  primary_fuel: string | null;
  capacity_mw: number | null;
}

/** Rounds away float summation noise (e.g. 0.1 + 0.2) without inventing precision. */
export function roundTo(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A plant's share of its state's net generation, in percent; null when either is unknown or the total is not positive. */
export function shareOfState(plant: number | null, stateTotal: number | null | undefined): number | null {
  if (plant === null || stateTotal === null || stateTotal === undefined || stateTotal <= 0) return null;
  return roundTo((plant / stateTotal) * 100, 2);
}

const PLANT_COLUMNS = `plant_key, orispl, name, state, net_generation_mwh, generator_count, unknown_generator_count,
  primary_fuel, capacity_mw`;

const BY_NET = "ORDER BY net_generation_mwh DESC, name";

/** A page of one state's plants by net generation (descending, ties by name): a walk of plants_state_top_idx. */
export function stateTopPage(n: number, offset: number): string {
  return `SELECT ${PLANT_COLUMNS} FROM plants WHERE ingestion_id = ?1 AND state = ?2 ${BY_NET} LIMIT ${n} OFFSET ${offset}`;
}

/** Terms D1 allows in one compound SELECT (its SQLITE_LIMIT_COMPOUND_SELECT; SQLite's default is 500). */
const COMPOUND_TERMS = 5;
const WALK_COLUMNS = "rowid AS id, net_generation_mwh, name";

/**
 * The plants of these states by net generation: a merge of their walks of plants_state_top_idx,
 * nested five at a time. Only the index's own columns are read (a covering walk).
 */
function mergedWalks(states: readonly string[]): string {
  if (states.length <= COMPOUND_TERMS) {
    return `${states
      .map((state) => `SELECT ${WALK_COLUMNS} FROM plants WHERE ingestion_id = ?1 AND state = '${state}'`)
      .join("\n UNION ALL ")} ${BY_NET}`;
  }
  const size = Math.ceil(states.length / COMPOUND_TERMS);
  const groups: string[] = [];
  for (let i = 0; i < states.length; i += size)
    groups.push(`SELECT * FROM (${mergedWalks(states.slice(i, i + size))})`);
  return `${groups.join("\n UNION ALL ")} ${BY_NET}`;
}

/** Every state's walk, merged: all plants of a dataset by net generation, as (id, net, name). */
export const NATIONAL_WALK = mergedWalks(STATE_CODES);

/**
 * A page of all plants by net generation. SQLite runs a compound SELECT with ORDER BY as a merge
 * of its ordered parts, and LIMIT stops it after offset + n index entries: nothing is sorted but
 * the page itself, and only the page's rows are read from the table. There is no national index:
 * publishing could fill only one of the two in order (migration 0008). The state codes are the
 * fixed list ingestion accepts.
 */
export function nationalTopPage(n: number, offset: number): string {
  // rowid alone: with "ingestion_id = ?1" too, SQLite may walk every plant of the dataset instead.
  return `SELECT ${PLANT_COLUMNS} FROM plants
  WHERE rowid IN (SELECT id FROM (${NATIONAL_WALK} LIMIT ${n} OFFSET ${offset}))
  ${BY_NET}`;
}

/** One ranked plant of a top-N page, as served (fuel top-N adds its fuel's figure). */
export function topPlantOf(r: PlantRow, rank: number, totals: Map<string, StateTotal>): TopPlant {
  return {
    rank,
    plantId: r.plant_key,
    orispl: r.orispl,
    name: r.name,
    state: r.state,
    netGenerationMwh: roundTo(r.net_generation_mwh, 3),
    generatorCount: r.generator_count,
    unknownGeneratorCount: r.unknown_generator_count,
    shareOfStatePct: shareOfState(r.net_generation_mwh, totals.get(r.state)?.netGenerationMwh),
    primaryFuel: r.primary_fuel,
    primaryFuelCategory: fuelCategoryOf(r.primary_fuel),
    capacityMw: roundTo(r.capacity_mw, 3),
  };
}

/**
 * Top plants of a dataset by net generation (descending, ties by name, unknown last), each with
 * its previous year: a walk of plants_state_top_idx, or of every state's part of it merged, and
 * the page's plants found in the baseline year, in one batch (one D1 round trip). Counts and
 * state totals come from stateTotals, read in the same batch when the isolate lacks them.
 */
export async function queryTopPlants(
  db: D1Database,
  dataset: ActiveDataset,
  options: { state: string | null; n: number; offset: number },
): Promise<TopPlantsBody> {
  const sql = options.state ? stateTopPage(options.n, options.offset) : nationalTopPage(options.n, options.offset);
  const binds = options.state ? [dataset.ingestionId, options.state] : [dataset.ingestionId];
  const previous = previousOfPage(db, dataset, sql, binds);
  const {
    results: [page, matches],
    totals,
  } = await batchWithTotals(db, dataset.ingestionId, [db.prepare(sql).bind(...binds), ...(previous ? [previous] : [])]);
  const rows = (page?.results ?? []) as PlantRow[];
  const data = rows.map((r, i) => topPlantOf(r, options.offset + i + 1, totals));
  return {
    data: withPrevious(dataset, options.state, data, (matches?.results ?? []) as MatchRow[]),
    meta: {
      n: options.n,
      offset: options.offset,
      state: options.state,
      fuel: null,
      year: dataset.year,
      total: plantCount(totals, options.state),
      datasetVersion: dataset.ingestionId,
      source: sourceOf(dataset),
    },
  };
}
