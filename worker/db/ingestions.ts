import { drizzle } from "drizzle-orm/d1";
import type { IngestionRow } from "./rows";
import { ingestions } from "./schema";

/** What is known of an object version when it is first seen. */
export type NewIngestion = Pick<
  typeof ingestions.$inferInsert,
  "id" | "bucket" | "objectKey" | "etag" | "sizeBytes" | "eventTime" | "uploadedAt" | "uploadedBy"
>;

/**
 * Records an object version as `queued` unless it is known already (ON CONFLICT DO NOTHING). The
 * upload route writes it first, so polling answers at once and the record says who uploaded the
 * file; the consumer writes it for every notification, and a duplicate lands on the same id.
 */
export async function registerIngestion(db: D1Database, version: NewIngestion): Promise<void> {
  await drizzle(db)
    .insert(ingestions)
    .values({ ...version, status: "queued", queuedAt: Date.now() })
    .onConflictDoNothing();
}

/**
 * One ingestion row, as the pipeline reads it once per queue message and the owner routes read
 * the version they act on (listings use the API's own view, api/queries/ingestions.ts). Raw SQL
 * on purpose: the row keeps SQL column names (IngestionRow), like every row the pipeline's
 * hand-written SQL works with.
 */
export async function readIngestionRecord(db: D1Database, id: string): Promise<IngestionRow | null> {
  return db.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first<IngestionRow>();
}
