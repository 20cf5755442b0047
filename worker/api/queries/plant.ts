import { fuelCategoryOf } from "../../../domain/fuels";
import type { SqlRow } from "../../db/rows";
import type { generators } from "../../db/schema";
import { PLANT_GENERATORS } from "../../db/sql/plant-parts";
import type { ActiveDataset } from "../../publication/active";
import { sourceOf } from "../datasets";
import { decodeGeneratorCursor, encodeGeneratorCursor, type GeneratorPosition } from "../generator-cursor";
import { type PlantRow, roundTo } from "./top-plants";

/** A row of PLANT_GENERATORS: its position in the walk, then the generator's columns. */
export type GeneratorRow = GeneratorPosition &
  Pick<
    SqlRow<typeof generators>,
    | "line"
    | "generator_id"
    | "net_generation_mwh"
    | "status"
    | "prime_mover"
    | "fuel"
    | "capacity_mw"
    | "capacity_factor"
    | "year_online"
    | "year_retired"
  >;

/** The position before a plant's first generator (parts rebuilt by migration 0006 have chunk -1). */
export const START: GeneratorPosition = { chunk: -2, pos: -1 };

/** One page of a plant's generators: at most `limit`, after `cursor` (opaque, from the previous page). */
export interface GeneratorPage {
  limit: number;
  cursor?: string;
}

/** A plant's row and the generators read from one position on. */
export interface PlantRows {
  plant: PlantRow;
  generators: GeneratorRow[];
}

/**
 * The plant's row and up to `limit` generators after `after`, in file order (one batch: one D1
 * round trip); null when the dataset has no such plant.
 */
export async function queryPlantRows(
  db: D1Database,
  dataset: ActiveDataset,
  plantId: string,
  after: GeneratorPosition,
  limit: number,
): Promise<PlantRows | null> {
  const [plantResult, generatorResult] = await db.batch([
    db
      .prepare(
        `SELECT plant_key, orispl, name, state, net_generation_mwh, generator_count, unknown_generator_count,
                primary_fuel, capacity_mw FROM plants WHERE ingestion_id = ?1 AND plant_key = ?2`,
      )
      .bind(dataset.ingestionId, plantId),
    db.prepare(PLANT_GENERATORS).bind(dataset.ingestionId, plantId, after.chunk, after.pos, limit),
  ]);
  const plant = plantResult?.results[0] as PlantRow | undefined;
  return plant ? { plant, generators: (generatorResult?.results ?? []) as GeneratorRow[] } : null;
}

/**
 * One plant of a dataset with one page of its generators (file order) and the cursor of the next
 * page, or null when the dataset has no such plant. Throws ProblemError 400 for a cursor that is
 * not one this API issued for this plant and dataset.
 */
export async function queryPlant(db: D1Database, dataset: ActiveDataset, plantId: string, page: GeneratorPage) {
  const after = page.cursor ? decodeGeneratorCursor(page.cursor, dataset.ingestionId, plantId) : START;
  // One more than the page, to know whether another page follows without counting.
  const found = await queryPlantRows(db, dataset, plantId, after, page.limit + 1);
  if (!found) return null;
  const shown = found.generators.slice(0, page.limit);
  return plantPage(dataset, plantId, found.plant, shown, page.limit, found.generators.length > page.limit);
}

/** The GET /plants/{plantId} document: the plant, the generators shown, and the next page's cursor when `more`. */
export function plantPage(
  dataset: ActiveDataset,
  plantId: string,
  p: PlantRow,
  shown: readonly GeneratorRow[],
  limit: number,
  more: boolean,
) {
  const last = shown.at(-1);
  const nextCursor =
    more && last ? encodeGeneratorCursor(dataset.ingestionId, plantId, { chunk: last.chunk, pos: last.pos }) : null;
  return {
    data: {
      plantId: p.plant_key,
      orispl: p.orispl,
      name: p.name,
      state: p.state,
      netGenerationMwh: roundTo(p.net_generation_mwh, 3),
      generatorCount: p.generator_count,
      unknownGeneratorCount: p.unknown_generator_count,
      primaryFuel: p.primary_fuel,
      primaryFuelCategory: fuelCategoryOf(p.primary_fuel),
      capacityMw: roundTo(p.capacity_mw, 3),
      generators: shown.map((g) => ({
        line: g.line,
        generatorId: g.generator_id,
        netGenerationMwh: g.net_generation_mwh,
        status: g.status,
        primeMover: g.prime_mover,
        fuel: g.fuel,
        capacityMw: g.capacity_mw,
        capacityFactor: g.capacity_factor,
        yearOnline: g.year_online,
        yearRetired: g.year_retired,
      })),
    },
    meta: {
      year: dataset.year,
      datasetVersion: dataset.ingestionId,
      source: sourceOf(dataset),
      limit,
      nextCursor,
    },
  };
}
