import { type FuelCategory, fuelCategoryOf } from "../../../domain/fuels";
import type { ActiveDataset } from "../../publication/active";
import type { MatchedBy } from "./previous-year";
import { roundTo } from "./top-plants";

interface YearRow {
  plant_key: string;
  orispl: number | null;
  state: string;
  name_key: string;
  name: string;
  national_rank: number;
  state_rank: number;
  net_generation_mwh: number | null;
  generator_count: number;
  capacity_mw: number | null;
  primary_fuel: string | null;
}

const YEAR_COLUMNS = `SELECT y.plant_key, y.orispl, y.state, y.name_key, y.national_rank, y.state_rank, p.name,
    p.net_generation_mwh, p.generator_count, p.capacity_mw, p.primary_fuel
  FROM plant_years AS y JOIN plants AS p ON p.ingestion_id = y.ingestion_id AND p.plant_key = y.plant_key`;

/** Seeks: a plant by id, by ORISPL, or by state and name key (only where either side lacks ORISPL). */
export const HISTORY_SQL = {
  byKey: `${YEAR_COLUMNS} WHERE y.ingestion_id = ?1 AND y.plant_key = ?2`,
  byOrispl: `${YEAR_COLUMNS} WHERE y.ingestion_id = ?1 AND y.orispl = ?2 ORDER BY y.national_rank LIMIT 1`,
  byName: `${YEAR_COLUMNS} WHERE y.ingestion_id = ?1 AND y.state = ?2 AND y.name_key = ?3
    AND (y.orispl IS NULL OR ?4 IS NULL) ORDER BY y.national_rank LIMIT 1`,
  fuels: `SELECT fuel_category, net_generation_mwh FROM plant_fuels WHERE ingestion_id = ?1 AND plant_key = ?2
    ORDER BY net_generation_mwh DESC`,
};

type Found = { row: YearRow; matchedBy: MatchedBy; dataset: ActiveDataset };

/** The plant of `dataset` that is `ref` in another year: same ORISPL, else same state and name key. */
async function follow(db: D1Database, dataset: ActiveDataset, ref: YearRow): Promise<Found | null> {
  if (ref.orispl !== null) {
    const row = await db.prepare(HISTORY_SQL.byOrispl).bind(dataset.ingestionId, ref.orispl).first<YearRow>();
    if (row) return { row, matchedBy: "orispl", dataset };
  }
  const row = await db
    .prepare(HISTORY_SQL.byName)
    .bind(dataset.ingestionId, ref.state, ref.name_key, ref.orispl)
    .first<YearRow>();
  return row ? { row, matchedBy: "name", dataset } : null;
}

/** Follows the plant from the anchor year through `datasets` (in walk order), one seek or two per year. */
async function walk(db: D1Database, anchor: YearRow, datasets: ActiveDataset[]): Promise<Found[]> {
  const found: Found[] = [];
  let ref = anchor;
  for (const dataset of datasets) {
    const next = await follow(db, dataset, ref);
    if (!next) continue; // Absent that year: the next year is matched against the last one found.
    found.push(next);
    // The nearest year found is the reference; an ORISPL learnt from it links years that have one.
    ref = { ...next.row, orispl: next.row.orispl ?? ref.orispl };
  }
  return found;
}

/**
 * A plant's history: the plant `plantId` of `year` (absent: the latest published year that has
 * it), followed to every other published year. Null when no such plant.
 */
export async function queryPlantHistory(
  db: D1Database,
  published: ActiveDataset[],
  plantId: string,
  year: number | undefined,
) {
  const newestFirst = [...published].sort((a, b) => b.year - a.year);
  let anchor: Found | null = null;
  for (const dataset of newestFirst) {
    if (year !== undefined && dataset.year !== year) continue;
    const row = await db.prepare(HISTORY_SQL.byKey).bind(dataset.ingestionId, plantId).first<YearRow>();
    if (row) {
      anchor = { row, matchedBy: row.orispl !== null && String(row.orispl) === plantId ? "orispl" : "name", dataset };
      break;
    }
  }
  if (!anchor) return null;
  const anchorYear = anchor.dataset.year;
  const earlier = await walk(
    db,
    anchor.row,
    newestFirst.filter((d) => d.year < anchorYear),
  );
  const later = await walk(db, anchor.row, newestFirst.filter((d) => d.year > anchorYear).reverse());
  const entries = [...earlier.reverse(), anchor, ...later];
  const fuels = await Promise.all(
    entries.map(async (e) => {
      const { results } = await db
        .prepare(HISTORY_SQL.fuels)
        .bind(e.dataset.ingestionId, e.row.plant_key)
        .all<{ fuel_category: FuelCategory; net_generation_mwh: number | null }>();
      // A file with FUELG1 gives every plant at least one category (a blank code is OTHF).
      return results.length
        ? results.map((f) => ({ category: f.fuel_category, netGenerationMwh: roundTo(f.net_generation_mwh, 3) }))
        : null;
    }),
  );
  const data = entries.map(({ row, matchedBy, dataset }, i) => ({
    year: dataset.year,
    plantId: row.plant_key,
    orispl: row.orispl,
    name: row.name,
    state: row.state,
    netGenerationMwh: roundTo(row.net_generation_mwh, 3),
    nationalRank: row.national_rank,
    stateRank: row.state_rank,
    generatorCount: row.generator_count,
    capacityMw: roundTo(row.capacity_mw, 3),
    primaryFuelCategory: fuelCategoryOf(row.primary_fuel),
    fuels: fuels[i] ?? null,
    matchedBy,
    datasetVersion: dataset.ingestionId,
  }));
  return {
    data,
    meta: {
      plantId,
      year: anchorYear,
      name: anchor.row.name,
      state: anchor.row.state,
      years: newestFirst.map((d) => d.year).reverse(),
    },
  };
}
