import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AUDIT_ACTIONS, type AuditAction } from "../../../domain/audit-actions";
import { type AuditActor, listAudit, recordAudit } from "../../auth/audit";
import { AuditPageSchema } from "../schemas/audit";
import { bearerSecurity, problemResponses } from "../schemas/common";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";

/**
 * Records an action of this request in the audit trail: the signed-in user (or `actor`), the
 * client address and, for API-key requests, which key. Never throws (recordAudit).
 */
export function audit(
  c: Context<AppEnv>,
  action: AuditAction,
  target?: string | number | null,
  detail: Record<string, unknown> = {},
  actor?: AuditActor,
): Promise<void> {
  const user = actor ?? c.get("user");
  const apiKey = c.get("apiKeyId");
  return recordAudit(c.env.DB, {
    action,
    actor: user && { id: user.id, email: user.email },
    headers: c.req.raw.headers,
    target,
    detail: apiKey ? { ...detail, apiKey } : detail,
  });
}

const instant = (name: string, example: string) =>
  z.iso
    .datetime({ offset: true })
    .max(40)
    .optional()
    .openapi({ description: `ISO 8601 date-time; entries at or ${name} this time`, example });

const AuditQuery = z.object({
  action: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list =
        v
          ?.split(",")
          .map((a) => a.trim())
          .filter(Boolean) ?? [];
      const unknown = list.filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `unknown action ${unknown.join(", ")}; one of ${AUDIT_ACTIONS.join(", ")}`,
        });
        return z.NEVER;
      }
      return list as AuditAction[];
    })
    .openapi({
      description: `Comma-separated actions, any of: ${AUDIT_ACTIONS.join(", ")}`,
      type: "string",
      maxLength: 1000,
      example: "auth.login-failed,dataset.publish",
    }),
  actor: z
    .string()
    .max(254)
    .optional()
    .openapi({ description: "User id or email of who acted", example: "owner@example.org" }),
  since: instant("after", "2026-11-01T00:00:00Z"),
  until: instant("before", "2026-12-01T00:00:00Z"),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ description: "Entries per page, newest first", example: 50 }),
  cursor: z
    .string()
    .max(15)
    .regex(/^\d{1,15}$/, "use the nextCursor of the previous page")
    .optional()
    .openapi({ description: "nextCursor of the previous page" }),
});

/** GET /audit (admin). */
export const auditRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

auditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit",
    summary: "The audit trail, newest first (admin)",
    description: "Sign-ins, user, key, upload, import and publishing actions of the last 90 days.",
    security: bearerSecurity,
    request: { query: AuditQuery },
    responses: {
      200: {
        description: "A page of entries; follow nextCursor for older ones",
        content: {
          "application/json": {
            schema: AuditPageSchema,
          },
        },
      },
      ...problemResponses(400, 401, 403, 429),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const page = await listAudit(c.env.DB, {
      action: q.action,
      actor: q.actor,
      since: q.since === undefined ? undefined : Date.parse(q.since),
      until: q.until === undefined ? undefined : Date.parse(q.until),
      before: q.cursor === undefined ? undefined : Number(q.cursor),
      limit: q.limit,
    });
    return c.json(page, 200, { "Cache-Control": "no-store" });
  },
);
