import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { INGESTION_STATUSES } from "../../../domain/ingestions";

/**
 * One record per object version seen. `id` is derived from bucket + key + eTag, so a redelivered
 * or duplicate notification lands on the same row (idempotency).
 */
export const ingestions = sqliteTable(
  "ingestions",
  {
    id: text("id").primaryKey(),
    bucket: text("bucket").notNull(),
    objectKey: text("object_key").notNull(),
    etag: text("etag").notNull(),
    sizeBytes: integer("size_bytes"),
    status: text("status", { enum: INGESTION_STATUSES }).notNull().default("queued"),
    /** Plain-language reason when the whole file was refused (failed/skipped). */
    error: text("error"),
    dataYear: integer("data_year"),
    /** Comma-separated column codes recognised in the header row. */
    columns: text("columns"),
    /** JSON of the recognised layout (FileHead): column positions, data offset, line breaks. */
    layout: text("layout"),
    chunkCount: integer("chunk_count"),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsLoaded: integer("rows_loaded").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    plantCount: integer("plant_count"),
    attempts: integer("attempts").notNull().default(0),
    /** Ingestion that was active for the year before this one completed. */
    replacedIngestionId: text("replaced_ingestion_id"),
    /** Ingestion that later replaced this one as the active dataset of its year. */
    supersededBy: text("superseded_by"),
    uploadedBy: text("uploaded_by"),
    eventTime: text("event_time"),
    /**
     * When the owner last uploaded these bytes (ms; R2's eventTime, or the time of POST /uploads):
     * of one year's files the most recently uploaded wins, whatever order they finish in. A new
     * put of the same bytes moves it forward (migration 0009).
     */
    uploadedAt: integer("uploaded_at"),
    /** Why a completed file was held instead of published (status `held`), with both counts. */
    holdReason: text("hold_reason"),
    queuedAt: integer("queued_at").notNull(),
    startedAt: integer("started_at"),
    completedAt: integer("completed_at"),
    /** Warnings from the chunks (one per line), e.g. text read as Windows-1252. */
    warnings: text("warnings"),
    /** D1 statements the pipeline has issued for this ingestion (all messages, all attempts that succeeded). */
    d1Statements: integer("d1_statements").notNull().default(0),
    /** When this ingestion's generator and plant rows were deleted (object overwritten or deleted). */
    purgedAt: integer("purged_at"),
  },
  (t) => [
    index("ingestions_object_idx").on(t.bucket, t.objectKey),
    index("ingestions_queued_at_idx").on(t.queuedAt),
    index("ingestions_year_idx").on(t.dataYear, t.status),
  ],
);

/** A byte range of a large object, processed as its own queue message. */
export const ingestionChunks = sqliteTable(
  "ingestion_chunks",
  {
    ingestionId: text("ingestion_id").notNull(),
    chunkIndex: integer("chunk_index").notNull(),
    byteStart: integer("byte_start").notNull(),
    byteEnd: integer("byte_end").notNull(),
    /** Physical line number (1-based) of the first byte of the range, for error messages. */
    firstLine: integer("first_line").notNull(),
    status: text("status", { enum: ["pending", "done"] })
      .notNull()
      .default("pending"),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsLoaded: integer("rows_loaded").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    /** Something the data owner should know that did not reject rows (e.g. the text encoding). */
    warning: text("warning"),
    completedAt: integer("completed_at"),
    /**
     * JSON array of every Nth plant key of the chunk's parts, in key order (migration 0007):
     * publishing cuts the plants into statements of bounded size from these samples.
     */
    plantKeySample: text("plant_key_sample"),
  },
  (t) => [primaryKey({ columns: [t.ingestionId, t.chunkIndex] })],
);

/**
 * One row per generator of an ingestion (the GEN sheet). Invisible until the year points here.
 * Keyed by the file's own row identity, the SEQGENyy sequence number, in a WITHOUT ROWID table
 * (migration 0005; drizzle cannot declare that): rows arrive in sequence order, so inserts are
 * appends to one B-tree, and a re-processed chunk or a duplicated row cannot be stored twice.
 */
export const generators = sqliteTable(
  "generators",
  {
    ingestionId: text("ingestion_id").notNull(),
    /** Physical line of the record in the file (1-based): the row's identity in its ingestion. */
    line: integer("line").notNull(),
    seq: integer("seq").notNull(),
    dataYear: integer("data_year").notNull(),
    plantKey: text("plant_key").notNull(),
    state: text("state").notNull(),
    plantName: text("plant_name").notNull(),
    orispl: integer("orispl"),
    generatorId: text("generator_id").notNull(),
    /** GENNTAN in MWh; NULL when the file leaves it blank (unknown, not zero). */
    netGenerationMwh: real("net_generation_mwh"),
    status: text("status"),
    primeMover: text("prime_mover"),
    fuel: text("fuel"),
    capacityMw: real("capacity_mw"),
    capacityFactor: real("capacity_factor"),
    yearOnline: integer("year_online"),
    yearRetired: integer("year_retired"),
  },
  (t) => [primaryKey({ columns: [t.ingestionId, t.seq] })],
);

