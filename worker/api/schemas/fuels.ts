import { z } from "@hono/zod-openapi";
import { FUEL_CATEGORIES, parseFuelCategory } from "../../../domain/fuels";

/** An EPA fuel category, as answered. */
export const FuelCategorySchema = z.enum(FUEL_CATEGORIES).openapi("FuelCategory", {
  description:
    "EPA eGRID fuel category of FUELG1 codes (COAL, OIL, GAS, OFSL other fossil, NUCLEAR, HYDRO, SOLAR, WIND, GEOTHERMAL, BIOMASS, OTHF other); a code outside EPA's table counts as OTHF",
});

/** `?fuel=`: a category in any case; absent = every fuel. */
export const FuelQuery = z
  .string()
  .max(32)
  .superRefine((raw, ctx) => {
    if (raw && !parseFuelCategory(raw)) {
      ctx.addIssue({
        code: "custom",
        message: `unknown fuel category "${raw}"; use one of ${FUEL_CATEGORIES.join(", ")} (any case), e.g. fuel=SOLAR`,
        params: { validFuels: FUEL_CATEGORIES },
      });
    }
  })
  .openapi({
    description:
      "EPA fuel category (any case): only plants with known net generation from generators of that category, ranked by it (fuelNetGenerationMwh). 422 when the year's file has no FUELG1 column",
    example: "SOLAR",
    enum: [...FUEL_CATEGORIES],
  })
  .optional();

/** Net generation and capacity of one fuel category within a state or the nation. */
export const FuelMixEntrySchema = z
  .object({
    category: FuelCategorySchema,
    netGenerationMwh: z
      .number()
      .nullable()
      .openapi({ description: "Sum of the known GENNTAN of the category's generators; null if all unknown" }),
    capacityMw: z
      .number()
      .nullable()
      .openapi({ description: "Sum of the known NAMEPCAP of the category's generators" }),
    generatorCount: z.number().int(),
    plantCount: z.number().int().openapi({ description: "Plants with at least one generator of the category" }),
    sharePct: z
      .number()
      .nullable()
      .openapi({ description: "Share of the scope's net generation, in percent (null when it is not positive)" }),
  })
  .openapi("FuelMixEntry");
