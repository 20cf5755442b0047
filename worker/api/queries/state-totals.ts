/** Plant count and summed net generation of one state in one dataset. */
export interface StateTotal {
  plantCount: number;
  netGenerationMwh: number | null;
}

// A dataset version never changes once published, so its totals can be kept for the isolate's
// life; a few entries cover the active years (a new version simply adds a key).
const MAX_VERSIONS = 16;
// Values, never in-flight promises: a promise started by one request belongs to that request's
// I/O, and if the request is cancelled workerd may never settle it, so every later request
// awaiting it would hang until the isolate is evicted. Concurrent first requests each query.
const memo = new Map<string, Map<string, StateTotal>>();

/**
 * Per-state totals of an ingestion (one GROUP BY over plants_state_top_idx), computed once per
 * isolate and version. Used for shareOfStatePct, meta.total and GET /states.
 */
export async function stateTotals(db: D1Database, ingestionId: string): Promise<Map<string, StateTotal>> {
  const known = memo.get(ingestionId);
  if (known) return known;
  const totals = await load(db, ingestionId);
  if (memo.size >= MAX_VERSIONS) memo.delete(memo.keys().next().value as string);
  memo.set(ingestionId, totals);
  return totals;
}

async function load(db: D1Database, ingestionId: string): Promise<Map<string, StateTotal>> {
  const { results } = await db
    .prepare(
      `SELECT state, COUNT(*) AS plantCount, SUM(net_generation_mwh) AS net
         FROM plants WHERE ingestion_id = ?1 GROUP BY state ORDER BY state`,
    )
    .bind(ingestionId)
    .all<{ state: string; plantCount: number; net: number | null }>();
  return new Map(results.map((r) => [r.state, { plantCount: r.plantCount, netGenerationMwh: r.net }]));
}

/** Plants in the dataset: of one state, or of the whole country when state is null. */
export function plantCount(totals: Map<string, StateTotal>, state: string | null): number {
  if (state) return totals.get(state)?.plantCount ?? 0;
  let sum = 0;
  for (const t of totals.values()) sum += t.plantCount;
  return sum;
}
