import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { type Context, Hono } from "hono";
import { bareEtag } from "../../domain/etag";
import { ingestionIdFor, notificationForObject, type R2EventNotification } from "../../domain/r2-events";
import { getIngestion } from "../api/queries/ingestions";
import type { IngestionDetail } from "../api/schemas/ingestions";
import { ingestionChunks, ingestions } from "../db/schema";
import { reconcile } from "../ingest/reconcile";
import { LIVE_STATUSES } from "../ingest/retract";
import { faults, MAX_D1_LATENCY_MS } from "./faults";

/**
 * Local-development routes, enabled only by DEV_ROUTES=true (written to .dev.vars by `npm start`);
 * 404 everywhere else. Miniflare does not emulate R2 event notifications, so local tooling asks
 * the worker to send the exact body R2 would send, through the same queue and consumer.
 */
export const devRoutes = new Hono<{ Bindings: Env }>();

devRoutes.use("*", async (c, next) => {
  if (c.env.DEV_ROUTES !== "true") return c.notFound();
  await next();
});

/**
 * `{"key"}` -> enqueue the object's PutObject notification; answers the ingestion id to poll.
 * `{"key", "action": "DeleteObject"}` -> enqueue the delete notification R2 sends once the object
 * is gone; answers the ids of the key's versions that the delete retracts.
 */
devRoutes.post("/notify", async (c) => {
  type NotifyBody = { key?: unknown; action?: unknown };
  const body = await c.req.json<NotifyBody>().catch(() => ({}) as NotifyBody);
  if (typeof body.key !== "string" || body.key === "") {
    return c.json({ error: 'Send JSON {"key": "<object key in the bucket>"}' }, 400);
  }
  if (body.action === "DeleteObject") return notifyDelete(c, body.key);
  const object = await c.env.UPLOADS.head(body.key);
  if (!object)
    return c.json({ error: `No object "${body.key}" in the local bucket ${c.env.UPLOADS_BUCKET_NAME}` }, 404);
  await c.env.INGEST_QUEUE.send(notificationForObject(c.env.UPLOADS_BUCKET_NAME, object));
  const ingestionId = await ingestionIdFor(c.env.UPLOADS_BUCKET_NAME, object.key, bareEtag(object.etag));
  return c.json({ ingestionId, key: object.key, size: object.size }, 202);
});

async function notifyDelete(c: Context<{ Bindings: Env }>, key: string) {
  const env = c.env;
  if (await env.UPLOADS.head(key)) {
    return c.json({ error: `"${key}" is still in the local bucket ${env.UPLOADS_BUCKET_NAME}: delete it first` }, 409);
  }
  const { results } = await env.DB.prepare(
    `SELECT id FROM ingestions WHERE bucket = ?1 AND object_key = ?2 AND status IN ${LIVE_STATUSES}`,
  )
    .bind(env.UPLOADS_BUCKET_NAME, key)
    .all<{ id: string }>();
  const notification: R2EventNotification = {
    account: "local",
    action: "DeleteObject",
    bucket: env.UPLOADS_BUCKET_NAME,
    object: { key },
    eventTime: new Date().toISOString(),
  };
  await env.INGEST_QUEUE.send(notification);
  return c.json({ key, ingestionIds: results.map((r) => r.id) }, 202);
}

/** Runs the reconciler now (it also runs on the cron schedule). */
devRoutes.post("/reconcile", async (c) => c.json(await reconcile(c.env)));

type Progress = Record<"rowsRead" | "rowsLoaded" | "rowsRejected" | "d1Statements", number>;
/** GET /__dev/ingestions/{id}'s body (scripts/lib/local-ingest.ts reads it). */
export type DevIngestion = IngestionDetail & { progress: Progress };

/**
 * The ingestion as GET /api/v1/ingestions/{id} shows it (the API's own query), with `progress`:
 * the rows of its chunks so far (the record itself counts them once the ingestion ends) and the
 * D1 statements its queue messages ran (bench:ingest prints them).
 */
devRoutes.get("/ingestions/:id", async (c) => {
  const id = c.req.param("id");
  const ingestion = await getIngestion(c.env.DB, id, 20);
  if (!ingestion)
    return c.json({ error: `No ingestion ${id} (yet): it appears once the consumer takes the message.` }, 404);
  const db = drizzle(c.env.DB);
  const total = (column: SQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);
  const statements = db.select({ n: ingestions.d1Statements }).from(ingestions).where(eq(ingestions.id, id));
  // An aggregate answers one row; the default only satisfies the type.
  const [progress = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, d1Statements: 0 }] = await db
    .select({
      rowsRead: total(ingestionChunks.rowsRead),
      rowsLoaded: total(ingestionChunks.rowsLoaded),
      rowsRejected: total(ingestionChunks.rowsRejected),
      d1Statements: sql<number>`(${statements})`.mapWith(Number),
    })
    .from(ingestionChunks)
    .where(eq(ingestionChunks.ingestionId, id));
  return c.json({ ...ingestion, progress } satisfies DevIngestion);
});

/**
 * `{"d1": "down"}` makes every D1 call of the API fail (503 problem, Retry-After) until
 * `{"d1": "up"}`: a drill for "D1 down, API up". `{"d1LatencyMs": 80}` adds that much before each
 * D1 round trip (0 ends it). Answers the switches as they now are.
 */
devRoutes.post("/faults", async (c) => {
  type FaultsBody = { d1?: unknown; d1LatencyMs?: unknown };
  const body = await c.req.json<FaultsBody>().catch(() => ({}) as FaultsBody);
  const latency = body.d1LatencyMs;
  const latencyOk =
    latency === undefined ||
    (Number.isInteger(latency) && (latency as number) >= 0 && (latency as number) <= MAX_D1_LATENCY_MS);
  const stateOk = body.d1 === undefined || body.d1 === "down" || body.d1 === "up";
  if (!latencyOk || !stateOk || (body.d1 === undefined && latency === undefined)) {
    return c.json(
      { error: `Send JSON {"d1": "down"} or {"d1": "up"}, and/or {"d1LatencyMs": 0 to ${MAX_D1_LATENCY_MS}}` },
      400,
    );
  }
  if (body.d1 !== undefined) faults.d1 = body.d1 as "up" | "down";
  if (latency !== undefined) faults.d1LatencyMs = latency as number;
  return c.json(faults);
});
