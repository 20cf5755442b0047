import { parseGeneratorRecords, type Rejection } from "./parse/generator-csv";
import type { GeneratorRow } from "./parse/generator-row";
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

const INSERT_GENERATORS = `INSERT INTO generators (ingestion_id, data_year, line, seq, plant_key, state, plant_name, orispl,
  generator_id, net_generation_mwh, status, prime_mover, fuel, capacity_mw, capacity_factor, year_online, year_retired)
  SELECT ?1, ?2, v ->> 0, v ->> 1, v ->> 2, v ->> 3, v ->> 4, v ->> 5, v ->> 6, v ->> 7, v ->> 8, v ->> 9, v ->> 10,
    v ->> 11, v ->> 12, v ->> 13, v ->> 14
  FROM (SELECT value AS v FROM json_each(?3)) WHERE true
  ON CONFLICT DO NOTHING`;

const INSERT_REJECTIONS = `INSERT INTO rejected_rows (ingestion_id, line, reason, raw)
  SELECT ?1, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?2) WHERE true ON CONFLICT DO NOTHING`;

export interface ChunkOutcome {
  read: number;
  loaded: number;
  rejected: number;
}

/**
 * Parses one byte range and writes its generators, rejections and completion in ONE D1 batch
 * (a transaction): after a crash the chunk is either entirely written and marked done, or not
 * written at all and processed again. Rows stay invisible until the ingestion is published.
 */
export async function processChunk(
  env: Env,
  ingestion: IngestionRecord,
  chunk: ChunkRecord,
): Promise<ChunkOutcome | null> {
  if (chunk.status === "done") return null;
  const head = headOf(ingestion);
  const body = await readRange(env.UPLOADS, ingestion.object_key, ingestion.etag, {
    offset: chunk.byte_start,
    length: chunk.byte_end - chunk.byte_start,
  });
  const payloads: string[] = [];
  let json: string[] = [];
  let jsonChars = 0;
  const rejections: Rejection[] = [];
  const outcome: ChunkOutcome = { read: 0, loaded: 0, rejected: 0 };
  let warning: string | null = null;
  for await (const batch of parseGeneratorRecords(pieces(body), {
    layout: head.layout,
    dataYear: head.dataYear,
    newline: head.newline,
    firstLine: chunk.first_line,
    onDecodingFallback: (line) => {
      warning = `From line ${line} on, the bytes are not valid UTF-8; they were read as Windows-1252 (Latin-1). Save the file as "CSV UTF-8" to be sure names are exact.`;
    },
  })) {
    outcome.read += batch.read;
    outcome.loaded += batch.rows.length;
    outcome.rejected += batch.rejections.length;
    for (const rejection of batch.rejections) if (rejections.length < REJECTION_SAMPLE) rejections.push(rejection);
    for (const row of batch.rows) {
      const text = JSON.stringify(rowTuple(row));
      json.push(text);
      jsonChars += text.length + 1;
      if (jsonChars >= STATEMENT_JSON_CHARS) {
        payloads.push(`[${json.join(",")}]`);
        json = [];
        jsonChars = 0;
      }
    }
  }
  if (json.length > 0) payloads.push(`[${json.join(",")}]`);

  const db = env.DB;
  const insert = db.prepare(INSERT_GENERATORS);
  const results = await db.batch([
    ...payloads.map((payload) => insert.bind(ingestion.id, head.dataYear, payload)),
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
           warning = ?7
         WHERE ingestion_id = ?1 AND chunk_index = ?2 AND status = 'pending'`,
      )
      .bind(ingestion.id, chunk.chunk_index, outcome.read, outcome.loaded, outcome.rejected, Date.now(), warning),
  ]);
  const stored = results.slice(0, payloads.length).reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
  if (stored < outcome.loaded && results.at(-1)?.meta.changes) {
    // Rows whose sequence number another chunk already stored were skipped by ON CONFLICT: a
    // duplicate across chunks. Rare, so looked up only when the counts show it happened.
    await recordCrossChunkDuplicates(env.DB, ingestion.id, chunk.chunk_index, payloads);
  }
  return outcome;
}

const FIND_DUPLICATES = `SELECT v ->> 0 AS line, g.line AS first_line, g.seq AS seq, v AS raw
  FROM (SELECT value AS v FROM json_each(?2)) JOIN generators AS g ON g.ingestion_id = ?1 AND g.seq = v ->> 1
  WHERE g.line <> v ->> 0`;

async function recordCrossChunkDuplicates(db: D1Database, ingestionId: string, chunkIndex: number, payloads: string[]) {
  const duplicates: Array<{ line: number; first_line: number; seq: number; raw: string }> = [];
  for (const payload of payloads) {
    const { results } = await db.prepare(FIND_DUPLICATES).bind(ingestionId, payload).all<(typeof duplicates)[number]>();
    duplicates.push(...results);
  }
  if (duplicates.length === 0) return;
  const sample = duplicates
    .slice(0, REJECTION_SAMPLE)
    .map((d) => [d.line, `duplicate of line ${d.first_line} (same sequence number ${d.seq})`, d.raw.slice(0, 300)]);
  await db.batch([
    db.prepare(INSERT_REJECTIONS).bind(ingestionId, JSON.stringify(sample)),
    db
      .prepare(
        `UPDATE ingestion_chunks SET rows_loaded = rows_loaded - ?3, rows_rejected = rows_rejected + ?3
         WHERE ingestion_id = ?1 AND chunk_index = ?2`,
      )
      .bind(ingestionId, chunkIndex, duplicates.length),
  ]);
}

function rowTuple(row: GeneratorRow): unknown[] {
  return [
    row.line,
    row.seq,
    row.plantKey,
    row.state,
    row.plantName,
    row.orispl,
    row.generatorId,
    row.netGenerationMwh,
    row.status,
    row.primeMover,
    row.fuel,
    row.capacityMw,
    row.capacityFactor,
    row.yearOnline,
    row.yearRetired,
  ];
}
