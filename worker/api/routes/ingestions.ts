import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { INGESTION_STATUSES } from "../../../domain/ingestions";
import { ProblemError } from "../problem";
import { getIngestion, listIngestions } from "../queries/ingestions";
import { bearerSecurity, idPathParams, jsonResponse, problemResponses } from "../schemas/common";
import { IngestionDetailSchema, IngestionSchema } from "../schemas/ingestions";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";

const REJECTED_SAMPLE = 50;

/** GET /ingestions and GET /ingestions/{id}. Mounted behind requireRole("owner"). */
export const ingestionRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

ingestionRoutes.openapi(
  createRoute({
    method: "get",
    path: "/ingestions",
    summary: "Recent ingestions, newest first (owner)",
    security: bearerSecurity,
    request: {
      query: z.object({
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(200)
          .openapi({ description: "How many ingestions, newest first (1-200, default 50)", example: 50 })
          .default(50),
        status: z
          .enum(INGESTION_STATUSES)
          .openapi({ description: "Only ingestions in this state; absent = all", example: "done" })
          .optional(),
      }),
    },
    responses: {
      200: {
        description: "Ingestions",
        content: { "application/json": { schema: z.object({ data: z.array(IngestionSchema) }) } },
      },
      ...problemResponses(400, 401, 403, 429),
    },
  }),
  async (c) => c.json({ data: await listIngestions(c.env.DB, c.req.valid("query")) }, 200),
);

ingestionRoutes.openapi(
  createRoute({
    method: "get",
    path: "/ingestions/{id}",
    summary: "One ingestion: status, counts, timings, progress, rejected-row sample, error (owner)",
    security: bearerSecurity,
    request: {
      params: idPathParams(
        "Ingestion id (1-64 characters), from GET /ingestions or an upload's 202 answer",
        "3a7bd3e2360a3d29eea436fc",
      ),
    },
    responses: {
      200: jsonResponse(IngestionDetailSchema, "The ingestion"),
      ...problemResponses(400, 401, 403, 404, 429),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const ingestion = await getIngestion(c.env.DB, id, REJECTED_SAMPLE);
    if (!ingestion) {
      throw new ProblemError(
        404,
        "not-found",
        "Ingestion not found",
        `no ingestion with id ${id}; list them with GET /api/v1/ingestions`,
      );
    }
    return c.json(ingestion, 200);
  },
);
