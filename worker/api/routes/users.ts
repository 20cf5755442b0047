import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ROLES } from "../../../domain/roles";
import {
  createUser,
  DuplicateEmailError,
  deleteUser,
  LastAdminError,
  listUsers,
  updateUserRole,
  WeakPasswordError,
} from "../../auth/users";
import { ProblemError } from "../problem";
import { bearerSecurity, idPathParams, jsonResponse, problemResponses } from "../schemas/common";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { audit } from "./audit";

const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("User");

const NewUserSchema = z
  .object({
    email: z.email().max(254),
    password: z.string().min(12, "use at least 12 characters").max(1024),
    role: z.enum(ROLES),
  })
  .openapi("NewUser");

const IdParams = idPathParams("User id (1-64 characters), from GET /users", "3f0c1a9e-5b7d-4c2e-9a61-0d8e2b4f7c15");
const json = jsonResponse;

function conflict(error: unknown): never {
  if (error instanceof WeakPasswordError) {
    throw new ProblemError(400, "invalid-parameter", "Weak password", error.message);
  }
  if (error instanceof DuplicateEmailError || error instanceof LastAdminError) {
    throw new ProblemError(409, "conflict", "Conflict", error.message);
  }
  throw error;
}

function notFound(id: string): never {
  throw new ProblemError(
    404,
    "not-found",
    "User not found",
    `no user with id ${id}; list users with GET /api/v1/users`,
  );
}

/** Admin endpoints: list, add, change role, remove users. Mounted behind requireRole("admin"). */
export const userRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

userRoutes.openapi(
  createRoute({
    method: "get",
    path: "/users",
    summary: "List users (admin)",
    security: bearerSecurity,
    responses: { 200: json(z.object({ data: z.array(UserSchema) }), "Users"), ...problemResponses(401, 403, 429) },
  }),
  async (c) => c.json({ data: await listUsers(c.env.DB) }, 200),
);

userRoutes.openapi(
  createRoute({
    method: "post",
    path: "/users",
    summary: "Add a user (admin)",
    security: bearerSecurity,
    request: { body: { required: true, content: { "application/json": { schema: NewUserSchema } } } },
    responses: { 201: json(UserSchema, "Created"), ...problemResponses(400, 401, 403, 409, 415, 429) },
  }),
  async (c) => {
    const user = await createUser(c.env.DB, c.req.valid("json")).catch(conflict);
    await audit(c, "user.create", user.id, { email: user.email, role: user.role });
    return c.json(user, 201, { Location: `/api/v1/users/${user.id}` });
  },
);

userRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/users/{id}",
    summary: "Change a user's role (admin)",
    description: "Takes effect at once in this isolate and within 30 s everywhere, even for tokens already issued.",
    security: bearerSecurity,
    request: {
      params: IdParams,
      body: { required: true, content: { "application/json": { schema: z.object({ role: z.enum(ROLES) }) } } },
    },
    responses: { 200: json(UserSchema, "Updated"), ...problemResponses(400, 401, 403, 404, 409, 429) },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const user = await updateUserRole(c.env.DB, id, c.req.valid("json").role).catch(conflict);
    if (user) await audit(c, "user.role", id, { email: user.email, role: user.role });
    return user ? c.json(user, 200) : notFound(id);
  },
);

userRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/users/{id}",
    summary: "Remove a user (admin)",
    description: "Their tokens stop working at once in this isolate and within 30 s everywhere.",
    security: bearerSecurity,
    request: { params: IdParams },
    responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 403, 404, 409, 429) },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const removed = await deleteUser(c.env.DB, id).catch(conflict);
    if (removed) await audit(c, "user.delete", id);
    return removed ? c.body(null, 204) : notFound(id);
  },
);
