import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Objects copied from an external S3-compatible bucket into R2. An object with the same
 * source, key and ETag is never imported twice.
 */
export const s3Imports = sqliteTable(
  "s3_imports",
  {
    /** `endpoint/bucket` of the external source. */
    source: text("source").notNull(),
    sourceKey: text("source_key").notNull(),
    sourceEtag: text("source_etag").notNull(),
    sizeBytes: integer("size_bytes"),
    /** Key written in the R2 bucket; the normal pipeline ingests it from there. */
    r2Key: text("r2_key").notNull(),
    ingestionId: text("ingestion_id"),
    importedAt: integer("imported_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.sourceKey, t.sourceEtag] }),
    index("s3_imports_time_idx").on(t.importedAt),
  ],
);
