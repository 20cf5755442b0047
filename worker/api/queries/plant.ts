import { PART_CHUNKS } from "../../ingest/finalize";
import { type ActiveDataset, sourceOf } from "../datasets";
import { type PlantRow, roundTo } from "./top-plants";

interface GeneratorRow {
  line: number;
  generator_id: string;
  net_generation_mwh: number | null;
  status: string | null;
  prime_mover: string | null;
  fuel: string | null;
  capacity_mw: number | null;
  capacity_factor: number | null;
  year_online: number | null;
  year_retired: number | null;
}

/**
 * A plant's generators in file order, found through the sequence numbers its plant parts list
 * (one seek per chunk of the ingestion for the parts, one per generator).
 */
export const PLANT_GENERATORS = `SELECT line, generator_id, net_generation_mwh, status, prime_mover, fuel, capacity_mw, capacity_factor,
                year_online, year_retired FROM generators
          WHERE ingestion_id = ?1 AND seq IN (
            SELECT s.value FROM plant_parts AS p, json_each(p.seqs) AS s
             WHERE p.ingestion_id = ?1 AND p.chunk_index IN (${PART_CHUNKS}) AND p.plant_key = ?2)
          ORDER BY line`;

/** One plant of a dataset with its generators (file order), or null when the dataset has no such plant. */
export async function queryPlant(db: D1Database, dataset: ActiveDataset, plantId: string) {
  const [plantResult, generatorResult] = await db.batch([
    db
      .prepare(
        `SELECT plant_key, orispl, name, state, net_generation_mwh, generator_count, unknown_generator_count,
                primary_fuel, capacity_mw FROM plants WHERE ingestion_id = ?1 AND plant_key = ?2`,
      )
      .bind(dataset.ingestionId, plantId),
    db.prepare(PLANT_GENERATORS).bind(dataset.ingestionId, plantId),
  ]);
  const p = plantResult?.results[0] as PlantRow | undefined;
  if (!p) return null;
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
      capacityMw: roundTo(p.capacity_mw, 3),
      generators: ((generatorResult?.results ?? []) as GeneratorRow[]).map((g) => ({
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
    meta: { year: dataset.year, datasetVersion: dataset.ingestionId, source: sourceOf(dataset) },
  };
}
