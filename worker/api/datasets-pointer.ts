import type { Context } from "hono";
import { type ActiveDataset, activeDatasets } from "../publication/active";
import { POINTER_KEY, pointerWrites, rememberDatasets, rememberedDatasets, writePointer } from "../publication/pointer";
import { afterResponse, readKv } from "./cache";
import { readSession } from "./d1-session";
import { roleAtLeast } from "./middleware/auth";
import type { AppEnv } from "./types";

// The read side of the edge version pointer (worker/publication/pointer.ts says what it is, who
// writes it and how stale it can be).

/**
 * The published datasets for this request: from the KV pointer (no D1 query), or from D1 for
 * owners and admins and when the pointer is absent or KV failed.
 */
export async function publishedDatasets(c: Context<AppEnv>): Promise<ActiveDataset[]> {
  const user = c.get("user");
  if (user && roleAtLeast(user.role, "owner")) return activeDatasets(readSession(c));
  const remembered = rememberedDatasets();
  if (remembered) return remembered;
  const since = pointerWrites();
  const text = await readKv(c, POINTER_KEY);
  if (typeof text === "string") {
    try {
      return rememberDatasets(JSON.parse(text) as ActiveDataset[], since);
    } catch {
      console.error(JSON.stringify({ event: "datasets-pointer-corrupt" }));
    }
  }
  // From the primary, not a replica: a lagging replica would put an old snapshot back for 60 s.
  const datasets = await activeDatasets(c.env.DB);
  // Only rebuild an entry KV reported absent: after a failed read, writing would load KV further.
  if (text === null && since === pointerWrites()) afterResponse(c, writePointer(c.env.CACHE, datasets));
  return rememberDatasets(datasets, since);
}
