import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { importFromS3, S3ImportNotConfiguredError, S3SourceError } from "../../imports/s3-import";
import { ProblemError } from "../problem";
import { bearerSecurity, jsonResponse, problemResponses } from "../schemas/common";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { audit } from "./audit";

const ImportSummarySchema = z
  .object({
    source: z.string().nullable().openapi({ description: "endpoint/bucket of the S3 source" }),
    listed: z.number().int(),
    imported: z.array(z.object({ key: z.string(), r2Key: z.string(), ingestionId: z.string() })),
    skipped: z.number().int().openapi({ description: "Not .csv, or already imported with the same ETag" }),
    errors: z.array(z.object({ key: z.string(), error: z.string() })),
    more: z.boolean().optional().openapi({ description: "True when the run stopped early; run again to continue" }),
  })
  .openapi("ImportSummary");

/** POST /imports: run the S3 import now. Mounted behind requireRole("owner"). */
export const importRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

importRoutes.openapi(
  createRoute({
    method: "post",
    path: "/imports",
    summary: "Copy new CSVs from the configured S3 bucket into R2 and queue them (owner)",
    description: "The same import the schedule runs. Poll each returned ingestionId for progress.",
    security: bearerSecurity,
    responses: {
      200: jsonResponse(ImportSummarySchema, "What the run did"),
      ...problemResponses(401, 403, 409, 429, 502),
    },
  }),
  async (c) => {
    try {
      const summary = await importFromS3(c.env, { trigger: "api" });
      await audit(c, "import.run", summary.source, {
        imported: summary.imported.length,
        errors: summary.errors.length,
      });
      return c.json(summary, 200);
    } catch (error) {
      if (error instanceof S3ImportNotConfiguredError) {
        throw new ProblemError(409, "import-not-configured", "S3 import not configured", error.message, {
          missing: error.missing,
        });
      }
      if (error instanceof S3SourceError) {
        throw new ProblemError(502, "import-source-failed", "S3 source failed", error.message);
      }
      throw error;
    }
  },
);
