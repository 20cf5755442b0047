import type { Context } from "hono";
import type { FuelCategory } from "../../domain/fuels";
import type { ActiveDataset } from "../publication/active";
import { cacheKey, readThroughText } from "./cache";
import { readSession } from "./d1-session";
import { sourceOf } from "./datasets";
import { queryFuelTopPlants } from "./queries/fuel-top";
import { versionWithBaseline } from "./queries/previous-year";
import { queryTopPlants } from "./queries/top-plants";
import type { AppEnv } from "./types";

/**
 * Top-N answers are cached as fixed pages of TOP_PAGE_SIZE ranks at aligned offsets; any `n` and
 * `offset` is sliced from the pages it spans. So the cache of a dataset version holds at most one
 * entry per 100 plants of each scope (the nation and each state), whatever analysts ask: about
 * 2 x plants / 100 entries (~300 for eGRID 2023, ~25 KB each), instead of one entry per distinct
 * (n, offset). Pages past the last plant are answered but never stored.
 */
export const TOP_PAGE_SIZE = 100;

/**
 * The KV key of one page; the first page's key is also the one resolveVersioned reads early. A
 * fuel ranking (?fuel=) is its own scope; without fuel the key is what it always was.
 */
export function topPageKey(
  dataset: ActiveDataset,
  state: string | null,
  page: number,
  fuel: FuelCategory | null = null,
): string {
  return cacheKey("top", versionWithBaseline(dataset), { year: dataset.year, state, page, ...(fuel ? { fuel } : {}) });
}

// A stored page is text: its scope's plant count on the first line, then one JSON row per line
// (JSON.stringify escapes newlines), so answering from it needs string slicing, never a parse.
// A miss is one D1 round trip: the query builds the page with its previous year in one batch.
async function loadPage(
  c: Context<AppEnv>,
  dataset: ActiveDataset,
  state: string | null,
  page: number,
  fuel: FuelCategory | null,
): Promise<string | { text: string; store: false }> {
  const query = { state, n: TOP_PAGE_SIZE, offset: page * TOP_PAGE_SIZE };
  const body = fuel
    ? await queryFuelTopPlants(readSession(c), dataset, { ...query, fuel })
    : await queryTopPlants(readSession(c), dataset, query);
  const text = [String(body.meta.total), ...body.data.map((row) => JSON.stringify(row))].join("\n");
  return page > 0 && body.data.length === 0 ? { text, store: false } : text;
}

/**
 * The top-N JSON body for `n` plants from `offset` (the same document queryTopPlants builds),
 * read through the cached pages it spans. `firstRead` is a KV read of the first page's key
 * already under way. Sets the request's cache state: HIT only when every page came from KV.
 */
export async function readTopPlants(
  c: Context<AppEnv>,
  dataset: ActiveDataset,
  query: { state: string | null; n: number; offset: number; fuel?: FuelCategory | null },
  firstRead?: Promise<string | null | undefined>,
): Promise<string> {
  const first = Math.floor(query.offset / TOP_PAGE_SIZE);
  const last = Math.floor((query.offset + query.n - 1) / TOP_PAGE_SIZE);
  const pages = await Promise.all(
    Array.from({ length: last - first + 1 }, (_, i) =>
      readThroughText(
        c,
        topPageKey(dataset, query.state, first + i, query.fuel ?? null),
        () => loadPage(c, dataset, query.state, first + i, query.fuel ?? null),
        i === 0 ? firstRead : undefined,
      ),
    ),
  );
  c.set("cache", pages.every((p) => p.hit) ? "HIT" : "MISS");
  const lines = pages.map((p) => p.text.split("\n"));
  const total = Number(lines[0]?.[0] ?? 0);
  const start = query.offset - first * TOP_PAGE_SIZE;
  const rows = lines.flatMap((l) => l.slice(1)).slice(start, start + query.n);
  const meta = {
    n: query.n,
    offset: query.offset,
    state: query.state,
    fuel: query.fuel ?? null,
    year: dataset.year,
    total,
    datasetVersion: dataset.ingestionId,
    source: sourceOf(dataset),
  };
  return `{"data":[${rows.join(",")}],"meta":${JSON.stringify(meta)}}`;
}
