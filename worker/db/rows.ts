import type { Table } from "drizzle-orm";
import type { ingestionChunks, ingestions } from "./schema";

/**
 * A table's row as raw SQL returns it (`SELECT *` through D1's prepare): the schema's
 * `$inferSelect`, keyed by SQL column names instead of drizzle's property names. The hot paths
 * read rows with hand-written SQL (worker/db/sql/), so their row types come from the schema too
 * and follow every column change.
 */
export type SqlRow<T extends Table> = {
  [K in keyof T["_"]["columns"] as T["_"]["columns"][K]["_"]["name"]]: T["$inferSelect"][K & keyof T["$inferSelect"]];
};

/** An ingestions row: the one shape of an ingestion in the Worker (the API's view is its schema). */
export type IngestionRow = SqlRow<typeof ingestions>;
/** An ingestion_chunks row. */
export type ChunkRow = SqlRow<typeof ingestionChunks>;
