import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { STATE_NAMES } from "../../../domain/states";
import { cacheHeaders, cacheKey, etagFor, notModified, readThrough } from "../cache";
import { readSession } from "../d1-session";
import { sourceOf } from "../datasets";
import { publishedDatasets } from "../datasets-pointer";
import { jsonText } from "../json-text";
import { stateTotals } from "../queries/state-totals";
import { roundTo } from "../queries/top-plants";
import { bearerSecurity, jsonResponse, notModifiedResponse, problemResponses, YearQuery } from "../schemas/common";
import { StatesSchema, YearsSchema } from "../schemas/states";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { resolveVersioned } from "../versioned-read";

const statesRoute = createRoute({
  method: "get",
  path: "/states",
  summary: "Plant count and net generation per state",
  security: bearerSecurity,
  request: { query: z.object({ year: YearQuery }) },
  responses: {
    200: jsonResponse(StatesSchema, "States with plants in the dataset"),
    304: notModifiedResponse,
    ...problemResponses(400, 401, 404, 429, 503),
  },
});

const yearsRoute = createRoute({
  method: "get",
  path: "/years",
  summary: "Years with data and the active ingestion of each",
  security: bearerSecurity,
  responses: {
    200: jsonResponse(YearsSchema, "Years, newest first"),
    304: notModifiedResponse,
    ...problemResponses(401, 429, 503),
  },
});

/** GET /states (KV-cached by dataset version) and GET /years. */
export const stateRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

stateRoutes.openapi(statesRoute, async (c) => {
  const { dataset, key, read } = await resolveVersioned(c, c.req.valid("query").year, (d) =>
    cacheKey("states", d.ingestionId, { year: d.year }),
  );
  const etag = await etagFor(key);
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const body = await readThrough(
    c,
    key,
    async () => ({
      data: [...(await stateTotals(readSession(c), dataset.ingestionId))].map(([code, t]) => ({
        code,
        name: STATE_NAMES[code] ?? code,
        plantCount: t.plantCount,
        netGenerationMwh: roundTo(t.netGenerationMwh, 3),
      })),
      meta: { year: dataset.year, datasetVersion: dataset.ingestionId, source: sourceOf(dataset) },
    }),
    read(),
  );
  const headers = cacheHeaders(etag, c.get("cache") ?? "MISS");
  return jsonText<z.infer<typeof StatesSchema>>(c, body, headers);
});

stateRoutes.openapi(yearsRoute, async (c) => {
  // The edge version pointer is this answer: no entry of its own in the KV cache.
  const datasets = await publishedDatasets(c);
  const version = datasets.map((d) => `${d.year}=${d.ingestionId}`).join(",") || "empty";
  const etag = await etagFor(cacheKey("years", version, {}));
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const body = {
    data: datasets.map((d) => ({
      year: d.year,
      ingestionId: d.ingestionId,
      activatedAt: new Date(d.activatedAt).toISOString(),
      source: sourceOf(d),
    })),
  };
  const { "X-Cache": _, ...headers } = cacheHeaders(etag, "");
  return c.json(body, 200, headers);
});
