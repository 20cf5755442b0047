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
 * read it through the edge version pointer (pointer.ts), which keys the KV cache.
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
