import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import { isStateCode, STATE_CODES } from "../../../domain/states";
import { cacheHeaders, cacheKey, etagFor, notModified, readThrough } from "../cache";
import { readSession } from "../d1-session";
import { sourceOf } from "../datasets";
import { publishedDatasets } from "../datasets-pointer";
import { jsonText } from "../json-text";
import { ProblemError } from "../problem";
import { scopeName, stateSummaries } from "../queries/state-summary";
import { bearerSecurity, jsonResponse, notModifiedResponse, problemResponses } from "../schemas/common";
import { StateDetailSchema, StateHistorySchema, StateParamsSchema, StateQuerySchema } from "../schemas/state-detail";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { resolveVersioned } from "../versioned-read";

const detailRoute = createRoute({
  method: "get",
  path: "/states/{code}",
  summary: "A state's (or the nation's) totals, fuel mix and top plant in one year",
  description:
    "Plant and generator counts, net generation and capacity, the same by EPA fuel category (adding up to the totals; null when the year's file has no FUELG1 column) and the largest plant. `US` answers for the nation.",
  security: bearerSecurity,
  request: { params: StateParamsSchema, query: StateQuerySchema },
  responses: {
    200: jsonResponse(StateDetailSchema, "The state in that year (X-Cache tells whether KV answered)"),
    304: notModifiedResponse,
    ...problemResponses(400, 401, 404, 429, 503),
  },
});

const historyRoute = createRoute({
  method: "get",
  path: "/states/{code}/history",
  summary: "A state's (or the nation's) totals and fuel mix in every published year",
  security: bearerSecurity,
  request: { params: StateParamsSchema },
  responses: {
    200: jsonResponse(
      StateHistorySchema,
      "One entry per year with plants in the state, oldest first (X-Cache tells whether KV answered)",
    ),
    304: notModifiedResponse,
    ...problemResponses(400, 401, 404, 429, 503),
  },
});

/** The scope code of the path (a state in any case, or US), or a 400 problem naming the valid ones. */
function parseScope(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (code === "US" || isStateCode(code)) return code;
  throw new ProblemError(
    400,
    "invalid-parameter",
    "Invalid request parameter",
    `code: unknown state code "${raw}"; use a two-letter code such as TX (any case), or US for the nation`,
    { errors: [{ in: "path", name: "code", detail: "unknown state code" }], validStates: [...STATE_CODES, "US"] },
  );
}

/** GET /states/{code} and GET /states/{code}/history, KV-cached by dataset version(s). */
export const stateDetailRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

stateDetailRoutes.openapi(detailRoute, async (c) => {
  const code = parseScope(c.req.valid("param").code);
  const { dataset, key, read } = await resolveVersioned(c, c.req.valid("query").year, (d) =>
    cacheKey("state", d.ingestionId, { code }),
  );
  const etag = await etagFor(key);
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const load = async () => {
    const [summary] = await stateSummaries(readSession(c), [dataset], code);
    if (!summary) {
      throw new ProblemError(
        404,
        "not-found",
        "No plants in this state",
        `no plants in ${code} in the ${dataset.year} dataset`,
      );
    }
    return {
      data: summary,
      meta: { year: dataset.year, datasetVersion: dataset.ingestionId, source: sourceOf(dataset) },
    };
  };
  return jsonText<z.infer<typeof StateDetailSchema>>(
    c,
    await readThrough(c, key, load, read()),
    cacheHeaders(etag, c.get("cache") ?? "MISS"),
  );
});

stateDetailRoutes.openapi(historyRoute, async (c) => {
  const code = parseScope(c.req.valid("param").code);
  // Keyed by every published year's version: any publish, withdrawal or rollback changes the key.
  const datasets = [...(await publishedDatasets(c))].sort((a, b) => a.year - b.year);
  const version = datasets.map((d) => `${d.year}=${d.ingestionId}`).join(",") || "empty";
  const key = cacheKey("state-history", version, { code });
  const etag = await etagFor(key);
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const load = async () => ({
    data: datasets.length ? await stateSummaries(readSession(c), datasets, code) : [],
    meta: { code, name: scopeName(code), years: datasets.map((d) => d.year) },
  });
  return jsonText<z.infer<typeof StateHistorySchema>>(
    c,
    await readThrough(c, key, load),
    cacheHeaders(etag, c.get("cache") ?? "MISS"),
  );
});
