import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { bareEtag } from "../../../domain/etag";
import { ingestionIdFor, notificationForObject } from "../../../domain/r2-events";
import { registerIngestion } from "../../db/ingestions";
import { ProblemError } from "../problem";
import { bearerSecurity, jsonResponse, problemResponses } from "../schemas/common";
import { UploadAcceptedSchema } from "../schemas/uploads";
import type { AppEnv } from "../types";
import { CSV_CONTENT_TYPES, csvProblems, MAX_UPLOAD_BYTES, mediaType, uploadKey } from "../upload-checks";
import { validationHook } from "../validation";
import { audit } from "./audit";
import { readHead, streamToR2 } from "./upload-stream";

const uploadRoute = createRoute({
  method: "post",
  path: "/uploads",
  summary: "Upload an eGRID GEN CSV for ingestion (owner)",
  description: `Streams the body into R2 (Content-Length required, at most ${MAX_UPLOAD_BYTES} bytes) and queues it.`,
  security: bearerSecurity,
  request: {
    query: z.object({
      filename: z
        .string()
        .max(200)
        .openapi({
          description: "Original file name (at most 200 characters), kept (sanitised) in the key",
          example: "egrid2023_gen23.csv",
        })
        .optional(),
    }),
    body: { required: true, content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } } },
  },
  responses: {
    202: jsonResponse(UploadAcceptedSchema, "Stored and queued"),
    ...problemResponses(400, 401, 403, 411, 413, 415, 429),
  },
});

function reject(status: 400 | 411 | 413 | 415, slug: string, title: string, detail: string, reasons?: string[]): never {
  throw new ProblemError(status, slug, title, detail, reasons ? { reasons } : {});
}

/** POST /uploads. Mounted behind requireRole("owner"). */
export const uploadRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

uploadRoutes.openapi(uploadRoute, async (c) => {
  const type = mediaType(c.req.header("content-type"));
  if (!CSV_CONTENT_TYPES.includes(type)) {
    reject(
      415,
      "unsupported-media-type",
      "Unsupported content type",
      `send Content-Type: text/csv (got "${type || "none"}")`,
      [`Content-Type must be one of ${CSV_CONTENT_TYPES.join(", ")}`],
    );
  }
  const lengthHeader = c.req.header("content-length");
  if (!lengthHeader || !/^\d+$/.test(lengthHeader)) {
    reject(411, "length-required", "Length required", "send the file with a Content-Length header (no chunked upload)");
  }
  const length = Number(lengthHeader);
  if (length > MAX_UPLOAD_BYTES) {
    reject(413, "too-large", "Upload too large", `the body is ${length} bytes; the limit is ${MAX_UPLOAD_BYTES} bytes`);
  }
  const body = c.req.raw.body;
  if (!body || length === 0) reject(415, "not-csv", "Not a CSV file", "the body is empty", ["the body is empty"]);

  const reader = body.getReader();
  const head = await readHead(reader, Math.min(length, 64 * 1024));
  const reasons = csvProblems(head.bytes, head.done);
  if (reasons.length > 0) {
    await reader.cancel().catch(() => {});
    reject(415, "not-csv", "Not a CSV file", reasons.join("; "), reasons);
  }

  const user = c.get("user");
  const key = uploadKey(c.req.valid("query").filename);
  const stored = await streamToR2(c.env.UPLOADS, key, length, head.bytes, reader, {
    httpMetadata: { contentType: "text/csv; charset=utf-8" },
    customMetadata: { uploadedBy: user?.id ?? "", uploadedByEmail: user?.email ?? "" },
  });
  if (!stored) {
    reject(
      400,
      "incomplete-body",
      "Incomplete upload",
      `the body did not match Content-Length ${length}; nothing was stored`,
    );
  }
  const bucket = c.env.UPLOADS_BUCKET_NAME;
  const ingestionId = await ingestionIdFor(bucket, stored.key, stored.etag);
  // The same 'queued' record the consumer registers (whichever comes first), with the uploader.
  await registerIngestion(c.env.DB, {
    id: ingestionId,
    bucket,
    objectKey: stored.key,
    etag: bareEtag(stored.etag),
    sizeBytes: stored.size,
    uploadedBy: user?.id ?? null,
    uploadedAt: stored.uploaded.getTime(),
    eventTime: stored.uploaded.toISOString(),
  });
  // R2 sends this same notification in production; a duplicate lands on the same ingestion id.
  await c.env.INGEST_QUEUE.send(notificationForObject(bucket, stored));
  await audit(c, "upload.create", ingestionId, { objectKey: stored.key, sizeBytes: stored.size });
  const location = `/api/v1/ingestions/${ingestionId}`;
  return c.json(
    { ingestionId, status: "queued" as const, objectKey: stored.key, sizeBytes: stored.size, location },
    202,
    { Location: location },
  );
});
