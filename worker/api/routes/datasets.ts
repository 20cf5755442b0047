import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { bareEtag } from "../../../domain/etag";
import { readIngestionRecord } from "../../db/ingestions";
import { refreshDatasetsPointer } from "../../publication/pointer";
import { cannotPublishReason, publishByHand, withdrawYear } from "../../publication/publish";
import { ProblemError } from "../problem";
import { listYearDatasets, storedRows } from "../queries/datasets";
import { bearerSecurity, jsonResponse, problemResponses } from "../schemas/common";
import { DatasetsSchema, YearDatasetsSchema } from "../schemas/datasets";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { audit } from "./audit";

const YearParam = z.object({
  year: z.coerce
    .number()
    .int()
    .min(1900)
    .max(2200)
    .openapi({ param: { name: "year", in: "path" }, description: "Data year", example: 2023 }),
});

/** GET /datasets, POST and DELETE /datasets/{year}/active. Mounted behind requireRole("owner"). */
export const datasetRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

datasetRoutes.openapi(
  createRoute({
    method: "get",
    path: "/datasets",
    summary: "Per year: the published version and the versions that could be published (owner)",
    security: bearerSecurity,
    responses: {
      200: {
        description: "Datasets by year, newest year first, and the rows stored",
        content: {
          "application/json": {
            schema: DatasetsSchema,
          },
        },
      },
      ...problemResponses(401, 403, 429),
    },
  }),
  async (c) => {
    const [data, storage] = await Promise.all([listYearDatasets(c.env.DB, c.env.UPLOADS), storedRows(c.env.DB)]);
    return c.json({ data, storage }, 200);
  },
);

datasetRoutes.openapi(
  createRoute({
    method: "post",
    path: "/datasets/{year}/active",
    summary: "Publish a stored version of the year (held ones included), atomically (owner)",
    security: bearerSecurity,
    request: {
      params: YearParam,
      body: {
        required: true,
        content: { "application/json": { schema: z.object({ ingestionId: z.string().min(1).max(64) }) } },
      },
    },
    responses: {
      200: jsonResponse(YearDatasetsSchema, "The year after publishing"),
      ...problemResponses(400, 401, 403, 404, 409, 429),
    },
  }),
  async (c) => {
    const { year } = c.req.valid("param");
    const { ingestionId } = c.req.valid("json");
    const version = await readIngestionRecord(c.env.DB, ingestionId);
    if (!version) {
      throw new ProblemError(
        404,
        "not-found",
        "Ingestion not found",
        `no ingestion ${ingestionId}; GET /api/v1/datasets lists the versions of each year`,
      );
    }
    if (version.data_year !== year) {
      throw new ProblemError(
        409,
        "wrong-year",
        "Version of another year",
        `ingestion ${ingestionId} holds ${version.data_year ?? "no"} data, not ${year}; publish it under /api/v1/datasets/${version.data_year}/active`,
      );
    }
    const head = await c.env.UPLOADS.head(version.object_key);
    const reason = cannotPublishReason(version, head !== null && bareEtag(head.etag) === version.etag);
    const published = reason === null && (await publishByHand(c.env.DB, ingestionId, year, c.get("user")?.id ?? null));
    if (!published) {
      throw new ProblemError(
        409,
        "cannot-publish",
        "This version cannot be published",
        reason ?? "it changed meanwhile; reload and try again",
      );
    }
    await refreshDatasetsPointer(c.env);
    await audit(c, "dataset.publish", year, { ingestionId });
    return c.json(await yearView(c.env, year), 200);
  },
);

datasetRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/datasets/{year}/active",
    summary: "Withdraw the year: no data is served for it until a version is published again (owner)",
    security: bearerSecurity,
    request: { params: YearParam },
    responses: {
      200: jsonResponse(YearDatasetsSchema, "The year after withdrawing"),
      ...problemResponses(400, 401, 403, 404, 429),
    },
  }),
  async (c) => {
    const { year } = c.req.valid("param");
    if (!(await withdrawYear(c.env.DB, year, c.get("user")?.id ?? null))) {
      throw new ProblemError(404, "no-data", "No data for this year", `year ${year} has no dataset to withdraw`);
    }
    await refreshDatasetsPointer(c.env);
    await audit(c, "dataset.withdraw", year);
    return c.json(await yearView(c.env, year), 200);
  },
);

async function yearView(env: Env, year: number) {
  const [view] = await listYearDatasets(env.DB, env.UPLOADS, year);
  if (!view) throw new Error(`year ${year} vanished while answering`);
  return view;
}
