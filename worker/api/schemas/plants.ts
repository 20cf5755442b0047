import { z } from "@hono/zod-openapi";
import { isStateCode, STATE_CODES } from "../states";
import { SourceSchema, YearQuery } from "./common";

/** Query of GET /plants/top. */
export const TopQuerySchema = z.object({
  n: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .openapi({ description: "How many plants (1-1000)", example: 10 }),
  state: z
    .string()
    .max(64)
    .optional()
    .superRefine((raw, ctx) => {
      if (raw && !isStateCode(raw)) {
        ctx.addIssue({
          code: "custom",
          message: `unknown state code "${raw}"; use a two-letter code such as TX (any case), one of: ${STATE_CODES.join(", ")}`,
          params: { validStates: STATE_CODES },
        });
      }
    })
    .openapi({ description: "Two-letter state code, any case; absent = whole country", example: "TX" }),
  year: YearQuery,
  offset: z.coerce.number().int().min(0).max(100_000).default(0).openapi({ description: "Plants to skip (paging)" }),
  format: z
    .enum(["json", "csv"])
    .optional()
    .openapi({ description: "csv = same rows as CSV (or send Accept: text/csv)" }),
});

/** One ranked plant. */
export const TopPlantSchema = z
  .object({
    rank: z.number().int(),
    plantId: z.string().openapi({ description: "ORISPL as text when the file has it, else STATE:Plant name" }),
    orispl: z.number().int().nullable(),
    name: z.string(),
    state: z.string(),
    netGenerationMwh: z
      .number()
      .nullable()
      .openapi({ description: "Sum of known generator GENNTAN; null if all unknown" }),
    generatorCount: z.number().int(),
    unknownGeneratorCount: z.number().int(),
    shareOfStatePct: z.number().nullable(),
    primaryFuel: z.string().nullable(),
    capacityMw: z.number().nullable(),
  })
  .openapi("TopPlant");

/** Body of GET /plants/top (JSON form). */
export const TopPlantsSchema = z
  .object({
    data: z.array(TopPlantSchema),
    meta: z.object({
      n: z.number().int(),
      offset: z.number().int(),
      state: z.string().nullable(),
      year: z.number().int(),
      total: z.number().int().openapi({ description: "Plants matching (country or state)" }),
      datasetVersion: z.string().openapi({ description: "Id of the active ingestion these numbers come from" }),
      source: SourceSchema,
    }),
  })
  .openapi("TopPlants");

/** Path of GET /plants/{plantId}. */
export const PlantParamsSchema = z.object({
  plantId: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: "plantId", in: "path" }, example: "AZ:Palo Verde", description: "URL-encoded plant id" }),
});

/** One generator of a plant, as in the file. */
export const GeneratorSchema = z
  .object({
    line: z.number().int().openapi({ description: "Line of the generator in the source file" }),
    generatorId: z.string(),
    netGenerationMwh: z.number().nullable(),
    status: z.string().nullable(),
    primeMover: z.string().nullable(),
    fuel: z.string().nullable(),
    capacityMw: z.number().nullable(),
    capacityFactor: z.number().nullable(),
    yearOnline: z.number().int().nullable(),
    yearRetired: z.number().int().nullable(),
  })
  .openapi("Generator");

/** Body of GET /plants/{plantId}. */
export const PlantDetailSchema = z
  .object({
    data: TopPlantSchema.omit({ rank: true, shareOfStatePct: true }).extend({ generators: z.array(GeneratorSchema) }),
    meta: z.object({ year: z.number().int(), datasetVersion: z.string(), source: SourceSchema }),
  })
  .openapi("PlantDetail");
