import type { ChunkStatus, IngestionStatus } from "../../domain/ingestions";
import type { FileHead } from "./parse/head";

/** An ingestions row as the pipeline reads it (snake_case straight from D1). */
export interface IngestionRecord {
  id: string;
  bucket: string;
  object_key: string;
  etag: string;
  size_bytes: number | null;
  status: IngestionStatus;
  error: string | null;
  data_year: number | null;
  layout: string | null;
  chunk_count: number | null;
  attempts: number;
  completed_at: number | null;
  /** When the owner last uploaded these bytes (ms). */
  uploaded_at: number | null;
  purged_at: number | null;
}

export interface ChunkRecord {
  ingestion_id: string;
  chunk_index: number;
  byte_start: number;
  byte_end: number;
  first_line: number;
  status: ChunkStatus;
}

/** The pipeline's copy of an ingestions row (the API reads its own view in api/queries/ingestions.ts). */
export async function readIngestionRecord(db: D1Database, id: string): Promise<IngestionRecord | null> {
  return db.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first<IngestionRecord>();
}

export function headOf(ingestion: IngestionRecord): FileHead {
  if (!ingestion.layout) throw new Error(`ingestion ${ingestion.id} has no layout yet`);
  return JSON.parse(ingestion.layout) as FileHead;
}

/** Ends an ingestion that is not finished yet with a message for the data owner. */
export async function endIngestion(
  db: D1Database,
  id: string,
  status: "failed" | "skipped",
  error: string,
): Promise<void> {
  await db
    .prepare(
      "UPDATE ingestions SET status = ?2, error = ?3, completed_at = ?4 WHERE id = ?1 AND status IN ('queued', 'processing')",
    )
    .bind(id, status, error, Date.now())
    .run();
}
