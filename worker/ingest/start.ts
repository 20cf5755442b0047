import { and, eq, inArray, lt, notInArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { bareEtag } from "../../domain/etag";
import { TERMINAL_STATUSES } from "../../domain/ingestions";
import type { R2EventNotification } from "../../domain/r2-events";
import { ingestionIdFor } from "../../domain/r2-events";
import { readIngestionRecord, registerIngestion } from "../db/ingestions";
import type { IngestionRow } from "../db/rows";
import { datasets, ingestionChunks, ingestions, rejectedRows } from "../db/schema";
import { refreshDatasetsPointer } from "../publication/pointer";
import { decidePublication } from "../publication/publish";
import { planChunks } from "./parse/chunk-plan";
import { HEAD_BYTES, type HeadResult, inspectHead } from "./parse/head";
import { pieces, readRange } from "./r2-stream";
import { purgeIngestionRows } from "./retract";
import { endIngestion } from "./rows";

/**
 * Bytes of CSV per chunk message. A chunk is written in ONE D1 batch (one transaction: see
 * chunk.ts), and locally D1 is SQLite in the API's own workerd, so every reader waits while it
 * runs: 4 MiB chunks (~72,000 rows) held D1 0.5-1 s each on a 100 MB file (bench:load,
 * docs/benchmarks.md), 512 KiB (~9,000 rows) about an eighth of that, near the ~100 ms a reader
 * may wait. A 100 MB file becomes about 200 messages (sent 100 per sendBatch); two chunks in
 * flight per invocation hold ~1 MiB of rows.
 */
export const CHUNK_BYTES = 512 * 1024;

/**
 * Registers the object version named by a create notification and plans its chunks. Idempotent:
 * the ingestion id is derived from bucket, key and eTag, so a redelivered or duplicate
 * notification finds the same record and only resumes what is unfinished. A new upload of bytes
 * seen before (a later eventTime) is a new owner intent: a stored version is published again
 * (rollback), one whose rows are gone is loaded again.
 * Returns the record, or null when there is nothing (left) to do.
 */
export async function startIngestion(env: Env, notification: R2EventNotification): Promise<IngestionRow | null> {
  const { bucket, object } = notification;
  const head = object.eTag ? undefined : await env.UPLOADS.head(object.key);
  const etag = bareEtag(object.eTag ?? head?.etag ?? "");
  if (!etag) return null; // No such object and no version named: nothing to ingest.
  const id = await ingestionIdFor(bucket, object.key, etag);
  const uploadedAt = eventTimeOf(notification) ?? Date.now();
  await registerIngestion(env.DB, {
    id,
    bucket,
    objectKey: object.key,
    etag,
    sizeBytes: object.size ?? head?.size ?? null,
    eventTime: notification.eventTime ?? null,
    uploadedAt,
  });
  let ingestion = await readIngestionRecord(env.DB, id);
  if (ingestion && isNewUpload(ingestion, notification)) ingestion = await newUploadOf(env, ingestion, notification);
  if (!ingestion || TERMINAL_STATUSES.has(ingestion.status)) return null;
  if (ingestion.status === "processing") return ingestion;

  const checked = await checkObject(env, ingestion);
  if ("error" in checked) {
    await endIngestion(env.DB, id, checked.status, checked.error);
    return null;
  }
  return planIngestion(env, ingestion, checked.size);
}

function eventTimeOf(notification: R2EventNotification): number | null {
  const time = Date.parse(notification.eventTime);
  return Number.isFinite(time) ? time : null;
}

/**
 * A notification is a new upload of a known version when its eventTime is later than the
 * version's last upload: the same bytes put again (R2 sends a new notification). A redelivered
 * notification, or the reconciler's, carries the same or an older time and changes nothing, so
 * a file that cannot load is not retried forever and a file is never counted twice.
 */
function isNewUpload(ingestion: IngestionRow, notification: R2EventNotification): boolean {
  const eventTime = eventTimeOf(notification);
  return eventTime !== null && ingestion.uploaded_at !== null && eventTime > ingestion.uploaded_at;
}

/**
 * Records a new upload of a known version, then: a complete version whose rows are still stored
 * is published again if nothing newer was meant for its year (or held, by the same guard as a
 * new file); a version that ended without data, or whose rows were purged, is loaded again; an
 * unfinished one carries on with its new upload time.
 */
async function newUploadOf(env: Env, ingestion: IngestionRow, notification: R2EventNotification) {
  const uploadedAt = eventTimeOf(notification) as number; // isNewUpload: a time later than the last upload
  await drizzle(env.DB)
    .update(ingestions)
    .set({ uploadedAt, eventTime: notification.eventTime })
    .where(and(eq(ingestions.id, ingestion.id), lt(ingestions.uploadedAt, uploadedAt)));
  const stored = (ingestion.status === "done" || ingestion.status === "held") && ingestion.purged_at === null;
  if (stored) {
    const checked = await checkObject(env, ingestion);
    if ("error" in checked) return null; // Overwritten again meanwhile: the newer version has its own notification.
    const outcome = await decidePublication(env.DB, ingestion.id, ingestion.data_year as number, "stored");
    if (outcome !== "unchanged") await refreshDatasetsPointer(env);
    return readIngestionRecord(env.DB, ingestion.id);
  }
  if (TERMINAL_STATUSES.has(ingestion.status)) return restart(env, ingestion, notification);
  return readIngestionRecord(env.DB, ingestion.id);
}

/** Clears what an ended attempt left (its rows in bounded steps) and queues the version again. */
async function restart(env: Env, ingestion: IngestionRow, notification: R2EventNotification) {
  if (!(await purgeIngestionRows(env, ingestion.id))) {
    throw new Error(`still clearing the rows of the earlier attempt of ${ingestion.id}; retrying`);
  }
  const db = drizzle(env.DB);
  await db.batch([
    db.delete(ingestionChunks).where(eq(ingestionChunks.ingestionId, ingestion.id)),
    db.delete(rejectedRows).where(eq(rejectedRows.ingestionId, ingestion.id)),
    db
      .update(ingestions)
      .set({
        status: "queued",
        error: null,
        attempts: 0,
        rowsRead: 0,
        rowsLoaded: 0,
        rowsRejected: 0,
        plantCount: null,
        chunkCount: null,
        warnings: null,
        purgedAt: null,
        startedAt: null,
        completedAt: null,
        holdReason: null,
        supersededBy: null,
        replacedIngestionId: null,
        eventTime: notification.eventTime,
        queuedAt: Date.now(),
      })
      .where(
        and(
          eq(ingestions.id, ingestion.id),
          inArray(ingestions.status, ["failed", "skipped", "retracted", "done", "held"]),
          notInArray(ingestions.id, db.select({ id: datasets.ingestionId }).from(datasets)),
        ),
      ),
  ]);
  return readIngestionRecord(env.DB, ingestion.id);
}

/** The object's size when this version can be ingested, else why not (status and message). */
async function checkObject(
  env: Env,
  ingestion: IngestionRow,
): Promise<{ size: number } | { status: "failed" | "skipped"; error: string }> {
  if (ingestion.bucket !== env.UPLOADS_BUCKET_NAME) {
    return {
      status: "skipped",
      error: `The notification names bucket "${ingestion.bucket}", but this worker reads "${env.UPLOADS_BUCKET_NAME}".`,
    };
  }
  if (!/\.csv$/i.test(ingestion.object_key)) {
    return {
      status: "skipped",
      error: `"${ingestion.object_key}" is not a .csv file. Upload the eGRID GEN sheet exported as CSV, named *.csv.`,
    };
  }
  const current = await env.UPLOADS.head(ingestion.object_key);
  if (!current || bareEtag(current.etag) !== ingestion.etag) {
    return {
      status: "skipped",
      error:
        "This version of the object is no longer in the bucket (deleted or overwritten); a newer version is ingested on its own.",
    };
  }
  if (current.size === 0)
    return { status: "failed", error: "The file is empty. Upload an eGRID GEN sheet exported as CSV." };
  return { size: current.size };
}

async function planIngestion(env: Env, ingestion: IngestionRow, size: number): Promise<IngestionRow | null> {
  const { object_key: key, etag } = ingestion;
  // 64 KiB recognises any real GEN sheet; very wide rows (thousands of columns) need more.
  let inspected: HeadResult = { ok: false, error: "not read" };
  for (const length of [HEAD_BYTES, 4 * HEAD_BYTES, 64 * HEAD_BYTES]) {
    const headLength = Math.min(size, length);
    const range = await readRange(env.UPLOADS, key, etag, { offset: 0, length: headLength });
    inspected = inspectHead(new Uint8Array(await new Response(range).arrayBuffer()), headLength === size);
    if (inspected.ok || !inspected.needMoreBytes || headLength === size) break;
  }
  if (!inspected.ok) {
    await endIngestion(env.DB, ingestion.id, "failed", inspected.error);
    return null;
  }
  const { head } = inspected;
  const chunkBytes = Number(env.INGEST_CHUNK_BYTES) || CHUNK_BYTES;
  const chunks =
    size - head.dataStart <= chunkBytes
      ? [{ byteStart: head.dataStart, byteEnd: size, firstLine: head.firstDataLine }]
      : await planChunks(pieces(await readRange(env.UPLOADS, key, etag, { offset: head.dataStart })), {
          dataStart: head.dataStart,
          firstDataLine: head.firstDataLine,
          size,
          targetBytes: chunkBytes,
        });
  // One transaction: a record is either still queued, or processing with its whole chunk plan.
  // Raw SQL: the chunks go in as one statement over a JSON array (a drizzle insert binds every
  // value, and D1 allows 100 per statement), and drizzle cannot put raw SQL in a D1 batch.
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO ingestion_chunks (ingestion_id, chunk_index, byte_start, byte_end, first_line)
       SELECT ?1, j.key, j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(?2) AS j WHERE true
       ON CONFLICT DO NOTHING`,
    ).bind(ingestion.id, JSON.stringify(chunks.map((c) => [c.byteStart, c.byteEnd, c.firstLine]))),
    env.DB.prepare(
      `UPDATE ingestions SET status = 'processing', layout = ?2, columns = ?3, data_year = ?4, chunk_count = ?5,
         size_bytes = ?6, started_at = ?7 WHERE id = ?1 AND status = 'queued'`,
    ).bind(
      ingestion.id,
      JSON.stringify(head),
      head.layout.codes.join(","),
      head.dataYear,
      chunks.length,
      size,
      Date.now(),
    ),
  ]);
  return readIngestionRecord(env.DB, ingestion.id);
}
