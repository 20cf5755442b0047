import { z } from "@hono/zod-openapi";

export const DatasetVersionSchema = z
  .object({
    ingestionId: z.string(),
    objectKey: z.string(),
    status: z.enum(["done", "held"]),
    active: z.boolean().openapi({ description: "True when this version is the published data of its year" }),
    holdReason: z.string().nullable().openapi({ description: "Why a held version was not published" }),
    plantCount: z.number().int().nullable(),
    generatorCount: z.number().int(),
    uploadedAt: z.string().nullable().openapi({ description: "When the owner last uploaded these bytes (ISO 8601)" }),
    completedAt: z.string().nullable(),
    uploadedBy: z.string().nullable(),
    rowsStored: z.number().int().openapi({ description: "Generator and plant rows stored (0 once reclaimed)" }),
    canActivate: z.boolean(),
    cannotActivateReason: z.string().nullable(),
  })
  .openapi("DatasetVersion");

export const YearDatasetsSchema = z
  .object({
    year: z.number().int(),
    state: z.enum(["published", "withdrawn", "unpublished"]),
    activeIngestionId: z.string().nullable(),
    activatedAt: z.string().nullable(),
    activatedBy: z.string().nullable().openapi({ description: "Who last published or withdrew by hand" }),
    withdrawnAt: z.string().nullable(),
    withdrawnIngestionId: z
      .string()
      .nullable()
      .openapi({ description: "For a withdrawn year: the version published when it was withdrawn" }),
    versions: z.array(DatasetVersionSchema).openapi({ description: "Complete versions, newest upload first" }),
  })
  .openapi("YearDatasets");

/** GET /datasets: every year, newest first, and the rows stored. */
export const DatasetsSchema = z.object({
  data: z.array(YearDatasetsSchema),
  storage: z.object({
    generators: z.number().int(),
    plants: z.number().int(),
    plantParts: z.number().int(),
  }),
});
