import type { IngestionRow } from "../db/rows";
import type { IngestionStatus } from "../db/schema";
import type { FileHead } from "./parse/head";

export const TERMINAL_STATUSES: ReadonlySet<IngestionStatus> = new Set([
  "done",
  "held",
  "failed",
  "skipped",
  "retracted",
]);

export async function getIngestion(db: D1Database, id: string): Promise<IngestionRow | null> {
  return db.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first<IngestionRow>();
}

export function headOf(ingestion: IngestionRow): FileHead {
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

/** Strips the quotes some clients keep around ETags, so R2's and S3's spellings compare equal. */
export function bareEtag(etag: string): string {
  return etag.replaceAll('"', "");
}
