import { type FuelCategory, fuelCategoryOf } from "../../../domain/fuels";
import type { ActiveDataset } from "../../publication/active";
import { ensureChangePairs } from "../../publication/change-pairs";
import { sourceOf } from "../datasets";
import { noFuelColumn } from "./fuel-top";
import { changeOf, type MatchedBy } from "./previous-year";
import { roundTo } from "./top-plants";

/** Options of GET /plants/movers. */
export interface MoversOptions {
  state: string | null;
  fuel: FuelCategory | null;
  n: number;
  direction: "up" | "down";
}

interface MoverRow {
  plant_key: string;
  previous_plant_key: string;
  matched_by: MatchedBy;
  orispl: number | null;
  name: string;
  state: string;
  primary_fuel: string | null;
  net_generation_mwh: number;
  previous_net_generation_mwh: number;
  national_rank: number;
  state_rank: number;
  previous_national_rank: number;
  previous_state_rank: number;
}

/** The WHERE clause of a scope; binds ?1 ingestion, ?2 baseline, then state and fuel when given (scopeBinds). */
function scopeFilter(options: MoversOptions): string {
  const terms = ["ch.ingestion_id = ?1", "ch.previous_ingestion_id = ?2"];
  if (options.state) terms.push(`ch.state = ?${terms.length + 1}`);
  if (options.fuel) terms.push(`ch.fuel_category = ?${terms.length + 1}`);
  return terms.join(" AND ");
}

function scopeBinds(ingestionId: string, previousId: string, options: MoversOptions): string[] {
  return [ingestionId, previousId, ...(options.state ? [options.state] : []), ...(options.fuel ? [options.fuel] : [])];
}

/**
 * The page of movers: a walk of one plant_changes index in change order, then key seeks for the
 * n rows' plants and ranks in both years; nothing is sorted (ties keep the index's order).
 * CROSS JOIN keeps the change index outermost whatever the planner's statistics say.
 */
export function moversSql(options: MoversOptions): string {
  return `SELECT ch.plant_key, ch.previous_plant_key, ch.matched_by, cp.orispl, cp.name, cp.state, cp.primary_fuel,
    cp.net_generation_mwh, pp.net_generation_mwh AS previous_net_generation_mwh,
    cy.national_rank, cy.state_rank, py.national_rank AS previous_national_rank, py.state_rank AS previous_state_rank
  FROM plant_changes AS ch
  CROSS JOIN plants AS cp ON cp.ingestion_id = ch.ingestion_id AND cp.plant_key = ch.plant_key
  CROSS JOIN plants AS pp ON pp.ingestion_id = ch.previous_ingestion_id AND pp.plant_key = ch.previous_plant_key
  CROSS JOIN plant_years AS cy ON cy.ingestion_id = ch.ingestion_id AND cy.plant_key = ch.plant_key
  CROSS JOIN plant_years AS py ON py.ingestion_id = ch.previous_ingestion_id AND py.plant_key = ch.previous_plant_key
  WHERE ${scopeFilter(options)}
  ORDER BY ch.change_mwh ${options.direction === "up" ? "DESC" : "ASC"}
  LIMIT ${options.n}`;
}

/** Plants in the scope with a change (an index range count). */
export function moversCountSql(options: MoversOptions): string {
  return `SELECT count(*) AS n FROM plant_changes AS ch WHERE ${scopeFilter(options)}`;
}

/** The batch's key reads before the page, for query-plan tests. */
export const MOVERS_CHECKS = {
  /** Whether the year's file has a fuel column (its national summary row). */
  hasFuel: "SELECT has_fuel AS hasFuel FROM state_summaries WHERE ingestion_id = ?1 AND state = 'US'",
  /** Whether the pair's changes are computed (publishing does it; ensureChangePairs otherwise). */
  pairDone: "SELECT 1 AS done FROM change_pairs WHERE ingestion_id = ?1 AND previous_ingestion_id = ?2",
} as const;

/**
 * Largest changes of net generation between a dataset and its baseline year; a 422 problem for
 * a fuel filter on a year whose file has no fuel column. One batch (one D1 round trip) reads the
 * fuel facts, whether the pair's changes exist, the page and the count; only when publishing did
 * not compute the pair (e.g. it failed) are they computed on `primary`, the writable database,
 * and the page read there.
 */
export async function queryMovers(db: D1Database, primary: D1Database, dataset: ActiveDataset, options: MoversOptions) {
  const base = dataset.previous ?? null;
  const meta = {
    year: dataset.year,
    previousYear: base?.year ?? null,
    state: options.state,
    fuel: options.fuel,
    n: options.n,
    direction: options.direction,
    total: 0,
    datasetVersion: dataset.ingestionId,
    previousDatasetVersion: base?.ingestionId ?? null,
    source: sourceOf(dataset),
  };
  const fuelCheck = options.fuel ? [db.prepare(MOVERS_CHECKS.hasFuel).bind(dataset.ingestionId)] : [];
  const pageOf = (d: D1Database, previousId: string) => {
    const binds = scopeBinds(dataset.ingestionId, previousId, options);
    return [d.prepare(moversSql(options)).bind(...binds), d.prepare(moversCountSql(options)).bind(...binds)];
  };
  const statements = [
    ...fuelCheck,
    ...(base
      ? [
          db.prepare(MOVERS_CHECKS.pairDone).bind(dataset.ingestionId, base.ingestionId),
          ...pageOf(db, base.ingestionId),
        ]
      : []),
  ];
  // D1 refuses an empty batch: the earliest year without a fuel filter reads nothing.
  const results = statements.length ? await db.batch(statements) : [];
  const facts = fuelCheck.length ? (results.shift()?.results[0] as { hasFuel: number } | undefined) : undefined;
  if (facts && !facts.hasFuel) throw noFuelColumn(dataset.year);
  if (!base) return { data: [], meta };
  let [done, page, count] = results;
  if (!done?.results.length) {
    await ensureChangePairs(primary, [{ ingestionId: dataset.ingestionId, previousIngestionId: base.ingestionId }]);
    [page, count] = await primary.batch(pageOf(primary, base.ingestionId));
  }
  const rows = (page?.results ?? []) as MoverRow[];
  const total = (count?.results[0] as { n: number } | undefined)?.n ?? 0;
  const data = rows.map((r) => ({
    plantId: r.plant_key,
    orispl: r.orispl,
    name: r.name,
    state: r.state,
    primaryFuel: r.primary_fuel,
    primaryFuelCategory: fuelCategoryOf(r.primary_fuel),
    netGenerationMwh: roundTo(r.net_generation_mwh, 3) as number,
    rank: options.state ? r.state_rank : r.national_rank,
    previous: {
      year: base.year,
      plantId: r.previous_plant_key,
      netGenerationMwh: roundTo(r.previous_net_generation_mwh, 3) as number,
      rank: options.state ? r.previous_state_rank : r.previous_national_rank,
      matchedBy: r.matched_by,
    },
    ...(changeOf(r.net_generation_mwh, r.previous_net_generation_mwh) as {
      changeMwh: number;
      changePct: number | null;
    }),
    matchedBy: r.matched_by,
  }));
  return { data, meta: { ...meta, total } };
}
