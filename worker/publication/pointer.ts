import { plantsPerStatement, type Room, UNLIMITED } from "../db/sql/runner";
import { type ActiveDataset, activeDatasets } from "./active";
import { type PairAt, precomputeChangePairs } from "./change-pairs";

/**
 * The edge version pointer: the published-datasets snapshot (a few hundred bytes) kept in KV, so
 * a request answered from the KV cache resolves its dataset version without a D1 query.
 *
 * Who writes it: every path that changes `datasets` (publish.ts callers, worker/ingest/retract.ts) rewrites it
 * right after its D1 batch commits; a reader that finds it absent rebuilds it from D1
 * (worker/api/datasets-pointer.ts publishedDatasets, the read side).
 * How stale it can be: KV is read-your-writes in the location that wrote it (locally: the next
 * request), and reaches other locations within KV's propagation delay (~60 s, Cloudflare KV docs).
 * Each isolate also keeps the snapshot in memory for POINTER_MEMORY_MS (below), which adds at most
 * that to the bounds here. Every entry expires after POINTER_TTL_SECONDS, so even a change made outside those paths (by
 * hand in D1), or a reader's rebuild racing a publish, is corrected within that TTL plus
 * propagation. Owners and admins skip the pointer and read D1, so an owner sees a publish at once.
 */
export const POINTER_KEY = "datasets:pointer:v1";
/** KV's minimum expirationTtl (60 s): the bound on a pointer that missed a change. */
export const POINTER_TTL_SECONDS = 60;

/**
 * How long an isolate reuses the snapshot it last read or wrote before asking KV again. An
 * isolate that made the change itself (publish, withdraw) holds the new snapshot at once; others
 * in the same location see it within this bound plus KV's (read-your-writes in a location).
 */
export const POINTER_MEMORY_MS = 1_000;

// This isolate's copy of the snapshot, parsed once: a request within POINTER_MEMORY_MS does no I/O.
let remembered: { datasets: ActiveDataset[]; until: number } | null = null;
// Bumped by every write: a read that started before a write must not put its older snapshot back.
let writes = 0;

/**
 * Keeps `datasets` as this isolate's copy, unless the pointer was written since the read that
 * produced them began (`readSince`, from pointerWrites()); returns them either way.
 */
export function rememberDatasets(datasets: ActiveDataset[], readSince = writes): ActiveDataset[] {
  if (readSince === writes) remembered = { datasets, until: Date.now() + POINTER_MEMORY_MS };
  return datasets;
}

/** Drops this isolate's copy, as a freshly started isolate (for tests of the KV and D1 paths). */
export function forgetDatasetsPointer(): void {
  remembered = null;
}

/** This isolate's copy when it is younger than POINTER_MEMORY_MS, else null. */
export function rememberedDatasets(): ActiveDataset[] | null {
  return remembered && remembered.until > Date.now() ? remembered.datasets : null;
}

/** How many times this isolate wrote the pointer: a read compares it before and after. */
export function pointerWrites(): number {
  return writes;
}

/** Writes the pointer to KV (and this isolate's copy); a KV failure is logged, never thrown. */
export async function writePointer(cache: KVNamespace, datasets: ActiveDataset[]): Promise<void> {
  writes += 1;
  rememberDatasets(datasets);
  try {
    await cache.put(POINTER_KEY, JSON.stringify(datasets), { expirationTtl: POINTER_TTL_SECONDS });
  } catch (error) {
    // The TTL bounds how long readers miss this change; never fail the change itself.
    console.error(JSON.stringify({ event: "datasets-pointer-write-failed", message: String(error) }));
  }
}

/**
 * Rewrites the pointer from D1's primary. Call right after a batch that changed `datasets` has
 * committed (publish, hand publish, withdraw, retract), so the next request serves the change.
 * Publishing passes its statement budget (`room`): the year pairs then stop where it is spent and
 * the place to resume is returned; `changesFrom` resumes them without writing the pointer again.
 */
export async function refreshDatasetsPointer(
  env: Pick<Env, "DB" | "CACHE" | "INGEST_PLANTS_PER_STATEMENT">,
  room: Room = UNLIMITED,
  changesFrom?: PairAt,
): Promise<PairAt | null> {
  const datasets = await activeDatasets(env.DB);
  if (!changesFrom) await writePointer(env.CACHE, datasets);
  // Every change of publications passes here: precompute the movers of any new year pair.
  return precomputeChangePairs(env.DB, datasets, plantsPerStatement(env), room, changesFrom);
}
