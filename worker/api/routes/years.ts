import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { parseFuelCategory } from "../../../domain/fuels";
import { searchWords } from "../../../domain/plant-names";
import { cacheHeaders, cacheKey, etagFor, notModified, readThrough } from "../cache";
import { readSession } from "../d1-session";
import { publishedDatasets } from "../datasets-pointer";
import { jsonText } from "../json-text";
import { ProblemError } from "../problem";
import { queryMovers } from "../queries/movers";
import { queryPlantHistory } from "../queries/plant-history";
import { searchPlants } from "../queries/plant-search";
import { versionWithBaseline } from "../queries/previous-year";
import {
  HistoryQuerySchema,
  MoversQuerySchema,
  MoversSchema,
  PlantHistorySchema,
  PlantSearchSchema,
  SearchQuerySchema,
} from "../schemas/change";
import { bearerSecurity, jsonResponse, notModifiedResponse, problemResponses } from "../schemas/common";
import { PlantParamsSchema } from "../schemas/plants";
import { parseStateParam } from "../states";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { resolveVersioned } from "../versioned-read";

const moversRoute = createRoute({
  method: "get",
  path: "/plants/movers",
  summary: "Plants whose net generation changed most since the previous year with data",
  description:
    "Plants with known net generation in both the year and the nearest earlier published year, by change (up: largest increase first; down: largest decrease first). Plants are matched by ORISPL when both files carry it, else by state and name.",
  security: bearerSecurity,
  request: { query: MoversQuerySchema },
  responses: {
    200: jsonResponse(MoversSchema, "The movers (X-Cache tells whether KV answered)"),
    304: notModifiedResponse,
    ...problemResponses(400, 401, 404, 422, 429, 503),
  },
});

const historyRoute = createRoute({
  method: "get",
  path: "/plants/{plantId}/history",
  summary: "One plant in every published year",
  description:
    "Net generation, national and state rank, generators, capacity and net generation by fuel category per year. Years are linked by ORISPL when both files carry it, else by state and name (each entry says which); a year without the plant is left out.",
  security: bearerSecurity,
  request: { params: PlantParamsSchema, query: HistoryQuerySchema },
  responses: {
    200: jsonResponse(PlantHistorySchema, "The plant's years, oldest first (X-Cache tells whether KV answered)"),
    304: notModifiedResponse,
    ...problemResponses(400, 401, 404, 429, 503),
  },
});

const searchRoute = createRoute({
  method: "get",
  path: "/plants",
  summary: "Search plants by name",
  description:
    "Plants whose name has a word starting with each search word (any case, accents and punctuation ignored), largest net generation first: for a search box.",
  security: bearerSecurity,
  request: { query: SearchQuerySchema },
  responses: {
    200: jsonResponse(PlantSearchSchema, "Matching plants (X-Cache tells whether KV answered)"),
    304: notModifiedResponse,
    ...problemResponses(400, 401, 404, 429, 503),
  },
});

/** Already-serialised JSON (as stored in KV), typed as the route's body `T`. */
function cachedJson<T>(c: Context<AppEnv>, body: string, etag: string) {
  return jsonText<T>(c, body, cacheHeaders(etag, c.get("cache") ?? "MISS"));
}

/** GET /plants/movers, /plants/{plantId}/history and /plants?search=, KV-cached by dataset version(s). */
export const yearRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

yearRoutes.openapi(moversRoute, async (c) => {
  const q = c.req.valid("query");
  const state = parseStateParam(q.state);
  const fuel = q.fuel ? parseFuelCategory(q.fuel) : null;
  const options = { state, fuel, n: q.n, direction: q.direction };
  // Keyed by the year's version and its baseline's: republishing either changes the key.
  const { dataset, key, read } = await resolveVersioned(c, q.year, (d) =>
    cacheKey("movers", versionWithBaseline(d), options),
  );
  const etag = await etagFor(key);
  const early = notModified(c, etag);
  if (early) return early;
  const load = () => queryMovers(readSession(c), c.env.DB, dataset, options);
  return cachedJson<z.infer<typeof MoversSchema>>(c, await readThrough(c, key, load, read()), etag);
});

yearRoutes.openapi(historyRoute, async (c) => {
  const { plantId } = c.req.valid("param");
  const { year } = c.req.valid("query");
  // Keyed by every published year's version: any publish, withdrawal or rollback changes the key.
  const datasets = [...(await publishedDatasets(c))].sort((a, b) => a.year - b.year);
  const version = datasets.map((d) => `${d.year}=${d.ingestionId}`).join(",") || "empty";
  const key = cacheKey("plant-history", version, { plantId, year });
  const etag = await etagFor(key);
  const early = notModified(c, etag);
  if (early) return early;
  const load = async () => {
    if (year !== undefined && !datasets.some((d) => d.year === year)) {
      const years = datasets.map((d) => d.year).join(", ") || "none yet";
      throw new ProblemError(
        404,
        "no-data",
        "No data for this year",
        `no dataset for year ${year}; years with data: ${years}`,
      );
    }
    const history = await queryPlantHistory(readSession(c), datasets, plantId, year);
    if (history) return history;
    throw new ProblemError(
      404,
      "not-found",
      "Plant not found",
      `no plant "${plantId}" in ${year === undefined ? "any published year" : `the ${year} dataset`}; plant ids come from GET /api/v1/plants/top or GET /api/v1/plants?search= (URL-encode them)`,
    );
  };
  return cachedJson<z.infer<typeof PlantHistorySchema>>(c, await readThrough(c, key, load), etag);
});

yearRoutes.openapi(searchRoute, async (c) => {
  const q = c.req.valid("query");
  const state = parseStateParam(q.state);
  // The words as compared, so "Palo  VERDE" and "palo verde" share an entry.
  const words = searchWords(q.search).sort().join(" ");
  const { dataset, key, read } = await resolveVersioned(c, q.year, (d) =>
    cacheKey("plant-search", d.ingestionId, { words, state, limit: q.limit }),
  );
  const etag = await etagFor(key);
  const early = notModified(c, etag);
  if (early) return early;
  const load = () => searchPlants(readSession(c), dataset, { search: q.search, state, limit: q.limit });
  return cachedJson<z.infer<typeof PlantSearchSchema>>(c, await readThrough(c, key, load, read()), etag);
});
