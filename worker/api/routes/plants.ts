import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { parseFuelCategory } from "../../../domain/fuels";
import { cacheHeaders, cacheKey, etagFor, notModified } from "../cache";
import { toCsv, wantsCsv } from "../csv";
import { jsonText } from "../json-text";
import { plantEntryKey, readPlantPage } from "../plant-pages";
import { versionWithBaseline } from "../queries/previous-year";
import type { TopPlant, TopPlantsBody } from "../queries/top-plants";
import { bearerSecurity, jsonResponse, notModifiedResponse, problemResponses } from "../schemas/common";
import {
  PlantDetailSchema,
  PlantParamsSchema,
  PlantQuerySchema,
  TopPlantsSchema,
  TopQuerySchema,
} from "../schemas/plants";
import { parseStateParam } from "../states";
import { readTopPlants, TOP_PAGE_SIZE, topPageKey } from "../top-pages";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { resolveVersioned } from "../versioned-read";

const CSV_COLUMNS = [
  "rank",
  "plantId",
  "orispl",
  "name",
  "state",
  "netGenerationMwh",
  "generatorCount",
  "unknownGeneratorCount",
  "shareOfStatePct",
  "primaryFuel",
  "primaryFuelCategory",
  "capacityMw",
  "changeMwh",
  "changePct",
] as const satisfies readonly (keyof TopPlant)[];
const FUEL_CSV_COLUMNS = [...CSV_COLUMNS, "fuelNetGenerationMwh"] as const satisfies readonly (keyof TopPlant)[];

const topRoute = createRoute({
  method: "get",
  path: "/plants/top",
  summary: "Top plants by annual net generation",
  description:
    "Ranked by net generation descending, ties by name; plants with unknown generation last. With `fuel`, only plants with known generation in that EPA category, ranked by it (`fuelNetGenerationMwh`); `netGenerationMwh` stays the plant total.",
  security: bearerSecurity,
  request: { query: TopQuerySchema },
  responses: {
    200: {
      description: "Ranked plants (X-Cache tells whether KV answered)",
      content: {
        "application/json": { schema: TopPlantsSchema },
        "text/csv": { schema: z.string().openapi({ example: "rank,plantId,...\r\n1,AZ:Palo Verde,..." }) },
      },
    },
    304: notModifiedResponse,
    ...problemResponses(400, 401, 404, 422, 429, 503),
  },
});

const plantRoute = createRoute({
  method: "get",
  path: "/plants/{plantId}",
  summary: "One plant with a page of its generators",
  description:
    "Plant totals on every page, and up to `limit` generators in file order. Follow `meta.nextCursor` (as `?cursor=`) until it is null to read them all.",
  security: bearerSecurity,
  request: { params: PlantParamsSchema, query: PlantQuerySchema },
  responses: {
    200: jsonResponse(
      PlantDetailSchema,
      "The plant and one page of its generators (X-Cache tells whether KV answered)",
    ),
    304: notModifiedResponse,
    ...problemResponses(400, 401, 404, 429, 503),
  },
});

/** GET /plants/top and GET /plants/{plantId}. */
export const plantRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

plantRoutes.openapi(topRoute, async (c) => {
  const q = c.req.valid("query");
  const state = parseStateParam(q.state);
  const fuel = q.fuel ? parseFuelCategory(q.fuel) : null;
  const csv = wantsCsv(q.format, c.req.header("accept"));
  const firstPage = Math.floor(q.offset / TOP_PAGE_SIZE);
  const { dataset, read } = await resolveVersioned(c, q.year, (d) => topPageKey(d, state, firstPage, fuel));
  const answerKey = cacheKey("top", versionWithBaseline(dataset), {
    year: dataset.year,
    state,
    n: q.n,
    offset: q.offset,
    ...(fuel ? { fuel } : {}),
  });
  const etag = await etagFor(answerKey, csv ? "csv" : "json");
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const json = await readTopPlants(c, dataset, { state, n: q.n, offset: q.offset, fuel }, read());
  const headers = cacheHeaders(etag, c.get("cache") ?? "MISS");
  if (csv) {
    const name = `top-plants-${dataset.year}-${state ?? "US"}${fuel ? `-${fuel}` : ""}.csv`;
    const body = JSON.parse(json) as TopPlantsBody;
    return c.body(toCsv(fuel ? FUEL_CSV_COLUMNS : CSV_COLUMNS, body.data), 200, {
      ...headers,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `inline; filename="${name}"`,
    });
  }
  return jsonText<z.infer<typeof TopPlantsSchema>>(c, json, headers);
});

plantRoutes.openapi(plantRoute, async (c) => {
  const { plantId } = c.req.valid("param");
  const q = c.req.valid("query");
  // One KV entry per plant (plant-pages.ts); the ETag still names the page asked for.
  const { dataset, read } = await resolveVersioned(c, q.year, (d) => plantEntryKey(d, plantId));
  const etag = await etagFor(cacheKey("plant", dataset.ingestionId, { plantId, limit: q.limit, cursor: q.cursor }));
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const json = await readPlantPage(c, dataset, plantId, { limit: q.limit, cursor: q.cursor }, read());
  return jsonText<z.infer<typeof PlantDetailSchema>>(c, json, cacheHeaders(etag, c.get("cache") ?? "MISS"));
});
