import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, TooManyKeysError } from "../../auth/api-keys";
import { ProblemError } from "../problem";
import { bearerSecurity, idPathParams, jsonResponse, problemResponses } from "../schemas/common";
import { ApiKeySchema, CreatedApiKeySchema, NewApiKeySchema } from "../schemas/keys";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { audit } from "./audit";

const IdParams = idPathParams("The key's id (from GET /api/v1/keys)", "k7f3a9c2");
const json = jsonResponse;

/** GET, POST /keys and DELETE /keys/{id}: any signed-in user, for their own keys (admins: all). */
export const keyRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

keyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/keys",
    summary: "List your API keys (admins: everyone's), newest first; never the secrets",
    security: bearerSecurity,
    responses: { 200: json(z.object({ data: z.array(ApiKeySchema) }), "API keys"), ...problemResponses(401, 429) },
  }),
  async (c) => {
    const user = c.get("user");
    if (!user) throw new Error("authenticate() must run first");
    return c.json({ data: await listApiKeys(c.env.DB, user.role === "admin" ? null : user.id) }, 200);
  },
);

keyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys",
    summary: "Create an API key; the secret is in this response only",
    description:
      "Send the key as `Authorization: Bearer egk_...`. It acts with your role at the time of each request. " +
      "An API key cannot create further keys: sign in with your password for that.",
    security: bearerSecurity,
    request: { body: { required: true, content: { "application/json": { schema: NewApiKeySchema } } } },
    responses: { 201: json(CreatedApiKeySchema, "Created"), ...problemResponses(400, 401, 403, 409, 415, 429) },
  }),
  async (c) => {
    const user = c.get("user");
    if (!user) throw new Error("authenticate() must run first");
    // A leaked key that could mint keys would survive its own revocation.
    if (c.get("apiKeyId")) {
      throw new ProblemError(403, "forbidden", "Forbidden", "API keys cannot create keys; sign in with your password");
    }
    const { name, expiresAt } = c.req.valid("json");
    const expires = expiresAt === undefined ? null : Date.parse(expiresAt);
    if (expires !== null && expires <= Date.now()) {
      throw new ProblemError(
        400,
        "invalid-parameter",
        "Invalid request body",
        `expiresAt: ${expiresAt} is not in the future`,
      );
    }
    const key = await createApiKey(c.env.DB, {
      userId: user.id,
      userEmail: user.email,
      name,
      expiresAt: expires,
    }).catch((error) => {
      if (error instanceof TooManyKeysError) throw new ProblemError(409, "conflict", "Conflict", error.message);
      throw error;
    });
    await audit(c, "key.create", key.id, { name, expiresAt: key.expiresAt });
    return c.json(key, 201, { Location: `/api/v1/keys/${key.id}`, "Cache-Control": "no-store" });
  },
);

keyRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/keys/{id}",
    summary: "Revoke an API key (your own; admins: anyone's)",
    description: "The key is refused from the next request on, everywhere.",
    security: bearerSecurity,
    request: { params: IdParams },
    responses: { 204: { description: "Revoked (or already revoked)" }, ...problemResponses(400, 401, 404, 429) },
  }),
  async (c) => {
    const user = c.get("user");
    if (!user) throw new Error("authenticate() must run first");
    const { id } = c.req.valid("param");
    const key = await findApiKey(c.env.DB, id);
    // Someone else's key answers like a missing one: ids of other users' keys are not revealed.
    if (!key || (key.userId !== user.id && user.role !== "admin")) {
      throw new ProblemError(
        404,
        "not-found",
        "API key not found",
        `you have no API key ${id}; GET /api/v1/keys lists yours`,
      );
    }
    await revokeApiKey(c.env.DB, id);
    if (!key.revokedAt) await audit(c, "key.revoke", id, { name: key.name, owner: key.userId });
    return c.body(null, 204);
  },
);
