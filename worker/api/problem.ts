import type { ContentfulStatusCode } from "hono/utils/http-status";

/** RFC 9457 media type: every API error uses it. */
export const PROBLEM_TYPE = "application/problem+json";

/** Extension members beyond type/title/status/detail, e.g. `validStates` or `errors`. */
export type ProblemExtensions = Record<string, unknown>;

/**
 * An error that renders as an RFC 9457 problem document. Throw it anywhere in a handler or
 * middleware; `app.onError` turns it into the response.
 *
 * @example throw new ProblemError(404, "not-found", "Plant not found", `no plant "${id}" in 2023`);
 */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    /** Short slug naming the problem type, e.g. "invalid-parameter". */
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: ProblemExtensions = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** Builds the problem+json response for an error (also used outside Hono's error handler). */
export function problemResponse(error: ProblemError, instance?: string): Response {
  const body = {
    type: `urn:egrid-edge:problem:${error.slug}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    ...(instance ? { instance } : {}),
    ...error.extensions,
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { "Content-Type": PROBLEM_TYPE, ...error.headers },
  });
}
