import { fuelCategoryOf } from "../../../domain/fuels";
import { prefixEnd, searchWords } from "../../../domain/plant-names";
import type { ActiveDataset } from "../../publication/active";
import { roundTo } from "./top-plants";

interface HitRow {
  plant_key: string;
  orispl: number | null;
  name: string;
  state: string;
  net_generation_mwh: number | null;
  primary_fuel: string | null;
  national_rank: number;
}

/**
 * Plants of ingestion ?1 with a name word starting with the first (longest) search word: a range
 * walk of plant_name_tokens (?2 <= token < ?3), then plant_years by primary key (CROSS JOIN keeps
 * that order whatever the planner's statistics say); each further word must start a word of the
 * name key too, and `state` adds a state test. Only the matches are sorted.
 */
function matches(otherWords: number, state: boolean): string {
  const terms = ["true"];
  let next = 4;
  if (state) terms.push(`y.state = ?${next++}`);
  for (let i = 0; i < otherWords; i++) terms.push(`(' ' || y.name_key) LIKE ?${next++}`);
  return `(SELECT DISTINCT plant_key FROM plant_name_tokens WHERE ingestion_id = ?1 AND token >= ?2 AND token < ?3) AS t
  CROSS JOIN plant_years AS y ON y.ingestion_id = ?1 AND y.plant_key = t.plant_key
  WHERE ${terms.join(" AND ")}`;
}

/** The page of hits, largest net generation first (its national rank). */
export function searchSql(otherWords: number, state: boolean, limit: number): string {
  return `SELECT y.plant_key, p.orispl, p.name, p.state, p.net_generation_mwh, p.primary_fuel, y.national_rank
  FROM (SELECT y.plant_key, y.national_rank FROM ${matches(otherWords, state)} ORDER BY y.national_rank LIMIT ${limit}) AS y
  CROSS JOIN plants AS p ON p.ingestion_id = ?1 AND p.plant_key = y.plant_key
  ORDER BY y.national_rank`;
}

/** How many plants match. */
export function searchCountSql(otherWords: number, state: boolean): string {
  return `SELECT count(*) AS n FROM ${matches(otherWords, state)}`;
}

/** GET /plants?search=: plants whose name has words starting with every search word. */
export async function searchPlants(
  db: D1Database,
  dataset: ActiveDataset,
  options: { search: string; state: string | null; limit: number },
) {
  const words = searchWords(options.search);
  const meta = {
    search: options.search,
    year: dataset.year,
    state: options.state,
    limit: options.limit,
    total: 0,
    datasetVersion: dataset.ingestionId,
  };
  // Only separators (e.g. "-"): no word to look for.
  if (words.length === 0) return { data: [], meta };
  const [first = "", ...others] = words;
  const binds = [
    dataset.ingestionId,
    first,
    prefixEnd(first),
    ...(options.state ? [options.state] : []),
    ...others.map((w) => `% ${w}%`),
  ];
  // One batch: one D1 round trip for the page and the count.
  const [page, count] = await db.batch([
    db.prepare(searchSql(others.length, options.state !== null, options.limit)).bind(...binds),
    db.prepare(searchCountSql(others.length, options.state !== null)).bind(...binds),
  ]);
  const data = ((page?.results ?? []) as HitRow[]).map((r) => ({
    plantId: r.plant_key,
    orispl: r.orispl,
    name: r.name,
    state: r.state,
    netGenerationMwh: roundTo(r.net_generation_mwh, 3),
    rank: r.national_rank,
    primaryFuelCategory: fuelCategoryOf(r.primary_fuel),
  }));
  return { data, meta: { ...meta, total: (count?.results[0] as { n: number } | undefined)?.n ?? 0 } };
}
