import { z } from "@hono/zod-openapi";

/** How a plant of one year was found in another: same ORISPL, or same state and name. */
export const MatchedBySchema = z.enum(["orispl", "name"]).openapi("MatchedBy", {
  description:
    "orispl when both years' files carry ORISPL and it is equal; name when either lacks it (same state, same name ignoring case, accents and punctuation)",
});

/** The same plant in the nearest earlier published year with data. */
export const PreviousYearSchema = z
  .object({
    year: z.number().int(),
    plantId: z.string().openapi({ description: "The plant's id in that year" }),
    netGenerationMwh: z.number().nullable(),
    rank: z.number().int().openapi({
      description: "Its rank that year by net generation in the row's scope (the state with ?state=, else the nation)",
    }),
    matchedBy: MatchedBySchema,
  })
  .openapi("PreviousYear");

/** Fields every top-N row gains: the previous year and the change against it. */
export const ChangeFieldsSchema = z.object({
  previous: PreviousYearSchema.nullable().openapi({
    description: "The plant in the nearest earlier published year with data; null when absent there or no such year",
  }),
  changeMwh: z
    .number()
    .nullable()
    .openapi({ description: "netGenerationMwh minus previous.netGenerationMwh; null when either is unknown" }),
  changePct: z.number().nullable().openapi({
    description: "changeMwh in percent of |previous.netGenerationMwh| (2 decimals); null when that is 0 or unknown",
  }),
});
