import type { FuelCategory } from "../../../domain/fuels";
import type { ActiveDataset } from "../../publication/active";
import { sourceOf } from "../datasets";
import { ProblemError } from "../problem";
import { type MatchRow, previousOfPage, withPrevious } from "./previous-year";
import { batchWithTotals } from "./state-totals";
import { type PlantRow, roundTo, type TopPlant, type TopPlantsBody, topPlantOf } from "./top-plants";

const FUEL_PAGE_COLUMNS = `f.net_generation_mwh AS fuel_net, p.plant_key, p.orispl, p.name, p.state,
  p.net_generation_mwh, p.generator_count, p.unknown_generator_count, p.primary_fuel, p.capacity_mw`;

/**
 * A page of the plants with known net generation in one fuel category, ranked by it (descending,
 * ties by name): a walk of plant_fuels_state_top_idx (one state) or plant_fuels_top_idx (the
 * nation), and one primary-key read of plants per row of the page.
 */
export function fuelTopPage(state: boolean, n: number, offset: number): string {
  return `SELECT ${FUEL_PAGE_COLUMNS}
  FROM plant_fuels AS f JOIN plants AS p ON p.ingestion_id = f.ingestion_id AND p.plant_key = f.plant_key
  WHERE f.ingestion_id = ?1 AND f.fuel_category = ?2 ${state ? "AND f.state = ?3" : ""}
    AND f.net_generation_mwh IS NOT NULL
  ORDER BY f.net_generation_mwh DESC, f.name LIMIT ${n} OFFSET ${offset}`;
}

/** Whether the file has fuel (national summary row) and how many plants the ranking holds: two key reads. */
export const FUEL_FACTS = `SELECT s.has_fuel AS hasFuel,
  (SELECT ranked_plant_count FROM state_fuels WHERE ingestion_id = ?1 AND state = ?3 AND fuel_category = ?2) AS total
  FROM state_summaries AS s WHERE s.ingestion_id = ?1 AND s.state = 'US'`;

/** The 422 answered when a year's file has no FUELG1 column. */
export function noFuelColumn(year: number): ProblemError {
  return new ProblemError(
    422,
    "no-fuel-data",
    "No fuel data for this year",
    `the ${year} file has no fuel column (FUELG1), so plants cannot be filtered or ranked by fuel for ${year}; leave out fuel, or pick a year whose file has it`,
    { year },
  );
}

/**
 * Top plants of a dataset by their net generation in `fuel` (the top-N body, each row with
 * fuelNetGenerationMwh and its previous year). Plants without known generation in the category
 * are left out; a dataset whose file has no FUELG1 column answers a 422 problem. The facts, the
 * page and its previous-year match are one batch (one D1 round trip).
 */
export async function queryFuelTopPlants(
  db: D1Database,
  dataset: ActiveDataset,
  options: { state: string | null; fuel: FuelCategory; n: number; offset: number },
): Promise<TopPlantsBody> {
  const sql = fuelTopPage(options.state !== null, options.n, options.offset);
  const bind = options.state ? [dataset.ingestionId, options.fuel, options.state] : [dataset.ingestionId, options.fuel];
  const previous = previousOfPage(db, dataset, sql, bind);
  const {
    results: [factsResult, page, matches],
    totals,
  } = await batchWithTotals(db, dataset.ingestionId, [
    db.prepare(FUEL_FACTS).bind(dataset.ingestionId, options.fuel, options.state ?? "US"),
    db.prepare(sql).bind(...bind),
    ...(previous ? [previous] : []),
  ]);
  const facts = factsResult?.results[0] as { hasFuel: number; total: number | null } | undefined;
  if (!facts?.hasFuel) throw noFuelColumn(dataset.year);
  const data = ((page?.results ?? []) as (PlantRow & { fuel_net: number })[]).map(
    (r, i): TopPlant => ({
      ...topPlantOf(r, options.offset + i + 1, totals),
      fuelNetGenerationMwh: roundTo(r.fuel_net, 3) as number,
    }),
  );
  return {
    data: withPrevious(dataset, options.state, data, (matches?.results ?? []) as MatchRow[]),
    meta: {
      n: options.n,
      offset: options.offset,
      state: options.state,
      fuel: options.fuel,
      year: dataset.year,
      total: facts.total ?? 0,
      datasetVersion: dataset.ingestionId,
      source: sourceOf(dataset),
    },
  };
}
