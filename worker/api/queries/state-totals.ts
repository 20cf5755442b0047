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

const TOTALS_SQL = `SELECT state, COUNT(*) AS plantCount, SUM(net_generation_mwh) AS net
  FROM plants WHERE ingestion_id = ?1 GROUP BY state ORDER BY state`;

/** A row of the totals statement. */
interface StateTotalRow {
  state: string;
  plantCount: number;
  net: number | null;
}

/**
 * Per-state totals of an ingestion (one GROUP BY over plants_state_top_idx), computed once per
 * isolate and version. Used for shareOfStatePct, meta.total and GET /states.
 */
export async function stateTotals(db: D1Database, ingestionId: string): Promise<Map<string, StateTotal>> {
  const known = memo.get(ingestionId);
  if (known) return known;
  const { results } = await totalsStatement(db, ingestionId).all<StateTotalRow>();
  return rememberTotals(ingestionId, results);
}

/**
 * Runs `statements` in one batch (one D1 round trip), with the totals statement appended when
 * this isolate does not have the ingestion's totals yet: the statements' results and the totals.
 */
export async function batchWithTotals(
  db: D1Database,
  ingestionId: string,
  statements: D1PreparedStatement[],
): Promise<{ results: D1Result[]; totals: Map<string, StateTotal> }> {
  const known = memo.get(ingestionId);
  if (known) return { results: await db.batch(statements), totals: known };
  const results = await db.batch([...statements, totalsStatement(db, ingestionId)]);
  const rows = (results.pop()?.results ?? []) as StateTotalRow[];
  return { results, totals: rememberTotals(ingestionId, rows) };
}

function totalsStatement(db: D1Database, ingestionId: string): D1PreparedStatement {
  return db.prepare(TOTALS_SQL).bind(ingestionId);
}

/** Keeps the totals read by the totals statement for the isolate's life, and returns them. */
function rememberTotals(ingestionId: string, rows: readonly StateTotalRow[]): Map<string, StateTotal> {
  const totals = new Map(rows.map((r) => [r.state, { plantCount: r.plantCount, netGenerationMwh: r.net }]));
  if (memo.size >= MAX_VERSIONS) memo.delete(memo.keys().next().value as string);
  memo.set(ingestionId, totals);
  return totals;
}

/** Plants in the dataset: of one state, or of the whole country when state is null. */
export function plantCount(totals: Map<string, StateTotal>, state: string | null): number {
  if (state) return totals.get(state)?.plantCount ?? 0;
  let sum = 0;
  for (const t of totals.values()) sum += t.plantCount;
  return sum;
}
