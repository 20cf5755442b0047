import { z } from "@hono/zod-openapi";
import { INGESTION_STATUSES } from "../../../domain/ingestions";

/** An ingestion as listed (status, counts, progress, timings). */
export const IngestionSchema = z
  .object({
    id: z.string(),
    bucket: z.string(),
    objectKey: z.string(),
    status: z.enum(INGESTION_STATUSES),
    error: z.string().nullable().openapi({ description: "Why the whole file was refused (failed/skipped)" }),
    holdReason: z.string().nullable().openapi({
      description: "Why a complete file was held instead of published (status held), and how to publish it",
    }),
    active: z.boolean().openapi({ description: "True when this is the published dataset of its year" }),
    dataYear: z.number().int().nullable(),
    sizeBytes: z.number().int().nullable(),
    rows: z.object({ read: z.number().int(), loaded: z.number().int(), rejected: z.number().int() }),
    plantCount: z.number().int().nullable(),
    chunks: z.object({ total: z.number().int().nullable(), done: z.number().int() }),
    attempts: z.number().int(),
    replacedIngestionId: z.string().nullable(),
    supersededBy: z.string().nullable(),
    uploadedBy: z.string().nullable(),
    timings: z.object({
      uploadedAt: z.string().nullable().openapi({ description: "When the owner last uploaded these bytes" }),
      queuedAt: z.string(),
      startedAt: z.string().nullable(),
      completedAt: z.string().nullable(),
      durationMs: z.number().int().nullable(),
    }),
  })
  .openapi("Ingestion");

/** One ingestion with a sample of its rejected rows. */
export const IngestionDetailSchema = IngestionSchema.extend({
  rejectedSample: z.array(z.object({ line: z.number().int(), reason: z.string(), raw: z.string().nullable() })),
}).openapi("IngestionDetail");

/** An ingestion as the API shows it. */
export type IngestionView = z.infer<typeof IngestionSchema>;
/** GET /ingestions/{id}'s body. */
export type IngestionDetail = z.infer<typeof IngestionDetailSchema>;
