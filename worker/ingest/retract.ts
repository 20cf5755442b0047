import { and, eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { bareEtag } from "../../domain/etag";
import type { IngestionStatus } from "../../domain/ingestions";
import type { IngestionRow } from "../db/rows";
import { datasets, ingestions } from "../db/schema";
import { refreshDatasetsPointer } from "../publication/pointer";
import { sendAll } from "./messages";
import { purgeFuelStatements } from "./precompute-fuels";
import { purgeYearStatements } from "./precompute-years";

/** Rows deleted per statement when purging: bounded so each statement stays well under 30 s. */
const PURGE_ROWS = 20_000;
/** Statements per purge message; the next message continues. */
const PURGE_STATEMENTS = 20;
/** Candidate versions looked at (one R2 head each) when a year falls back. */
const FALLBACK_CANDIDATES = 20;

/**
 * When the owner uploaded a version (ms): uploaded_at (migration 0009), else the notification's
 * eventTime, else when it was queued. Of one year's versions, the latest upload is the owner's intent.
 */
export const UPLOAD_TIME = "coalesce(uploaded_at, CAST(unixepoch(event_time, 'subsec') * 1000 AS INTEGER), queued_at)";

/** Statuses of versions whose object must still be in the bucket. */
export const LIVE = ["queued", "processing", "done", "held"] as const satisfies IngestionStatus[];
/** LIVE as an SQL list, for the hand-written guards. */
export const LIVE_STATUSES = `(${LIVE.map((s) => `'${s}'`).join(", ")})`;

/** A version as the retraction checks it against R2. */
export type StoredVersion = Pick<IngestionRow, "id" | "object_key" | "etag">;

/** The columns of a StoredVersion, for drizzle selects. */
export const STORED_VERSION = { id: ingestions.id, object_key: ingestions.objectKey, etag: ingestions.etag };

/**
 * Handles an object-delete notification: retracts the versions of the object when the key is no
 * longer in the bucket (a put after the delete keeps the versions, and its own is ingested).
 */
export async function retractObject(env: Env, bucket: string, key: string): Promise<string[]> {
  const versions = await drizzle(env.DB)
    .select(STORED_VERSION)
    .from(ingestions)
    .where(and(eq(ingestions.bucket, bucket), eq(ingestions.objectKey, key), inArray(ingestions.status, LIVE)));
  return retractGone(env, versions);
}

/**
 * Retracts those of `versions` whose object key is gone from R2 (deleted); returns the ids
 * retracted, with fallback candidates found gone on the way. A version whose key was overwritten
 * is kept: its rows serve an instant rollback when the same bytes are put again, and a
 * published one stays published until the new file replaces it (a held or failed overwrite
 * must not take the year's data away).
 */
export async function retractGone(env: Env, versions: StoredVersion[]): Promise<string[]> {
  const gone: string[] = [];
  const heads = new Map<string, string | null>();
  for (const version of versions) {
    if (!heads.has(version.object_key)) {
      const head = await env.UPLOADS.head(version.object_key);
      heads.set(version.object_key, head ? bareEtag(head.etag) : null);
    }
    if (heads.get(version.object_key) === null) gone.push(version.id);
  }
  return retractVersions(env, gone);
}

/**
 * Withdraws the data of versions whose objects are gone. A year that published one of them (or
 * remembers it, when withdrawn) falls back to its most recently uploaded other `done` version
 * whose rows are kept and whose object is still in R2; with none, the year's row goes. A withdrawn
 * year stays withdrawn: only the version it remembers changes. Returns the ids retracted.
 */
export async function retractVersions(env: Env, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const retracted = new Set(ids);
  // The ids as one JSON array: a list of bound values could pass D1's 100 parameters per statement.
  const years = await drizzle(env.DB)
    .select({ data_year: datasets.dataYear, ingestion_id: datasets.ingestionId })
    .from(datasets)
    .where(inArray(datasets.ingestionId, sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`));
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];
  for (const year of years) {
    const fallback = await chooseFallback(env, year.data_year, retracted);
    if (!fallback) {
      statements.push(
        env.DB.prepare("DELETE FROM datasets WHERE data_year = ?1 AND ingestion_id = ?2").bind(
          year.data_year,
          year.ingestion_id,
        ),
      );
      continue;
    }
    statements.push(
      env.DB.prepare("UPDATE ingestions SET superseded_by = NULL WHERE id = ?1").bind(fallback.id),
      env.DB.prepare(
        `UPDATE datasets SET ingestion_id = ?3,
           activated_at = CASE WHEN withdrawn_at IS NULL THEN ?4 ELSE activated_at END,
           intent_at = CASE WHEN withdrawn_at IS NULL THEN ?5 ELSE intent_at END,
           changed_by = CASE WHEN withdrawn_at IS NULL THEN NULL ELSE changed_by END
         WHERE data_year = ?1 AND ingestion_id = ?2`,
      ).bind(year.data_year, year.ingestion_id, fallback.id, now, fallback.uploaded),
    );
  }
  // Raw SQL for the writes: each is guarded inside D1 (the year still names the version, its status
  // is still live), which drizzle would only spell as the same SQL in sql`` fragments.
  // Guarded by status: a version re-put (and restarted) meanwhile is left alone.
  statements.push(
    env.DB.prepare(
      `UPDATE ingestions SET status = 'retracted', completed_at = coalesce(completed_at, ?2),
         error = 'The object was deleted from the bucket (noticed at ' || ?3 || '); its data was withdrawn.'
       WHERE id IN (SELECT value FROM json_each(?1)) AND status IN ${LIVE_STATUSES}`,
    ).bind(JSON.stringify([...retracted]), now, new Date(now).toISOString()),
  );
  await env.DB.batch(statements);
  if (years.length > 0) await refreshDatasetsPointer(env);
  await sendAll(
    env.INGEST_QUEUE,
    [...retracted].map((ingestionId) => ({ type: "purge", ingestionId })),
  );
  return [...retracted];
}

/**
 * The version a year falls back to: by upload order, the first `done` version with rows whose
 * object R2 still holds with that eTag (what is published always matches a file in the bucket).
 * Candidates whose key is gone on the way join `retracted`; overwritten ones are passed over.
 */
async function chooseFallback(
  env: Env,
  year: number,
  retracted: Set<string>,
): Promise<{ id: string; uploaded: number } | null> {
  const { results } = await env.DB.prepare(
    `SELECT id, object_key, etag, ${UPLOAD_TIME} AS uploaded FROM ingestions
     WHERE data_year = ?1 AND status = 'done' AND purged_at IS NULL AND bucket = ?2
     ORDER BY uploaded DESC, completed_at DESC LIMIT ?3`,
  )
    .bind(year, env.UPLOADS_BUCKET_NAME, FALLBACK_CANDIDATES + retracted.size)
    .all<StoredVersion & { uploaded: number }>();
  for (const candidate of results) {
    if (retracted.has(candidate.id)) continue;
    const head = await env.UPLOADS.head(candidate.object_key);
    if (head && bareEtag(head.etag) === candidate.etag) return candidate;
    if (!head) retracted.add(candidate.id);
  }
  return null;
}

// Each statement re-checks, inside D1, that the version is neither referenced by a year
// (published or withdrawn-remembered) nor being loaded again (a re-put restarted it).
const PURGEABLE = `NOT EXISTS (SELECT 1 FROM datasets WHERE ingestion_id = ?1)
  AND (SELECT status FROM ingestions WHERE id = ?1) NOT IN ('queued', 'processing')`;

/**
 * Deletes the generator, plant-part and plant rows of a version no year references, in bounded
 * steps. It first sets purged_at, in one statement that checks the version is purgeable: from
 * then on the version can no longer be published (by hand, by a fallback or by a re-put reusing
 * its rows), so no reader ever sees it half deleted; a later put of the same bytes loads it
 * again. Returns false when rows remain (the caller queues another purge message).
 */
export async function purgeIngestionRows(env: Env, ingestionId: string): Promise<boolean> {
  const claimed = await env.DB.prepare(
    `UPDATE ingestions SET purged_at = coalesce(purged_at, ?2) WHERE id = ?1 AND ${PURGEABLE} RETURNING id`,
  )
    .bind(ingestionId, Date.now())
    .first();
  if (!claimed) return true; // Published again meanwhile (fallback, by hand) or reloading: keep it.
  for (let i = 0; i < PURGE_STATEMENTS; i++) {
    const results = await env.DB.batch([
      env.DB.prepare(
        `DELETE FROM generators WHERE ingestion_id = ?1 AND seq IN (SELECT seq FROM generators WHERE ingestion_id = ?1 LIMIT ?2)
           AND ${PURGEABLE}`,
      ).bind(ingestionId, PURGE_ROWS),
      env.DB.prepare(
        `DELETE FROM plant_parts WHERE ingestion_id = ?1 AND (chunk_index, plant_key) IN (
           SELECT chunk_index, plant_key FROM plant_parts WHERE ingestion_id = ?1 LIMIT ?2) AND ${PURGEABLE}`,
      ).bind(ingestionId, PURGE_ROWS),
      env.DB.prepare(
        `DELETE FROM plants WHERE rowid IN (SELECT rowid FROM plants WHERE ingestion_id = ?1 LIMIT ?2) AND ${PURGEABLE}`,
      ).bind(ingestionId, PURGE_ROWS),
      ...purgeFuelStatements(env.DB, ingestionId, PURGE_ROWS, PURGEABLE),
      ...purgeYearStatements(env.DB, ingestionId, PURGE_ROWS, PURGEABLE),
    ]);
    if (results.every((r) => (r.meta.changes ?? 0) < PURGE_ROWS)) return true;
  }
  return false;
}
