import { FUEL_CATEGORIES, type FuelCategory, fuelCategoryOf } from "../../../domain/fuels";
import { STATE_NAMES } from "../../../domain/states";
import type { ActiveDataset } from "../../publication/active";
import { roundTo } from "./top-plants";

/** One state (or the nation, code US) in one year: the StateSummary schema. */
export interface StateSummary {
  code: string;
  name: string;
  year: number;
  datasetVersion: string;
  plantCount: number;
  generatorCount: number;
  netGenerationMwh: number | null;
  capacityMw: number | null;
  fuels: FuelMixEntry[] | null;
  topPlant: {
    plantId: string;
    name: string;
    state: string;
    netGenerationMwh: number | null;
    primaryFuel: string | null;
    primaryFuelCategory: FuelCategory | null;
  } | null;
}

export interface FuelMixEntry {
  category: FuelCategory;
  netGenerationMwh: number | null;
  capacityMw: number | null;
  generatorCount: number;
  plantCount: number;
  sharePct: number | null;
}

/** Name of a scope code: a state's, or "United States" for US. */
export function scopeName(code: string): string {
  return code === "US" ? "United States" : (STATE_NAMES[code] ?? code);
}

// The versions are a JSON array bound as ?1: one statement for any number of years, and each
// version is a primary-key seek (state_summaries, state_fuels) plus one plants read by key.
const SUMMARIES = `SELECT s.ingestion_id, s.data_year, s.plant_count, s.generator_count, s.net_generation_mwh,
    s.capacity_mw, s.has_fuel, t.plant_key AS top_key, t.name AS top_name, t.state AS top_state,
    t.net_generation_mwh AS top_net, t.primary_fuel AS top_fuel
  FROM state_summaries AS s LEFT JOIN plants AS t ON t.ingestion_id = s.ingestion_id AND t.plant_key = s.top_plant_key
  WHERE s.ingestion_id IN (SELECT value FROM json_each(?1)) AND s.state = ?2`;
const MIXES = `SELECT ingestion_id, fuel_category, net_generation_mwh, capacity_mw, generator_count, plant_count
  FROM state_fuels WHERE ingestion_id IN (SELECT value FROM json_each(?1)) AND state = ?2`;

/** The SQL of the two reads, for query-plan tests. */
export const STATE_SUMMARY_SQL = { summaries: SUMMARIES, mixes: MIXES } as const;

interface SummaryRow {
  ingestion_id: string;
  data_year: number;
  plant_count: number;
  generator_count: number;
  net_generation_mwh: number | null;
  capacity_mw: number | null;
  has_fuel: number;
  top_key: string | null;
  top_name: string | null;
  top_state: string | null;
  top_net: number | null;
  top_fuel: string | null;
}

interface MixRow {
  ingestion_id: string;
  fuel_category: FuelCategory;
  net_generation_mwh: number | null;
  capacity_mw: number | null;
  generator_count: number;
  plant_count: number;
}

/** Largest generation first (unknown last), then EPA's category order. */
function byGeneration(a: MixRow, b: MixRow): number {
  const an = a.net_generation_mwh ?? Number.NEGATIVE_INFINITY;
  const bn = b.net_generation_mwh ?? Number.NEGATIVE_INFINITY;
  if (an !== bn) return bn - an;
  return FUEL_CATEGORIES.indexOf(a.fuel_category) - FUEL_CATEGORIES.indexOf(b.fuel_category);
}

function mixEntry(row: MixRow, total: number | null): FuelMixEntry {
  return {
    category: row.fuel_category,
    netGenerationMwh: roundTo(row.net_generation_mwh, 3),
    capacityMw: roundTo(row.capacity_mw, 3),
    generatorCount: row.generator_count,
    plantCount: row.plant_count,
    sharePct:
      total !== null && total > 0 && row.net_generation_mwh !== null
        ? roundTo((row.net_generation_mwh / total) * 100, 2)
        : null,
  };
}

/**
 * The summaries of one state (or US) in each of these datasets that has plants there, in the
 * order given; all read from the tables precomputed at publish time.
 */
export async function stateSummaries(
  db: D1Database,
  datasets: readonly ActiveDataset[],
  code: string,
): Promise<StateSummary[]> {
  const ids = JSON.stringify(datasets.map((d) => d.ingestionId));
  // One batch: one D1 round trip for both reads.
  const [summaries, mixes] = await db.batch([db.prepare(SUMMARIES).bind(ids, code), db.prepare(MIXES).bind(ids, code)]);
  const mixRows = (mixes?.results ?? []) as MixRow[];
  const byVersion = new Map(((summaries?.results ?? []) as SummaryRow[]).map((r) => [r.ingestion_id, r]));
  return datasets.flatMap((dataset): StateSummary[] => {
    const s = byVersion.get(dataset.ingestionId);
    if (!s) return [];
    const rows = mixRows.filter((m) => m.ingestion_id === dataset.ingestionId).sort(byGeneration);
    return [
      {
        code,
        name: scopeName(code),
        year: dataset.year,
        datasetVersion: dataset.ingestionId,
        plantCount: s.plant_count,
        generatorCount: s.generator_count,
        netGenerationMwh: roundTo(s.net_generation_mwh, 3),
        capacityMw: roundTo(s.capacity_mw, 3),
        fuels: s.has_fuel ? rows.map((m) => mixEntry(m, s.net_generation_mwh)) : null,
        topPlant:
          s.top_key === null
            ? null
            : {
                plantId: s.top_key,
                name: s.top_name ?? "",
                state: s.top_state ?? code,
                netGenerationMwh: roundTo(s.top_net, 3),
                primaryFuel: s.top_fuel,
                primaryFuelCategory: fuelCategoryOf(s.top_fuel),
              },
      },
    ];
  });
}
