import { z } from "@hono/zod-openapi";
import { STATE_CODES } from "../../../domain/states";
import { SourceSchema, YearQuery } from "./common";
import { FuelCategorySchema, FuelMixEntrySchema } from "./fuels";

/** Path of GET /states/{code} and /states/{code}/history. */
export const StateParamsSchema = z.object({
  code: z
    .string()
    .min(2)
    .max(2)
    .openapi({
      param: { name: "code", in: "path" },
      example: "TX",
      description: "Two-letter state code (50 states and DC) in any case, or US for the nation",
      enum: [...STATE_CODES, "US"],
    }),
});

/** Query of GET /states/{code}. */
export const StateQuerySchema = z.object({ year: YearQuery });

/** The scope's largest plant by net generation. */
export const StateTopPlantSchema = z.object({
  plantId: z.string(),
  name: z.string(),
  state: z.string(),
  netGenerationMwh: z.number().nullable(),
  primaryFuel: z.string().nullable(),
  primaryFuelCategory: FuelCategorySchema.nullable(),
});

/** One state (or the nation) in one year. */
export const StateSummarySchema = z
  .object({
    code: z.string().openapi({ description: "State code, or US for the nation", example: "TX" }),
    name: z.string().openapi({ example: "Texas" }),
    year: z.number().int(),
    datasetVersion: z.string().openapi({ description: "Id of the year's active ingestion" }),
    plantCount: z.number().int(),
    generatorCount: z.number().int(),
    netGenerationMwh: z.number().nullable().openapi({ description: "Sum of the plants' known net generation" }),
    capacityMw: z.number().nullable().openapi({ description: "Sum of the plants' known nameplate capacity" }),
    fuels: z.array(FuelMixEntrySchema).nullable().openapi({
      description:
        "Net generation and capacity by EPA fuel category, largest generation first, only categories present; they add up to the totals. null when the year's file has no FUELG1 column",
    }),
    topPlant: StateTopPlantSchema.nullable(),
  })
  .openapi("StateSummary");

/** Body of GET /states/{code}. */
export const StateDetailSchema = z
  .object({
    data: StateSummarySchema,
    meta: z.object({ year: z.number().int(), datasetVersion: z.string(), source: SourceSchema }),
  })
  .openapi("StateDetail");

/** Body of GET /states/{code}/history. */
export const StateHistorySchema = z
  .object({
    data: z
      .array(StateSummarySchema)
      .openapi({ description: "One entry per published year with plants in the scope, oldest first" }),
    meta: z.object({
      code: z.string(),
      name: z.string(),
      years: z.array(z.number().int()).openapi({ description: "Every published year, oldest first" }),
    }),
  })
  .openapi("StateHistory");
