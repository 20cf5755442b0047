import type { IngestionStatus } from "../../../domain/ingestions";

/** An ingestion as the API shows it. */
export interface IngestionView {
  id: string;
  bucket: string;
  objectKey: string;
  status: IngestionStatus;
  error: string | null;
  /** Why a held file was not published (status `held`). */
  holdReason: string | null;
  active: boolean;
  dataYear: number | null;
  sizeBytes: number | null;
  rows: { read: number; loaded: number; rejected: number };
  plantCount: number | null;
  chunks: { total: number | null; done: number };
  attempts: number;
  replacedIngestionId: string | null;
  supersededBy: string | null;
  uploadedBy: string | null;
  timings: {
    uploadedAt: string | null;
    queuedAt: string;
    startedAt: string | null;
    completedAt: string | null;
    durationMs: number | null;
  };
}

interface IngestionRow {
  id: string;
  bucket: string;
  object_key: string;
  status: IngestionStatus;
  error: string | null;
  hold_reason: string | null;
  uploaded_at: number | null;
  data_year: number | null;
  size_bytes: number | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  plant_count: number | null;
  chunk_count: number | null;
  chunks_done: number;
  attempts: number;
  replaced_ingestion_id: string | null;
  superseded_by: string | null;
  uploaded_by: string | null;
  queued_at: number;
  started_at: number | null;
  completed_at: number | null;
  active: number;
}

const SELECT = `SELECT i.*,
  (SELECT COUNT(*) FROM ingestion_chunks k WHERE k.ingestion_id = i.id AND k.status = 'done') AS chunks_done,
  EXISTS (SELECT 1 FROM datasets d WHERE d.ingestion_id = i.id AND d.withdrawn_at IS NULL) AS active
  FROM ingestions i`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toView(r: IngestionRow): IngestionView {
  return {
    id: r.id,
    bucket: r.bucket,
    objectKey: r.object_key,
    status: r.status,
    error: r.error,
    holdReason: r.status === "held" ? r.hold_reason : null,
    active: r.active === 1,
    dataYear: r.data_year,
    sizeBytes: r.size_bytes,
    rows: { read: r.rows_read, loaded: r.rows_loaded, rejected: r.rows_rejected },
    plantCount: r.plant_count,
    chunks: { total: r.chunk_count, done: r.chunks_done },
    attempts: r.attempts,
    replacedIngestionId: r.replaced_ingestion_id,
    supersededBy: r.superseded_by,
    uploadedBy: r.uploaded_by,
    timings: {
      uploadedAt: iso(r.uploaded_at),
      queuedAt: new Date(r.queued_at).toISOString(),
      startedAt: iso(r.started_at),
      completedAt: iso(r.completed_at),
      durationMs: r.completed_at !== null && r.started_at !== null ? r.completed_at - r.started_at : null,
    },
  };
}

/** Newest ingestions first, optionally of one status. */
export async function listIngestions(db: D1Database, options: { limit: number; status?: string }) {
  const where = options.status ? "WHERE i.status = ?2" : "";
  const stmt = db.prepare(`${SELECT} ${where} ORDER BY i.queued_at DESC LIMIT ?1`);
  const bound = options.status ? stmt.bind(options.limit, options.status) : stmt.bind(options.limit);
  const { results } = await bound.all<IngestionRow>();
  return results.map(toView);
}

/** One ingestion with a sample of its rejected rows, or null. */
export async function getIngestion(db: D1Database, id: string, sampleSize: number) {
  const [row, rejected] = await db.batch([
    db.prepare(`${SELECT} WHERE i.id = ?1`).bind(id),
    db
      .prepare("SELECT line, reason, raw FROM rejected_rows WHERE ingestion_id = ?1 ORDER BY line LIMIT ?2")
      .bind(id, sampleSize),
  ]);
  const r = row?.results[0] as IngestionRow | undefined;
  if (!r) return null;
  return {
    ...toView(r),
    rejectedSample: (rejected?.results ?? []) as { line: number; reason: string; raw: string | null }[],
  };
}
