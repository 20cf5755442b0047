/**
 * Lifecycle of one uploaded object version (bucket + key + eTag). `held`: loaded completely but not
 * published, because it looked like a mistake (far smaller than the year's published file, or an
 * implausible year); an owner publishes it with POST /api/v1/datasets/{year}/active.
 */
export const INGESTION_STATUSES = ["queued", "processing", "done", "held", "failed", "skipped", "retracted"] as const;
export type IngestionStatus = (typeof INGESTION_STATUSES)[number];

/** Statuses an ingestion never leaves on its own (only a new upload of the same bytes restarts it). */
export const TERMINAL_STATUSES: ReadonlySet<IngestionStatus> = new Set([
  "done",
  "held",
  "failed",
  "skipped",
  "retracted",
]);

/** A chunk (a byte range of the file loaded by one queue message) is pending until its rows are in. */
export type ChunkStatus = "pending" | "done";
