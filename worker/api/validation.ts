import { type Hook, z } from "@hono/zod-openapi";
import { ProblemError } from "./problem";
import type { AppEnv } from "./types";
import { ruleMessage } from "./validation-rules";

const WHERE: Record<string, string> = { query: "query", param: "path", json: "body", header: "header", form: "body" };

// Zod calls its error map while it still holds the failing schema (its checks and .openapi()
// metadata) and the full path; the validation hook below only sees the finished issue. So the
// rule and the example are written here, once, for every route. Explicit messages (a check's
// own message, custom refinements) bypass this map and keep their wording.
z.config({ customError: ruleMessage });

function rawValue(data: unknown, path: PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The value received, quoted as JSON, long text cut (the message must stay readable). */
function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 56)}...` : value);
  const text = String(JSON.stringify(value) ?? value);
  return text.length > 60 ? `${text.slice(0, 56)}...` : text;
}

/**
 * The one validation hook of the API: any request that fails its zod schema becomes a 400
 * problem document naming each bad parameter, the rule it breaks, what was sent and an example.
 */
// biome-ignore lint/suspicious/noExplicitAny: shared by routes of every input type
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (result.success) return;
  const where = WHERE[result.target] ?? result.target;
  // One message per parameter: its first broken rule (a too-long state is not also "unknown").
  const seen = new Set<string>();
  const issues = result.error.issues.filter((issue) => {
    const key = issue.path.map(String).join(".");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const errors = issues.map((issue) => {
    const name = issue.path.map(String).join(".") || where;
    // @hono/zod-validator passes the raw input as `data` (its Hook type leaves it out).
    const raw = rawValue((result as { data?: unknown }).data, issue.path);
    // Messages from ruleMessage start with "must"/"is required"; others are a check's own words.
    const ours = /^(must |is required)/.test(issue.message);
    const got = raw === undefined ? "" : ` (got ${shown(raw)})`;
    const detail = ours
      ? `${name} ${issue.message.replace(/(, e\.g\. .*)?$/, `${got}$1`)}`
      : `${name}: ${issue.message}`;
    return { in: where, name, detail };
  });
  // Custom checks attach machine-readable help (e.g. validStates) as issue params.
  const extensions = Object.assign({}, ...issues.map((issue) => (issue.code === "custom" ? (issue.params ?? {}) : {})));
  throw new ProblemError(
    400,
    where === "body" ? "invalid-body" : "invalid-parameter",
    where === "body" ? "Invalid request body" : "Invalid request parameter",
    errors.map((e) => e.detail).join("; "),
    { ...extensions, errors },
  );
};
