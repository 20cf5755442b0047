import { z } from "@hono/zod-openapi";

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    action: z.string().openapi({ example: "auth.login-failed" }),
    actor: z.object({ id: z.string().nullable(), email: z.string().nullable() }),
    ip: z.string().nullable().openapi({ description: "CF-Connecting-IP; null when unknown (local use)" }),
    target: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi("AuditEntry");

/** GET /audit: a page of entries, newest first; `nextCursor` fetches the next (older) page. */
export const AuditPageSchema = z.object({ data: z.array(AuditEntrySchema), nextCursor: z.string().nullable() });
