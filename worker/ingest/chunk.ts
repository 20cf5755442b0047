import { plantKeySampleStep } from "./finalize";
import { parseGeneratorRecords, type Rejection } from "./parse/generator-csv";
import type { GeneratorRow } from "./parse/generator-row";
import type { GenSheetLayout } from "./parse/layout";
import { PlantPartCollector } from "./plant-parts";
import { pieces, readRange } from "./r2-stream";
import { type ChunkRecord, headOf, type IngestionRecord } from "./rows";

/**
 * Rows travel to D1 as one JSON array per statement and are unpacked by json_each: one bound
 * parameter instead of 17 per row keeps far below D1's 100-parameter and 100 KB SQL-text limits
 * (a bound string may be up to 2 MB) and needs few statements per invocation (limit 1,000).
 */
const STATEMENT_JSON_CHARS = 900_000;
/** Rejected rows kept per chunk as a sample; the total is always counted. */
const REJECTION_SAMPLE = 25;
/** How often a chunk is parsed again after finding rows another chunk stored meanwhile. */
const MAX_DUPLICATE_RETRIES = 3;

/**
 * Guards every statement of a chunk's batch: a chunk still in flight when its ingestion was
 * retracted, failed or purged writes nothing, so no rows outlive the purge. A scalar subquery
 * that is not correlated: SQLite evaluates it once per statement, not once per row.
 */
export const STILL_PROCESSING = "(SELECT status FROM ingestions WHERE id = ?1) = 'processing'";

type LayoutColumn = keyof GenSheetLayout["columns"];

/**
 * The generator columns written, each with the layout column it needs (none: always present) and
 * how to read it from a row. A file without a column sends no value for it (it stays NULL), which
 * keeps the JSON small and SQLite's work per row low.
 */
const GENERATOR_COLUMNS: Array<[string, LayoutColumn | null, (row: GeneratorRow) => unknown]> = [
  ["line", null, (r) => r.line],
  ["seq", null, (r) => r.seq],
  ["plant_key", null, (r) => r.plantKey],
  ["state", null, (r) => r.state],
  ["plant_name", null, (r) => r.plantName],
  ["generator_id", null, (r) => r.generatorId],
  ["net_generation_mwh", null, (r) => r.netGenerationMwh],
  ["orispl", "orispl", (r) => r.orispl],
  ["status", "status", (r) => r.status],
  ["prime_mover", "primeMover", (r) => r.primeMover],
  ["fuel", "fuel", (r) => r.fuel],
  ["capacity_mw", "capacity", (r) => r.capacityMw],
  ["capacity_factor", "capacityFactor", (r) => r.capacityFactor],
  ["year_online", "yearOnline", (r) => r.yearOnline],
  ["year_retired", "yearRetired", (r) => r.yearRetired],
];

/** The columns a layout has, and the INSERT that unpacks rows of exactly those columns. */
export function generatorInsert(layout: GenSheetLayout): {
  columns: Array<(row: GeneratorRow) => unknown>;
  sql: string;
} {
  const present = GENERATOR_COLUMNS.filter(([, needs]) => needs === null || layout.columns[needs] !== undefined);
  // A plain INSERT: a sequence number another chunk already stored fails the whole batch, which
  // is then parsed again with that row rejected as a duplicate (see processChunk).
  const sql = `INSERT INTO generators (ingestion_id, data_year, ${present.map(([name]) => name).join(", ")})
  SELECT ?1, ?2, ${present.map((_, i) => `v ->> ${i}`).join(", ")}
  FROM (SELECT value AS v FROM json_each(?3)) WHERE ${STILL_PROCESSING}`;
  return { columns: present.map(([, , read]) => read), sql };
}

const INSERT_PLANT_PARTS = `INSERT INTO plant_parts (ingestion_id, chunk_index, plant_key, state, name, orispl,
    net_generation_mwh, generator_count, unknown_generator_count, capacity_mw, fuel, fuel_capacity_mw, fuel_line, seqs)
  SELECT ?1, ?2, v ->> 0, v ->> 1, v ->> 2, v ->> 7, v ->> 3, v ->> 4, v ->> 5, v ->> 8, v ->> 9, v ->> 10, v ->> 11,
    v -> 6
  FROM (SELECT value AS v FROM json_each(?3)) WHERE ${STILL_PROCESSING}`;

const INSERT_REJECTIONS = `INSERT INTO rejected_rows (ingestion_id, line, reason, raw)
  SELECT ?1, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?2) WHERE ${STILL_PROCESSING}
  ON CONFLICT DO NOTHING`;

/** Collects JSON values into arrays of at most STATEMENT_JSON_CHARS characters, as they come. */
class JsonArrays {
  readonly arrays: string[] = [];
  private current: string[] = [];
  private chars = 0;

  add(value: string): void {
    this.current.push(value);
    this.chars += value.length + 1;
    if (this.chars >= STATEMENT_JSON_CHARS) this.close();
  }

  /** The arrays, the last one closed. */
  done(): string[] {
    if (this.current.length > 0) this.close();
    return this.arrays;
  }

  private close(): void {
    this.arrays.push(`[${this.current.join(",")}]`);
    this.current = [];
    this.chars = 0;
  }
}

function jsonArrays(values: Iterable<string>): string[] {
  const arrays = new JsonArrays();
  for (const value of values) arrays.add(value);
  return arrays.done();
}

