/**
 * Guards every statement of an ingestion's write batches (a chunk's rows, the plant merge): a
 * statement running after the ingestion was retracted, failed or purged writes nothing, so no rows
 * outlive the purge, and a second run of a publishing step changes nothing. A scalar subquery that
 * is not correlated: SQLite evaluates it once per statement, not once per row. ?1 is the ingestion.
 */
export const STILL_PROCESSING = "(SELECT status FROM ingestions WHERE id = ?1) = 'processing'";
