import type { ChunkRow, IngestionRow } from "../db/rows";
import { findConflicts, renameStatements, resetStatements } from "./chunk-conflicts";
import {
  type ChunkOutcome,
  generatorInsert,
  JsonArrays,
  jsonArrays,
  type ParsedChunk,
  writeStatements,
} from "./chunk-write";
import { sendAll } from "./messages";
import { parseGeneratorRecords, type Rejection } from "./parse/generator-csv";
import { PlantPartCollector, plantKeySampleStep } from "./plant-parts";
import { pieces, readRange } from "./r2-stream";
import { headOf } from "./rows";
import { slices, yieldThread } from "./yield-thread";

export { STILL_PROCESSING } from "./chunk-conflicts";
export { type ChunkOutcome, generatorInsert } from "./chunk-write";

/** Rejected rows kept per chunk as a sample; the total is always counted. */
const REJECTION_SAMPLE = 25;
/** How often a chunk's batch is tried again after finding rows another chunk stored meanwhile. */
const MAX_DUPLICATE_RETRIES = 5;

/**
 * One JSON line per chunk write batch: the batch is one transaction, and locally (SQLite in the
 * API's own workerd) every request waits while it runs, so its ms is how long a reader may wait
 * behind one chunk. bench:load reads these lines.
 */
function logChunkBatch(ingestionId: string, chunkIndex: number, statements: number, rows: number, ms: number): void {
  console.log(JSON.stringify({ event: "chunk_batch", ingestionId, chunkIndex, statements, rows, ms }));
}

/** Parses one chunk; `stored` holds sequence numbers that earlier lines of the file keep. */
async function parseChunk(
  env: Env,
  ingestion: IngestionRow,
  chunk: ChunkRow,
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
  for await (const batch of parseGeneratorRecords(slices(pieces(body)), {
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
    // One slice (PARSE_SLICE_BYTES) at a time, so readers wait ~15 ms, not the whole chunk.
    await yieldThread();
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
export async function processChunk(env: Env, ingestion: IngestionRow, chunk: ChunkRow): Promise<ChunkOutcome | null> {
  if (chunk.status === "done") return null;
  const db = env.DB;
  let stored = new Map<number, number>();
  const laterChunks = new Set<number>();
  const takenOver: Array<[number, number, number]> = [];
  let parsed = await parseChunk(env, ingestion, chunk, stored);
  let marked: D1Result;
  for (let attempt = 0; ; attempt++) {
    try {
      const at = Date.now();
      const results = await db.batch([
        ...resetStatements(db, ingestion.id, chunk.chunk_index, laterChunks),
        ...renameStatements(db, ingestion.id, chunk.chunk_index, takenOver),
        ...writeStatements(db, ingestion, chunk, parsed),
      ]);
      marked = results.at(-1) as D1Result;
      logChunkBatch(ingestion.id, chunk.chunk_index, results.length, parsed.outcome.loaded, Date.now() - at);
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
