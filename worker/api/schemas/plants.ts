import { z } from "@hono/zod-openapi";
import { STATE_CODES, stateCodeOf } from "../../../domain/states";
import { SourceSchema, YearQuery } from "./common";
import { FuelCategorySchema, FuelQuery } from "./fuels";
import { ChangeFieldsSchema } from "./previous-year";

/** Query of GET /plants/top. */
export const TopQuerySchema = z.object({
  n: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .openapi({ description: "How many plants to return (1-1000, default 10)", example: 10 })
    .default(10),
  state: z
    .string()
    .max(64)
    .superRefine((raw, ctx) => {
      if (raw && stateCodeOf(raw) === null) {
        ctx.addIssue({
          code: "custom",
          message: `unknown state code "${raw}"; use a two-letter code such as TX (any case), one of: ${STATE_CODES.join(", ")}`,
          params: { validStates: STATE_CODES },
        });
      }
    })
    .openapi({
      description: "Two-letter state code (50 states and DC), any case; absent = the whole country",
      example: "TX",
      enum: [...STATE_CODES],
    })
    .optional(),
  year: YearQuery,
  fuel: FuelQuery,
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .openapi({ description: "Plants to skip before the first one returned (0-100000, default 0)", example: 0 })
    .default(0),
  format: z
    .enum(["json", "csv"])
    .openapi({ description: "json (default) or csv: the same rows as CSV (or send Accept: text/csv)", example: "csv" })
    .optional(),
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
    primaryFuel: z.string().nullable().openapi({ description: "FUELG1 of the plant's largest generator with a fuel" }),
    primaryFuelCategory: FuelCategorySchema.nullable().openapi({
      description: "EPA category of primaryFuel (OTHF for a code outside EPA's table); null when primaryFuel is",
    }),
    capacityMw: z.number().nullable(),
    fuelNetGenerationMwh: z.number().optional().openapi({
      description: "With ?fuel= only: known net generation of the plant's generators in that category (the ranking)",
    }),
  })
  .extend(ChangeFieldsSchema.shape)
  .openapi("TopPlant");

/** Body of GET /plants/top (JSON form). */
export const TopPlantsSchema = z
  .object({
    data: z.array(TopPlantSchema),
    meta: z.object({
      n: z.number().int(),
      offset: z.number().int(),
      state: z.string().nullable(),
      fuel: FuelCategorySchema.nullable().openapi({ description: "The ?fuel= category, upper case; null without it" }),
      year: z.number().int(),
      total: z.number().int().openapi({ description: "Plants matching (country or state, and fuel)" }),
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
    .openapi({
      param: { name: "plantId", in: "path" },
      example: "AZ:Palo Verde",
      description:
        "Plant id from GET /plants/top (plantId): the ORISPL code as text, or STATE:Plant name when the file has none; URL-encode it (1-300 characters)",
    }),
});

/** Largest page of generators: keeps a response near 200 KB (about 200 bytes of JSON each). */
export const MAX_GENERATOR_PAGE = 1000;

/** Query of GET /plants/{plantId}. */
export const PlantQuerySchema = z.object({
  year: YearQuery,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_GENERATOR_PAGE)
    .openapi({ description: `Generators per page (1-${MAX_GENERATOR_PAGE}, default 100)`, example: 100 })
    .default(100),
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .openapi({
      description:
        "Opaque (at most 1024 characters): meta.nextCursor of the previous page, unchanged. Absent = first page. Refused (400) after the year is re-imported or on another plant",
      // No example: Swagger UI's Try it out would send it, and a made-up cursor is refused.
    })
    .optional(),
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
    data: TopPlantSchema.omit({
      rank: true,
      shareOfStatePct: true,
      previous: true,
      changeMwh: true,
      changePct: true,
    }).extend({
      generators: z.array(GeneratorSchema).openapi({ description: "This page of the plant's generators, file order" }),
    }),
    meta: z.object({
      year: z.number().int(),
      datasetVersion: z.string().openapi({ description: "Id of the active ingestion these numbers come from" }),
      source: SourceSchema,
      limit: z.number().int().openapi({ description: "Generators per page, as requested" }),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: "Pass as ?cursor= for the next page of generators; null on the last page" }),
    }),
  })
  .openapi("PlantDetail", {
    description:
      "Plant totals (every page) and one page of its generators in file order; generatorCount counts them all",
  });
