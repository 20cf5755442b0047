import type { Context } from "hono";
import type { ActiveDataset } from "../publication/active";
import { readCached } from "./cache";
import { datasetForYear } from "./datasets";
import { publishedDatasets } from "./datasets-pointer";
import type { AppEnv } from "./types";

// The dataset this isolate last saw per requested year ("latest" when none): a guess only.
const lastSeen = new Map<string, ActiveDataset>();

/** The dataset a request resolved to, its cache key, and a KV read of that key (possibly started early). */
export interface VersionedRead {
  dataset: ActiveDataset;
  key: string;
  read: () => Promise<string | null | undefined>;
}

/**
 * Resolves the dataset of `year` through the edge version pointer and, at the same time, starts
 * the KV read of the key the request would have under the version this isolate saw last, so a
 * hit costs one round of parallel KV reads and no D1 query. The early read is used only when the
 * pointer confirms that version, so it can never serve another dataset's numbers; otherwise the
 * key is read afresh (or not at all, e.g. for a 304, when `read` is never called).
 */
export async function resolveVersioned(
  c: Context<AppEnv>,
  year: number | undefined,
  keyOf: (dataset: ActiveDataset) => string,
): Promise<VersionedRead> {
  const slot = String(year ?? "latest");
  const guess = lastSeen.get(slot);
  const guessedKey = guess ? keyOf(guess) : null;
  const early = guessedKey ? readCached(c, guessedKey) : null;
  const dataset = datasetForYear(await publishedDatasets(c), year);
  lastSeen.set(slot, dataset);
  const key = keyOf(dataset);
  return { dataset, key, read: () => (early && key === guessedKey ? early : readCached(c, key)) };
}
