import type { StatementRunner } from "./runner";

/**
 * Plant-key ranges of one ingestion's rows in `table` (keyed by ingestion_id, plant_key), about
 * `size` keys each, found with a keyset walk of the primary key: each boundary is one seek and
 * `size` index steps, never a pass over the whole ingestion. The ranges tile the keys: each is
 * (after, end], and the last one has end null (every key after `after`). Publishing runs one
 * statement per range, so none holds D1 for long (locally, D1 is SQLite inside the API's own
 * workerd; on Cloudflare a statement over 30 s fails). `from` resumes a walk after the range
 * that ended there (publishing continued in another invocation: worker/ingest/budget.ts).
 */
export async function* keyRanges(
  run: StatementRunner,
  table: "plants" | "plant_years",
  ingestionId: string,
  size: number,
  from = "",
): AsyncGenerator<KeyRange> {
  let after = from;
  for (;;) {
    const { results } = await run<{ plant_key: string }>(
      `SELECT plant_key FROM ${table} WHERE ingestion_id = ?1 AND plant_key > ?2 ORDER BY plant_key LIMIT 1 OFFSET ?3`,
      ingestionId,
      after,
      size - 1,
    );
    const end = results[0]?.plant_key ?? null;
    yield { after, end };
    if (end === null) return;
    after = end;
  }
}

/** Keys in (after, end]; end null for every key after `after`. */
export interface KeyRange {
  after: string;
  end: string | null;
}

/**
 * The condition on `column` for a range whose bounds are parameters `?{from}` and `?{from + 1}`.
 * Two forms, not `(?3 IS NULL OR …)`: an OR would keep SQLite from ending the seek at the bound.
 */
export function inRange(column: string, range: KeyRange, from: number): string {
  return range.end === null ? `${column} > ?${from}` : `${column} > ?${from} AND ${column} <= ?${from + 1}`;
}

/** The parameters inRange() names. */
export function rangeParams(range: KeyRange): string[] {
  return range.end === null ? [range.after] : [range.after, range.end];
}
