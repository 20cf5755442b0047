import { env } from "cloudflare:workers";
import type { IngestionRow } from "./ingest";

/** The ingestions row, as the pipeline left it. */
export async function ingestion(id: string) {
  return env.DB.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first<IngestionRow>();
}

/** The ingestion published for a data year, or null. */
export async function activeIngestion(year: number) {
  return env.DB.prepare("SELECT ingestion_id FROM datasets WHERE data_year = ?")
    .bind(year)
    .first<string>("ingestion_id");
}

/** What readers see for a year: plant totals of the active dataset (ingestion id left out). */
export async function activeTotals(year: number) {
  const { results } = await env.DB.prepare(
    `SELECT p.plant_key, p.state, p.name, p.net_generation_mwh, p.generator_count, p.unknown_generator_count
     FROM plants p JOIN datasets d ON d.ingestion_id = p.ingestion_id WHERE d.data_year = ? ORDER BY p.plant_key`,
  )
    .bind(year)
    .all();
  return results;
}

/** Generator rows stored for an ingestion (published or not). */
export async function generatorCount(ingestionId: string) {
  return env.DB.prepare("SELECT count(*) AS n FROM generators WHERE ingestion_id = ?")
    .bind(ingestionId)
    .first<number>("n");
}
