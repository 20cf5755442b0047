import { findConflicts, renameStatements, resetStatements, STILL_PROCESSING } from "./chunk-conflicts";
import { plantKeySampleStep } from "./finalize";
import { sendAll } from "./messages";
import { parseGeneratorRecords, type Rejection } from "./parse/generator-csv";
import type { GeneratorRow } from "./parse/generator-row";
import type { GenSheetLayout } from "./parse/layout";
import { PlantPartCollector } from "./plant-parts";
import { pieces, readRange } from "./r2-stream";
import { type ChunkRecord, headOf, type IngestionRecord } from "./rows";

export { STILL_PROCESSING } from "./chunk-conflicts";

/**
 * Rows travel to D1 as one JSON array per statement and are unpacked by json_each: one bound
 * parameter instead of 17 per row keeps far below D1's 100-parameter and 100 KB SQL-text limits
 * (a bound string may be up to 2 MB) and needs few statements per invocation (limit 1,000).
 */
const STATEMENT_JSON_CHARS = 900_000;
/** Rejected rows kept per chunk as a sample; the total is always counted. */
const REJECTION_SAMPLE = 25;
/** How often a chunk's batch is tried again after finding rows another chunk stored meanwhile. */
const MAX_DUPLICATE_RETRIES = 5;

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
  // A plain INSERT: a sequence number another chunk already stored fails the whole batch, and
  // processChunk settles by file order which copy stays.
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

/** A chunk parsed: its statement payloads and counts, ready to write. */
interface ParsedChunk {
  outcome: ChunkOutcome;
  generatorPayloads: string[];
  partPayloads: string[];
  keySample: string[];
  rejections: Rejection[];
  seqs: number[];
  /** The line of each of `seqs`. */
  lines: number[];
  warning: string | null;
}

/** Parses one chunk; `stored` holds sequence numbers that earlier lines of the file keep. */
async function parseChunk(
  env: Env,
  ingestion: IngestionRecord,
  chunk: ChunkRecord,
  stored: ReadonlyMap<number, number>,
): Promise<ParsedChunk> {
  const head = headOf(ingestion);
  const body = await readRange(env.UPLOADS, ingestion.object_key, ingestion.etag, {
    offset: chunk.byte_start,
    length: chunk.byte_end - chunk.byte_start,
  });
  const { columns } = generatorInsert(head.layout);
  // Row texts are joined into statement payloads as they come, so a chunk's rows are held once.
  const rows = new JsonArrays();
  const seqs: number[] = [];
  const lines: number[] = [];
  const parts = new PlantPartCollector();
  const rejections: Rejection[] = [];
  const outcome: ChunkOutcome = { read: 0, loaded: 0, rejected: 0 };
  let warning: string | null = null;
  for await (const batch of parseGeneratorRecords(pieces(body), {
    layout: head.layout,
    dataYear: head.dataYear,
    newline: head.newline,
    firstLine: chunk.first_line,
    stored,
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
      lines.push(row.line);
      parts.add(row);
    }
  }
  return {
    outcome,
    generatorPayloads: rows.done(),
    partPayloads: jsonArrays(parts.tuples()),
    keySample: parts.keySample(plantKeySampleStep(env)),
    rejections,
    seqs,
    lines,
    warning,
  };
}

/** The statements that write a parsed chunk and mark it done; the last one marks it. */
function writeStatements(
  db: D1Database,
  ingestion: IngestionRecord,
  chunk: ChunkRecord,
  parsed: ParsedChunk,
): D1PreparedStatement[] {
  const head = headOf(ingestion);
  const insertGenerators = db.prepare(generatorInsert(head.layout).sql);
  const insertParts = db.prepare(INSERT_PLANT_PARTS);
  const { outcome, rejections } = parsed;
  return [
    ...parsed.generatorPayloads.map((payload) => insertGenerators.bind(ingestion.id, head.dataYear, payload)),
    ...parsed.partPayloads.map((payload) => insertParts.bind(ingestion.id, chunk.chunk_index, payload)),
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
        parsed.warning,
        JSON.stringify(parsed.keySample),
      ),
  ];
}

/**
 * Parses one byte range and writes its generators, its plant parts, its rejections and its
 * completion in ONE D1 batch (a transaction): after a crash the chunk is either entirely written
 * and marked done, or not written at all and processed again. Rows stay invisible until the
 * ingestion is published.
 *
 * Rows repeating a sequence number are settled by file order, whatever order chunks commit in:
 * the copy on the smallest line is loaded, later ones are rejected as duplicates of it. A batch
 * that meets a copy stored by an earlier chunk is parsed again with its own copy rejected; one
 * that meets a copy stored by a later chunk resets that chunk in the same transaction (its rows
 * deleted, pending again) and sends it again, to be parsed anew with its copy rejected.
 */
export async function processChunk(
  env: Env,
  ingestion: IngestionRecord,
  chunk: ChunkRecord,
): Promise<ChunkOutcome | null> {
  if (chunk.status === "done") return null;
  const db = env.DB;
  let stored = new Map<number, number>();
  const laterChunks = new Set<number>();
  const takenOver: Array<[number, number, number]> = [];
  let parsed = await parseChunk(env, ingestion, chunk, stored);
  let marked: D1Result;
  for (let attempt = 0; ; attempt++) {
    try {
      const results = await db.batch([
        ...resetStatements(db, ingestion.id, chunk.chunk_index, laterChunks),
        ...renameStatements(db, ingestion.id, chunk.chunk_index, takenOver),
        ...writeStatements(db, ingestion, chunk, parsed),
      ]);
      marked = results.at(-1) as D1Result;
      break;
    } catch (error) {
      if (!/UNIQUE constraint failed/.test(String(error))) throw error;
      // Nothing of the batch was written. Either this chunk was stored meanwhile (a redelivered
      // message racing the first), or other chunks stored some of its sequence numbers.
      const status = await db
        .prepare("SELECT status FROM ingestion_chunks WHERE ingestion_id = ?1 AND chunk_index = ?2")
        .bind(ingestion.id, chunk.chunk_index)
        .first<string>("status");
      if (status === "done") return null;
      if (attempt >= MAX_DUPLICATE_RETRIES) throw error;
      const conflicts = await findConflicts(db, ingestion.id, chunk, parsed.seqs, jsonArrays);
      if (conflicts.earlier.size === 0 && conflicts.laterChunks.size === 0) throw error;
      for (const later of conflicts.laterChunks) laterChunks.add(later);
      parsed.seqs.forEach((seq, i) => {
        const theirs = conflicts.later.get(seq);
        if (theirs !== undefined) takenOver.push([seq, theirs, parsed.lines[i] as number]);
      });
      if (conflicts.earlier.size > 0) {
        stored = new Map([...stored, ...conflicts.earlier]);
        parsed = await parseChunk(env, ingestion, chunk, stored);
      }
    }
  }
  // The ingestion ended (retracted, failed, purged) while this chunk was in flight: nothing was written.
  if (!marked.meta.changes) return null;
  if (laterChunks.size > 0) {
    // After the commit: a reset chunk sent before it could run and find itself still done. Should
    // this send be lost, the reconciler resumes the ingestion's pending chunks.
    await sendAll(
      env.INGEST_QUEUE,
      [...laterChunks].map((chunkIndex) => ({ type: "chunk", ingestionId: ingestion.id, chunkIndex })),
    );
  }
  return parsed.outcome;
}
