import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { devRoutes } from "../dev/routes";
import { DOCS_ASSETS, DOCS_HTML } from "./docs-page";
import { authenticate, requireRole } from "./middleware/auth";
import { webCors } from "./middleware/cors";
import { requestLog } from "./middleware/request-log";
import { serverTiming } from "./middleware/server-timing";
import { ProblemError, problemResponse } from "./problem";
import { abortedProblem, RequestAbortedError } from "./request-aborted";
import { auditRoutes } from "./routes/audit";
import { authRoutes } from "./routes/auth";
import { datasetRoutes } from "./routes/datasets";
import { healthRoutes } from "./routes/health";
import { importRoutes } from "./routes/imports";
import { ingestionRoutes } from "./routes/ingestions";
import { keyRoutes } from "./routes/keys";
import { plantRoutes } from "./routes/plants";
import { stateDetailRoutes } from "./routes/state-detail";
import { stateRoutes } from "./routes/states";
import { uploadRoutes } from "./routes/uploads";
import { userRoutes } from "./routes/users";
import { yearRoutes } from "./routes/years";
import type { AppEnv } from "./types";
import { validationHook } from "./validation";

/** JSON bodies (login, users) are tiny; refuse big ones before parsing them. */
const JSON_BODY_LIMIT = 16 * 1024;

/**
 * The HTTP API: `/api/v1/*` (JWT-protected except `auth/token`), `/health`, `/openapi.json`,
 * `/docs`, and the local-only `/__dev` routes. Mounted by worker/index.ts.
 */
export const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

app.use("*", requestLog(), serverTiming(), webCors());

const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

// One registration per guard and path. A pattern "/users/*" also matches "/users" itself.
/** Paths that take JSON bodies (login, users, keys, publishing). */
const JSON_BODY_PATHS = ["/auth/*", "/datasets/*", "/users/*", "/keys/*"];
/** Paths for data owners (and admins): ingestions, uploads, imports, publishing. */
const OWNER_PATHS = ["/ingestions/*", "/datasets/*", "/uploads/*", "/imports/*"];
/** Paths for admins only: users and the audit trail. */
const ADMIN_PATHS = ["/users/*", "/audit/*"];

const tooLarge = () => {
  throw new ProblemError(413, "too-large", "Body too large", `JSON bodies are limited to ${JSON_BODY_LIMIT} bytes`);
};
const jsonBodyLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: tooLarge });
for (const path of JSON_BODY_PATHS) api.use(path, jsonBodyLimit);
api.route("/", authRoutes);
// Everything registered below requires a valid token; roles narrow further.
api.use("*", authenticate());
const ownerOnly = requireRole("owner");
for (const path of OWNER_PATHS) api.use(path, ownerOnly);
const adminOnly = requireRole("admin");
for (const path of ADMIN_PATHS) api.use(path, adminOnly);
// Before plantRoutes: /plants/movers must not be read as /plants/{plantId}.
api.route("/", yearRoutes);
api.route("/", plantRoutes);
api.route("/", stateRoutes);
api.route("/", stateDetailRoutes);
api.route("/", ingestionRoutes);
api.route("/", datasetRoutes);
api.route("/", uploadRoutes);
api.route("/", importRoutes);
api.route("/", userRoutes);
api.route("/", keyRoutes);
api.route("/", auditRoutes);

app.route("/api/v1", api);
app.route("/", healthRoutes);
app.route("/__dev", devRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
  type: "http",
  scheme: "bearer",
  description:
    "An access token (JWT) from POST /api/v1/auth/token, or an API key (`egk_...`) from POST /api/v1/keys; " +
    "either acts with the user's current role.",
});
app.doc31("/openapi.json", (c) => ({
  openapi: "3.1.0",
  info: {
    title: "egrid-edge API",
    version: "1.0.0",
    description: "EPA eGRID power-plant generation data. Errors are RFC 9457 problem documents.",
  },
  // From configuration, never the request's Host header: a forged Host must not steer "Try it out".
  servers: [{ url: c.env.PUBLIC_API_URL || "/" }],
}));
app.get("/docs", (c) => c.html(DOCS_HTML));
app.get("/docs/assets/:name", (c) => {
  const name = c.req.param("name");
  const asset = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined;
  if (!asset) throw new ProblemError(404, "not-found", "Not found", `no docs asset ${name}; see /docs`);
  return c.body(asset.body, 200, { "Content-Type": asset.type, "Cache-Control": "public, max-age=3600" });
});

app.notFound((c) =>
  problemResponse(
    new ProblemError(404, "not-found", "Not found", `no route for ${c.req.method} ${c.req.path}; see /docs`),
    c.req.path,
  ),
);

app.onError((error, c) => {
  if (error instanceof ProblemError) return problemResponse(error, c.req.path);
  if (error instanceof RequestAbortedError) {
    // The client went away: expected, not a bug, so no incident and no stack.
    console.warn(
      JSON.stringify({
        event: "request-aborted",
        method: c.req.method,
        path: c.req.path,
        user: c.get("user")?.id ?? null,
        reason: error.message,
      }),
    );
    return problemResponse(abortedProblem(), c.req.path);
  }
  if (error instanceof HTTPException) {
    // Hono's own rejections, e.g. malformed JSON from the body validator.
    const status = error.status as ContentfulStatusCode;
    return problemResponse(
      new ProblemError(status, "bad-request", error.status === 400 ? "Bad request" : "Request refused", error.message),
      c.req.path,
    );
  }
  // Unexpected: log the details for operators, show the client nothing internal.
  const incident = crypto.randomUUID();
  console.error(
    JSON.stringify({
      event: "unhandled-error",
      incident,
      path: c.req.path,
      message: String(error),
      stack: (error as Error)?.stack,
    }),
  );
  return problemResponse(
    new ProblemError(500, "internal", "Internal error", `something went wrong on our side; incident ${incident}`),
    c.req.path,
  );
});
