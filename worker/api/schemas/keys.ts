import { z } from "@hono/zod-openapi";

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "k3x9qf2a" }),
    prefix: z
      .string()
      .openapi({ description: "How the key starts; find it in logs or code", example: "egk_k3x9qf2a_" }),
    name: z.string(),
    userId: z.string(),
    userEmail: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().openapi({ description: "Updated at most once a minute" }),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

export const NewApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "nightly export" }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: "ISO 8601; must be in the future. Omit for a key that does not expire." }),
  })
  .openapi("NewApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  secret: z.string().openapi({ description: "The key itself. Shown only in this response: store it now." }),
}).openapi("CreatedApiKey");