/**
 * What each chunk contributed to each plant, computed by the consumer while it parses (migration
 * 0006): sums, counts, the chunk's candidate for the primary fuel, and the sequence numbers of
 * the plant's generators. Written in the same D1 batch as the chunk's generators, so the two
 * always agree. Publishing merges these parts into `plants` (one row per plant and chunk,
 * instead of a second index over every generator), and GET /plants/{id} finds a plant's
 * generators through `seqs`. A WITHOUT ROWID table keyed by chunk then plant (migration 0007):
 * each chunk's parts are one run appended in key order, and one plant's parts are found with one
 * seek per chunk.
 */
export const plantParts = sqliteTable(
  "plant_parts",
  {
    ingestionId: text("ingestion_id").notNull(),
    plantKey: text("plant_key").notNull(),
    /** The chunk; -1 for parts rebuilt from generators by migration 0006. */
    chunkIndex: integer("chunk_index").notNull(),
    state: text("state").notNull(),
    name: text("name").notNull(),
    orispl: integer("orispl"),
    /** Sum of the known GENNTAN of the plant's generators in this chunk; NULL when none is known. */
    netGenerationMwh: real("net_generation_mwh"),
    generatorCount: integer("generator_count").notNull(),
    unknownGeneratorCount: integer("unknown_generator_count").notNull(),
    /** Sum of the known NAMEPCAP; NULL when none is known. */
    capacityMw: real("capacity_mw"),
    /** Fuel of this chunk's largest generator with a fuel (capacity descending, unknown last, then line). */
    fuel: text("fuel"),
    fuelCapacityMw: real("fuel_capacity_mw"),
    fuelLine: integer("fuel_line"),
    /** JSON array of the SEQGENyy numbers of the plant's generators in this chunk. */
    seqs: text("seqs").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ingestionId, t.chunkIndex, t.plantKey] })],
);

/** Plant totals per ingestion, computed from its generators when the file completes. */
export const plants = sqliteTable(
  "plants",
  {
    ingestionId: text("ingestion_id").notNull(),
    plantKey: text("plant_key").notNull(),
    dataYear: integer("data_year").notNull(),
    state: text("state").notNull(),
    name: text("name").notNull(),
    orispl: integer("orispl"),
    /** Sum of known GENNTAN; NULL when every generator's value is unknown. */
    netGenerationMwh: real("net_generation_mwh"),
    generatorCount: integer("generator_count").notNull(),
    unknownGeneratorCount: integer("unknown_generator_count").notNull(),
    primaryFuel: text("primary_fuel"),
    capacityMw: real("capacity_mw"),
  },
  (t) => [
    primaryKey({ columns: [t.ingestionId, t.plantKey] }),
    // Top N in one state is a walk of this index; nationally, a merge of the walks of every
    // state (migration 0008 dropped the national index: publishing inserts a file's plants in
    // state order, so this index receives them in order, a national one at random).
    index("plants_state_top_idx").on(t.ingestionId, t.state, sql`${t.netGenerationMwh} DESC`, t.name),
  ],
);

/** Capped sample of rejected rows per ingestion; the total is ingestions.rows_rejected. */
export const rejectedRows = sqliteTable(
  "rejected_rows",
  {
    ingestionId: text("ingestion_id").notNull(),
    line: integer("line").notNull(),
    reason: text("reason").notNull(),
    /** The raw record, truncated. */
    raw: text("raw"),
  },
  (t) => [primaryKey({ columns: [t.ingestionId, t.line] })],
);

/**
 * The published dataset of each data year: flipping this row is what publishes a file. A year
 * whose row has `withdrawn_at` serves no data (an owner withdrew it); `ingestion_id` then names
 * the version that was published last, which POST /datasets/{year}/active can restore.
 */
export const datasets = sqliteTable("datasets", {
  dataYear: integer("data_year").primaryKey(),
  ingestionId: text("ingestion_id").notNull(),
  activatedAt: integer("activated_at").notNull(),
  /**
   * Time of the owner intent this row reflects (ms): the upload time of an automatically published
   * file, or the time an owner published or withdrew by hand. A file uploaded before it never
   * replaces it (migration 0009).
   */
  intentAt: integer("intent_at").notNull().default(0),
  /** Who published or withdrew by hand (user id); NULL for an automatic publish. */
  changedBy: text("changed_by"),
  withdrawnAt: integer("withdrawn_at"),
});
