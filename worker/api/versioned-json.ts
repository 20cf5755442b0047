import type { Context } from "hono";
import type { ActiveDataset } from "../publication/active";
import { cacheHeaders, cacheKey, etagFor, matchesIfNoneMatch, readThrough } from "./cache";
import { jsonText } from "./json-text";
import type { AppEnv } from "./types";
import { resolveVersioned } from "./versioned-read";

/** What versionedJson caches: one JSON document per (resource, dataset version, params). */
export interface VersionedJsonOptions<T> {
  /** Names the kind of answer in the cache key, e.g. "plant"; bump CACHE_SCHEMA to change shapes. */
  resource: string;
  /** The requested data year; undefined = the latest published one. */
  year: number | undefined;
  /**
   * The request parameters the answer depends on, already validated and canonical (defaults
   * filled in, case folded): each distinct value is its own KV entry, so keep their range small.
   */
  params: Record<string, string | number | null | undefined>;
  /** Builds the document from D1 on a miss (throw a ProblemError to answer an error; it is not cached). */
  load: (dataset: ActiveDataset) => Promise<T>;
}

/**
 * Answers a GET with a JSON document cached per dataset version, the way every read route of
 * this API does: the version comes from the edge pointer (no D1 query), the document from
 * isolate memory or KV (a hit makes no D1 query) or from `load` (a miss, then stored in KV),
 * with a strong ETag (304 to a matching If-None-Match), X-Cache, Cache-Control and
 * Server-Timing's `cache`. Never mixes datasets: the key names the version. `T` is the body's
 * type (the route schema's `z.infer`): `load` must build one, and the answer is typed as one.
 *
 * @example
 * plantRoutes.openapi(route, (c) =>
 *   versionedJson<z.infer<typeof PlantDetailSchema>>(c, { resource: "plant", year: q.year, params: { plantId }, load: (d) => queryPlant(readSession(c), d, plantId) }),
 * );
 */
export async function versionedJson<T>(c: Context<AppEnv>, options: VersionedJsonOptions<T>) {
  const { dataset, key, read } = await resolveVersioned(c, options.year, (d) =>
    cacheKey(options.resource, d.ingestionId, options.params),
  );
  const etag = await etagFor(key);
  if (matchesIfNoneMatch(c.req.header("if-none-match"), etag)) {
    c.set("cache", "NOT_MODIFIED");
    const { "X-Cache": _, ...headers } = cacheHeaders(etag, "");
    return c.body(null, 304, headers);
  }
  const json = await readThrough(c, key, () => options.load(dataset), read());
  return jsonText<T>(c, json, cacheHeaders(etag, c.get("cache") ?? "MISS"));
}
