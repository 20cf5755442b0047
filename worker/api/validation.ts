import type { Hook } from "@hono/zod-openapi";
import { ProblemError } from "./problem";
import type { AppEnv } from "./types";

const WHERE: Record<string, string> = { query: "query", param: "path", json: "body", header: "header", form: "body" };

/**
 * The one validation hook of the API: any request that fails its zod schema becomes a 400
 * problem document naming each bad parameter and what it must be.
 */
// biome-ignore lint/suspicious/noExplicitAny: shared by routes of every input type
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  const where = WHERE[result.target] ?? result.target;
  const errors = result.error.issues.map((issue) => ({
    in: where,
    name: issue.path.join(".") || where,
    detail: issue.message,
  }));
  // Custom checks attach machine-readable help (e.g. validStates) as issue params.
  const extensions = Object.assign(
    {},
    ...result.error.issues.map((issue) => (issue.code === "custom" ? (issue.params ?? {}) : {})),
  );
  throw new ProblemError(
    400,
    where === "body" ? "invalid-body" : "invalid-parameter",
    where === "body" ? "Invalid request body" : "Invalid request parameter",
    errors.map((e) => `${e.name}: ${e.detail}`).join("; "),
    { ...extensions, errors },
  );
};
