import type { Context } from "hono";
import { MemoryCache } from "./memory-cache";
import type { AppEnv } from "./types";

/** Bump when a cached response's shape changes, so old entries become unreachable. */
const CACHE_SCHEMA = "v1";
/** Browsers and the web app may reuse a response this long without asking again. */
export const CLIENT_MAX_AGE_SECONDS = 60;
/** Entries are immutable (keyed by dataset version); the TTL only collects garbage. */
const KV_TTL_SECONDS = 86_400;
/** A KV read slower than this is abandoned and the answer comes from D1. */
export const KV_READ_TIMEOUT_MS = 100;
/**
 * Characters of cached entries each isolate keeps in memory (~2 bytes each at worst, so at most
 * ~16 MB of the isolate's 128 MB): about 300 top-N pages of 25 KB, the whole top-N of one year.
 */
export const MEMORY_CACHE_CHARS = 8_000_000;

/**
 * The KV key of a cached response. `datasetVersion` is the active ingestion id(s), so
 * publishing a new dataset changes every key: old entries are never read again.
 */
export function cacheKey(resource: string, datasetVersion: string, params: Record<string, unknown>): string {
  const query = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k] ?? ""}`)
    .join("&");
  return `api:${CACHE_SCHEMA}:${resource}:${datasetVersion}:${query}`;
}

// ETags this isolate has computed: a repeated request costs a map lookup, not a SHA-256.
const etags = new Map<string, string>();
/** Entries kept in `etags`; the oldest goes first (Map keeps insertion order). */
const ETAG_MEMO_ENTRIES = 2_000;

/** A strong ETag derived from the cache key: same key, same bytes. Computed once per key and isolate. */
export async function etagFor(key: string, variant = "json"): Promise<string> {
  const memoKey = `${key}|${variant}`;
  const known = etags.get(memoKey);
  if (known) return known;
  const etag = await digestEtag(key, variant);
  if (etags.size >= ETAG_MEMO_ENTRIES) etags.delete(etags.keys().next().value as string);
  etags.set(memoKey, etag);
  return etag;
}

async function digestEtag(key: string, variant: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${key}|${variant}`));
  const hex = Array.from(new Uint8Array(digest).subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `"${hex}"`;
}

/** True when If-None-Match names this ETag (or `*`); weak comparison per RFC 9110 section 13.1.2. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/**
 * A 304 when If-None-Match names `etag`, else null. It carries the cache headers the 200 would
 * (ETag, Cache-Control, Vary: RFC 9110 section 15.4.5) but X-Cache, which describes a body.
 */
export function notModified(c: Context<AppEnv>, etag: string): Response | null {
  if (!matchesIfNoneMatch(c.req.header("if-none-match"), etag)) return null;
  c.set("cache", "NOT_MODIFIED");
  const { "X-Cache": _, ...headers } = cacheHeaders(etag, "");
  return c.body(null, 304, headers);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`KV read took over ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Runs work after the response when an execution context exists (it does not in app.request tests). */
export function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    void work;
  }
}

/**
 * Reads a KV key: its text, null when KV says it is absent, or undefined when KV failed or was
 * slower than KV_READ_TIMEOUT_MS (logged; the caller answers from D1).
 */
export function readKv(c: Context<AppEnv>, key: string): Promise<string | null | undefined> {
  return withTimeout(c.env.CACHE.get(key, "text"), KV_READ_TIMEOUT_MS).catch((error) => {
    console.error(JSON.stringify({ event: "kv-read-failed", key, message: String(error) }));
    return undefined;
  });
}

/**
 * Entries this isolate has read from KV. Safe to keep without a TTL: a key names its dataset
 * version (cacheKey), so its text never changes. Only text KV returned is kept, never a value
 * just computed: memory is a copy of what KV holds, and an entry edited in KV by hand (or
 * rewritten with a new CACHE_SCHEMA) is read afresh by an isolate that had not seen it.
 */
const fromKv = new MemoryCache<string>({ maxSize: MEMORY_CACHE_CHARS, sizeOf: (text) => text.length + 64 });

/**
 * A cached entry (key from cacheKey): from this isolate's memory (no I/O at all), else from KV
 * as readKv. A hit in memory costs a map lookup; the first hit of each entry in an isolate pays
 * one KV read.
 */
export function readCached(c: Context<AppEnv>, key: string): Promise<string | null | undefined> {
  const remembered = fromKv.get(key);
  if (remembered !== undefined) return Promise.resolve(remembered);
  return readKv(c, key).then((text) => {
    if (typeof text === "string") fromKv.set(key, text);
    return text;
  });
}

/**
 * KV read-through of a JSON document: returns the cached text (HIT) or loads the value from D1,
 * serialises it once and stores that text (MISS). Keeping text avoids a parse and a stringify per
 * hit. KV is an optimisation, never a dependency: a KV error or a slow read counts as a miss, and
 * a failed write is only logged. Only an entry KV reported absent is written: after a failed or
 * slow read the entry probably exists, and writing it again would add load to a struggling KV.
 * `started` is a read of `key` already under way, if any.
 */
export async function readThrough(
  c: Context<AppEnv>,
  key: string,
  load: () => Promise<unknown>,
  started?: Promise<string | null | undefined>,
): Promise<string> {
  const { text, hit } = await readThroughText(c, key, async () => JSON.stringify(await load()), started);
  c.set("cache", hit ? "HIT" : "MISS");
  return text;
}

/**
 * readThrough for an entry that is text of any form: `load` returns the text to store, or null
 * to answer with `fallback` without storing anything (e.g. a page past the end). Sets no cache
 * state: the caller knows whether the whole answer was a hit.
 */
export async function readThroughText(
  c: Context<AppEnv>,
  key: string,
  load: () => Promise<string | { text: string; store: false }>,
  started?: Promise<string | null | undefined>,
): Promise<{ text: string; hit: boolean }> {
  const cached = await (started ?? readCached(c, key));
  if (typeof cached === "string") return { text: cached, hit: true };
  const loaded = await load();
  const text = typeof loaded === "string" ? loaded : loaded.text;
  if (cached === undefined || typeof loaded !== "string") return { text, hit: false };
  const write = Promise.resolve()
    .then(() => c.env.CACHE.put(key, text, { expirationTtl: KV_TTL_SECONDS }))
    .catch((error) => console.error(JSON.stringify({ event: "kv-write-failed", key, message: String(error) })));
  afterResponse(c, write);
  return { text, hit: false };
}

/** Headers of every cacheable response. */
export function cacheHeaders(etag: string, cache: string): Record<string, string> {
  return {
    ETag: etag,
    "Cache-Control": `private, max-age=${CLIENT_MAX_AGE_SECONDS}`,
    Vary: "Accept, Authorization",
    "X-Cache": cache,
  };
}
