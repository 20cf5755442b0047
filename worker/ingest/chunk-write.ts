import type { ChunkRow, IngestionRow } from "../db/rows";
import { STILL_PROCESSING } from "./chunk-conflicts";
import type { Rejection } from "./parse/generator-csv";
import type { GeneratorRow } from "./parse/generator-row";
import type { GenSheetLayout } from "./parse/layout";
import { headOf } from "./rows";

/**
 * Rows travel to D1 as one JSON array per statement and are unpacked by json_each: one bound
 * parameter instead of 17 per row keeps far below D1's 100-parameter and 100 KB SQL-text limits
 * (a bound string may be up to 2 MB) and needs few statements per invocation (limit 1,000).
 */
const STATEMENT_JSON_CHARS = 900_000;

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
export class JsonArrays {
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

export function jsonArrays(values: Iterable<string>): string[] {
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
export interface ParsedChunk {
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

/** The statements that write a parsed chunk and mark it done; the last one marks it. */
export function writeStatements(
  db: D1Database,
  ingestion: IngestionRow,
  chunk: ChunkRow,
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
