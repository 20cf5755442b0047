import { z } from "@hono/zod-openapi";
import { SourceSchema } from "./common";

export const StatesSchema = z
  .object({
    data: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        plantCount: z.number().int(),
        netGenerationMwh: z.number().nullable(),
      }),
    ),
    meta: z.object({ year: z.number().int(), datasetVersion: z.string(), source: SourceSchema }),
  })
  .openapi("States");

export const YearsSchema = z
  .object({
    data: z.array(
      z.object({
        year: z.number().int(),
        ingestionId: z.string().openapi({ description: "The active ingestion (dataset version) of this year" }),
        activatedAt: z.string(),
        source: SourceSchema,
      }),
    ),
  })
  .openapi("Years");
