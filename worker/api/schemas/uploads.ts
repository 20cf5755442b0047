import { z } from "@hono/zod-openapi";

export const UploadAcceptedSchema = z
  .object({
    ingestionId: z.string(),
    status: z.literal("queued"),
    objectKey: z.string(),
    sizeBytes: z.number().int(),
    location: z.string().openapi({ description: "Poll this for progress" }),
  })
  .openapi("UploadAccepted");