export interface ChunkOutcome {
  read: number;
  loaded: number;
  rejected: number;
}

/**
 * Parses one byte range and writes its generators, its plant parts, its rejections and its
 * completion in ONE D1 batch (a transaction): after a crash the chunk is either entirely written
 * and marked done, or not written at all and processed again. Rows stay invisible until the
 * ingestion is published.
 */
export async function processChunk(
  env: Env,
  ingestion: IngestionRecord,
  chunk: ChunkRecord,
  retry: { stored: ReadonlyMap<number, number>; attempt: number } = { stored: new Map(), attempt: 0 },
): Promise<ChunkOutcome | null> {
  if (chunk.status === "done") return null;
  const head = headOf(ingestion);
  const body = await readRange(env.UPLOADS, ingestion.object_key, ingestion.etag, {
    offset: chunk.byte_start,
    length: chunk.byte_end - chunk.byte_start,
  });
  const { columns, sql } = generatorInsert(head.layout);
  // Row texts are joined into statement payloads as they come, so a chunk's rows are held once.
  const rows = new JsonArrays();
  const seqs: number[] = [];
  const parts = new PlantPartCollector();
  const rejections: Rejection[] = [];
  const outcome: ChunkOutcome = { read: 0, loaded: 0, rejected: 0 };
  let warning: string | null = null;
  for await (const batch of parseGeneratorRecords(pieces(body), {
    layout: head.layout,
    dataYear: head.dataYear,
    newline: head.newline,
    firstLine: chunk.first_line,
    stored: retry.stored,
    onDecodingFallback: (line) => {
      warning = `From line ${line} on, the bytes are not valid UTF-8; they were read as Windows-1252 (Latin-1). Save the file as "CSV UTF-8" to be sure names are exact.`;
    },
  })) {
    outcome.read += batch.read;
    outcome.loaded += batch.rows.length;
    outcome.rejected += batch.rejections.length;
    for (const rejection of batch.rejections) if (rejections.length < REJECTION_SAMPLE) rejections.push(rejection);
    for (const row of batch.rows) {
      rows.add(JSON.stringify(columns.map((read) => read(row))));
      seqs.push(row.seq);
      parts.add(row);
    }
  }

  const db = env.DB;
  const insertGenerators = db.prepare(sql);
  const insertParts = db.prepare(INSERT_PLANT_PARTS);
  let marked: D1Result;
  try {
    const results = await db.batch([
      ...rows.done().map((payload) => insertGenerators.bind(ingestion.id, head.dataYear, payload)),
      ...jsonArrays(parts.tuples()).map((payload) => insertParts.bind(ingestion.id, chunk.chunk_index, payload)),
      ...(rejections.length > 0
        ? [
            db
              .prepare(INSERT_REJECTIONS)
              .bind(ingestion.id, JSON.stringify(rejections.map((r) => [r.line, r.reason, r.raw]))),
          ]
        : []),
      db
        .prepare(
          `UPDATE ingestion_chunks SET status = 'done', rows_read = ?3, rows_loaded = ?4, rows_rejected = ?5, completed_at = ?6,
             warning = ?7, plant_key_sample = ?8
           WHERE ingestion_id = ?1 AND chunk_index = ?2 AND status = 'pending' AND ${STILL_PROCESSING}`,
        )
        .bind(
          ingestion.id,
          chunk.chunk_index,
          outcome.read,
          outcome.loaded,
          outcome.rejected,
          Date.now(),
          warning,
          JSON.stringify(parts.keySample(plantKeySampleStep(env))),
        ),
    ]);
    marked = results.at(-1) as D1Result;
  } catch (error) {
    if (!/UNIQUE constraint failed/.test(String(error))) throw error;
    // Nothing of the batch was written. Either this chunk was stored meanwhile (a redelivered
    // message racing the first), or some of its sequence numbers were stored by another chunk:
    // rows repeated across chunks. Parse again with those rejected as duplicates.
    const status = await db
      .prepare("SELECT status FROM ingestion_chunks WHERE ingestion_id = ?1 AND chunk_index = ?2")
      .bind(ingestion.id, chunk.chunk_index)
      .first<string>("status");
    if (status === "done") return null;
    if (retry.attempt >= MAX_DUPLICATE_RETRIES) throw error;
    const stored = await storedElsewhere(db, ingestion.id, seqs);
    if (stored.size === 0) throw error;
    return processChunk(env, ingestion, chunk, {
      stored: new Map([...retry.stored, ...stored]),
      attempt: retry.attempt + 1,
    });
  }
  // The ingestion ended (retracted, failed, purged) while this chunk was in flight: nothing was written.
  if (!marked.meta.changes) return null;
  return outcome;
}

/** Which of these sequence numbers the ingestion already has, with the line that holds each. */
async function storedElsewhere(db: D1Database, ingestionId: string, seqs: number[]): Promise<Map<number, number>> {
  const found = new Map<number, number>();
  for (const payload of jsonArrays(seqs.map(String))) {
    const { results } = await db
      .prepare("SELECT seq, line FROM generators WHERE ingestion_id = ?1 AND seq IN (SELECT value FROM json_each(?2))")
      .bind(ingestionId, payload)
      .all<{ seq: number; line: number }>();
    for (const { seq, line } of results) found.set(seq, line);
  }
  return found;
}
