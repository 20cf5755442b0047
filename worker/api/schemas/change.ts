import { z } from "@hono/zod-openapi";
import { SourceSchema, YearQuery } from "./common";
import { FuelCategorySchema, FuelQuery } from "./fuels";
import { TopQuerySchema } from "./plants";
import { MatchedBySchema, PreviousYearSchema } from "./previous-year";

/** Query of GET /plants/movers. */
export const MoversQuerySchema = z.object({
  year: YearQuery,
  state: TopQuerySchema.shape.state,
  fuel: FuelQuery.openapi({
    description: "EPA fuel category (any case): only plants whose primary fuel (this year) is in it",
    example: "WIND",
  }),
  n: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .openapi({ description: "How many plants (1-100, default 10)", example: 10 })
    .default(10),
  direction: z
    .enum(["up", "down"])
    .openapi({ description: "up (default): largest increases first; down: largest decreases first", example: "up" })
    .default("up"),
});

/** One mover: a plant with known net generation in both years. */
export const MoverSchema = z
  .object({
    plantId: z.string(),
    orispl: z.number().int().nullable(),
    name: z.string(),
    state: z.string(),
    primaryFuel: z.string().nullable(),
    primaryFuelCategory: FuelCategorySchema.nullable(),
    netGenerationMwh: z.number(),
    rank: z
      .number()
      .int()
      .openapi({ description: "This year's rank by net generation in the scope (state or nation)" }),
    previous: PreviousYearSchema.extend({ netGenerationMwh: z.number() }),
    changeMwh: z.number(),
    changePct: z.number().nullable(),
    matchedBy: MatchedBySchema,
  })
  .openapi("Mover");

/** Body of GET /plants/movers. */
export const MoversSchema = z
  .object({
    data: z.array(MoverSchema),
    meta: z.object({
      year: z.number().int(),
      previousYear: z.number().int().nullable().openapi({ description: "null when no earlier year has data" }),
      state: z.string().nullable(),
      fuel: FuelCategorySchema.nullable(),
      n: z.number().int(),
      direction: z.enum(["up", "down"]),
      total: z.number().int().openapi({ description: "Plants in the scope with known generation in both years" }),
      datasetVersion: z.string(),
      previousDatasetVersion: z.string().nullable(),
      source: SourceSchema,
    }),
  })
  .openapi("Movers");

/** Query of GET /plants/{plantId}/history. */
export const HistoryQuerySchema = z.object({
  year: YearQuery.openapi({
    description: "The year whose plant id this is; absent = the latest published year that has it",
    example: 2022,
  }),
});

/** Net generation of a plant in one fuel category. */
export const HistoryFuelSchema = z.object({
  category: FuelCategorySchema,
  netGenerationMwh: z.number().nullable(),
});

/** One year of a plant's history. */
export const HistoryEntrySchema = z
  .object({
    year: z.number().int(),
    plantId: z.string().openapi({ description: "The plant's id in that year (ORISPL, or STATE:name)" }),
    orispl: z.number().int().nullable(),
    name: z.string(),
    state: z.string(),
    netGenerationMwh: z.number().nullable(),
    nationalRank: z.number().int(),
    stateRank: z.number().int(),
    generatorCount: z.number().int(),
    capacityMw: z.number().nullable(),
    primaryFuelCategory: FuelCategorySchema.nullable(),
    fuels: z.array(HistoryFuelSchema).nullable().openapi({
      description: "Net generation by EPA fuel category, largest first; null when the year's file has no FUELG1",
    }),
    matchedBy: MatchedBySchema.openapi({
      description: "How this year was linked to the requested plant (the requested year: how its id reads)",
    }),
    datasetVersion: z.string(),
  })
  .openapi("PlantHistoryEntry");

/** Body of GET /plants/{plantId}/history. */
export const PlantHistorySchema = z
  .object({
    data: z
      .array(HistoryEntrySchema)
      .openapi({ description: "One entry per published year with the plant, oldest first" }),
    meta: z.object({
      plantId: z.string(),
      year: z.number().int().openapi({ description: "The year the plant id was found in" }),
      name: z.string(),
      state: z.string(),
      years: z.array(z.number().int()).openapi({ description: "Every published year, oldest first" }),
    }),
  })
  .openapi("PlantHistory");

/** Query of GET /plants?search=. */
export const SearchQuerySchema = z.object({
  search: z.string().trim().min(1).max(100).openapi({
    description:
      "Words the plant name must start words with (any case, accents ignored), e.g. palo or 'palo ver' (1-100 characters)",
    example: "palo",
  }),
  year: YearQuery,
  state: TopQuerySchema.shape.state,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .openapi({ description: "How many plants (1-50, default 10)", example: 10 })
    .default(10),
});

/** One search hit. */
export const SearchHitSchema = z
  .object({
    plantId: z.string(),
    orispl: z.number().int().nullable(),
    name: z.string(),
    state: z.string(),
    netGenerationMwh: z.number().nullable(),
    rank: z.number().int().openapi({ description: "National rank by net generation that year" }),
    primaryFuelCategory: FuelCategorySchema.nullable(),
  })
  .openapi("PlantSearchHit");

/** Body of GET /plants?search=. */
export const PlantSearchSchema = z
  .object({
    data: z.array(SearchHitSchema).openapi({ description: "Matching plants by net generation, largest first" }),
    meta: z.object({
      search: z.string(),
      year: z.number().int(),
      state: z.string().nullable(),
      limit: z.number().int(),
      total: z.number().int().openapi({ description: "Matching plants in all" }),
      datasetVersion: z.string(),
    }),
  })
  .openapi("PlantSearch");
