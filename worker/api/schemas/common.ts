import { z } from "@hono/zod-openapi";
import { PROBLEM_TYPE } from "../problem";

/** RFC 9457 problem document, the body of every error response. */
export const ProblemSchema = z
  .looseObject({
    type: z.string().openapi({ example: "urn:egrid-edge:problem:invalid-parameter" }),
    title: z.string().openapi({ example: "Invalid request parameter" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({
      description: "What was wrong and what to do, in words",
      example: 'n must be a whole number from 1 to 1000 (got "abc"), e.g. n=10',
    }),
    instance: z.string().optional().openapi({ description: "Path of the request", example: "/api/v1/plants/top" }),
    errors: z
      .array(
        z.object({
          in: z.enum(["query", "path", "body", "header"]),
          name: z.string().openapi({ example: "n" }),
          detail: z.string().openapi({ example: 'n must be a whole number from 1 to 1000 (got "abc"), e.g. n=10' }),
        }),
      )
      .optional()
      .openapi({ description: "400 from validation: one entry per bad parameter" }),
  })
  .openapi("Problem", {
    description: "RFC 9457 problem document; extension members (errors, validStates) depend on the problem",
    example: {
      type: "urn:egrid-edge:problem:invalid-parameter",
      title: "Invalid request parameter",
      status: 400,
      detail: 'n must be a whole number from 1 to 1000 (got "abc"), e.g. n=10',
      instance: "/api/v1/plants/top",
      errors: [{ in: "query", name: "n", detail: 'n must be a whole number from 1 to 1000 (got "abc"), e.g. n=10' }],
    },
  });

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid parameter or body (problem document says which and how to fix it)",
  401: "Missing, malformed, expired or wrongly signed token",
  403: "Signed in without the needed role",
  404: "Not found",
  409: "Conflict with the current state",
  411: "Content-Length required",
  413: "Body too large",
  415: "Unsupported content",
  422: "The year's data cannot answer this (e.g. its file has no fuel column); the detail says why",
  429: "Rate limited; see Retry-After",
  500: "Internal error (the detail names an incident id for the logs)",
  502: "An upstream source failed",
  503: "The database is unavailable (cached answers are still served); see Retry-After",
};

/** The `responses` entries for the given error statuses, all as problem documents. */
export function problemResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: DESCRIPTIONS[s] ?? "Error", content: { [PROBLEM_TYPE]: { schema: ProblemSchema } } },
    ]),
  ) as Record<S, { description: string; content: { [PROBLEM_TYPE]: { schema: typeof ProblemSchema } } }>;
}

/** `?year=`: a data year; absent means the latest year with data. */
export const YearQuery = z.coerce
  .number()
  .int()
  .min(1990)
  .max(2100)
  .openapi({ description: "Data year (1990-2100); absent = the latest year with data", example: 2023 })
  .optional();

/** Security requirement of every signed-in route. */
export const bearerSecurity = [{ Bearer: [] }];

/** Where a dataset's numbers came from. */
export const SourceSchema = z.object({
  key: z.string().nullable().openapi({ description: "R2 object key of the ingested file" }),
  ingestedAt: z.string().nullable().openapi({ description: "When its ingestion completed (ISO 8601)" }),
});

/** `{id}` path parameters: 1-64 characters, described with where the id comes from. */
export function idPathParams(description: string, example: string) {
  return z.object({
    id: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name: "id", in: "path" }, description, example }),
  });
}

/** A JSON response entry of a route's `responses`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/** The 304 of a route that answers If-None-Match (worker/api/cache.ts, notModified). */
export const notModifiedResponse = { description: "Not modified (If-None-Match matched the ETag)" };
