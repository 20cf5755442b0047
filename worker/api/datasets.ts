import { ProblemError } from "./problem";

/** One published dataset: the ingestion active for a data year. */
export interface ActiveDataset {
  year: number;
  ingestionId: string;
  activatedAt: number;
  objectKey: string | null;
  completedAt: number | null;
  /** The published dataset of the nearest earlier year (its change baseline); null when none. */
  previous?: { year: number; ingestionId: string } | null;
}

/**
 * Reads the `datasets` table (one row per year, a handful of rows) with each active
 * ingestion's source; a withdrawn year is left out, exactly like a year never loaded. Requests
 * read it through the edge version pointer (datasets-pointer.ts), which keys the KV cache.
 */
export async function activeDatasets(db: D1Database): Promise<ActiveDataset[]> {
  const { results } = await db
    .prepare(
      `SELECT d.data_year AS year, d.ingestion_id AS ingestionId, d.activated_at AS activatedAt,
              i.object_key AS objectKey, i.completed_at AS completedAt
         FROM datasets d LEFT JOIN ingestions i ON i.id = d.ingestion_id
        WHERE d.withdrawn_at IS NULL
        ORDER BY d.data_year DESC`,
    )
    .all<ActiveDataset>();
  // Newest first, so each year's baseline is the next row; carried in the pointer for cache keys.
  return results.map((d, i) => {
    const before = results[i + 1];
    return { ...d, previous: before ? { year: before.year, ingestionId: before.ingestionId } : null };
  });
}

/**
 * The dataset for `year` among the published ones, or the latest year when absent. 404 problem when there is none,
 * naming the years that have data.
 */
export function datasetForYear(all: ActiveDataset[], year: number | undefined): ActiveDataset {
  const found = year === undefined ? all[0] : all.find((d) => d.year === year);
  if (found) return found;
  const years = all.map((d) => d.year);
  throw new ProblemError(
    404,
    "no-data",
    "No data for this year",
    year === undefined
      ? "no dataset has been ingested yet; an owner can upload an eGRID GEN CSV with POST /api/v1/uploads"
      : `no dataset for year ${year}; years with data: ${years.length ? years.join(", ") : "none yet"}`,
    { availableYears: years },
  );
}

/** Source of a dataset as shown in `meta.source`. */
export function sourceOf(d: ActiveDataset): { key: string | null; ingestedAt: string | null } {
  return { key: d.objectKey, ingestedAt: d.completedAt ? new Date(d.completedAt).toISOString() : null };
}
