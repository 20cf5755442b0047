import type { ChunkRow } from "../db/rows";
import { STILL_PROCESSING } from "../db/sql/guards";

// A chunk still in flight when its ingestion was retracted, failed or purged writes nothing.
export { STILL_PROCESSING };

/**
 * Sequence numbers of a chunk that other chunks of the ingestion stored first. Of rows repeating
 * a sequence number, the one on the smallest line is kept, whatever order the chunks commit in.
 */
export interface Conflicts {
  /** Stored by an earlier chunk (smaller line), with that line: this chunk's copies are duplicates. */
  earlier: Map<number, number>;
  /** Later chunks that stored a copy of one of this chunk's rows: they give it up (see resetStatements). */
  laterChunks: Set<number>;
  /** The sequence numbers those later chunks stored, with the lines they stored them from. */
  later: Map<number, number>;
}

/** Which of a chunk's sequence numbers other chunks stored, and where. Runs only after a conflict. */
export async function findConflicts(
  db: D1Database,
  ingestionId: string,
  chunk: ChunkRow,
  seqs: number[],
  payloads: (values: Iterable<string>) => string[],
): Promise<Conflicts> {
  const conflicts: Conflicts = { earlier: new Map(), laterChunks: new Set(), later: new Map() };
  const stored = new Map<number, number>();
  for (const payload of payloads(seqs.map(String))) {
    const { results } = await db
      .prepare("SELECT seq, line FROM generators WHERE ingestion_id = ?1 AND seq IN (SELECT value FROM json_each(?2))")
      .bind(ingestionId, payload)
      .all<{ seq: number; line: number }>();
    for (const { seq, line } of results) stored.set(seq, line);
  }
  if (stored.size === 0) return conflicts;
  const { results: starts } = await db
    .prepare("SELECT chunk_index, first_line FROM ingestion_chunks WHERE ingestion_id = ?1 ORDER BY chunk_index")
    .bind(ingestionId)
    .all<{ chunk_index: number; first_line: number }>();
  for (const [seq, line] of stored) {
    if (line < chunk.first_line) conflicts.earlier.set(seq, line);
    else {
      const owner = chunkOfLine(starts, line);
      if (owner === chunk.chunk_index) continue;
      conflicts.laterChunks.add(owner);
      conflicts.later.set(seq, line);
    }
  }
  return conflicts;
}

/** The chunk whose lines include `line`: chunks are numbered in file order (see planChunks). */
function chunkOfLine(starts: Array<{ chunk_index: number; first_line: number }>, line: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((starts[middle] as { first_line: number }).first_line <= line) low = middle;
    else high = middle - 1;
  }
  return (starts[low] as { chunk_index: number }).chunk_index;
}

// ?1 ingestion, ?2 the later chunk to reset, ?3 the chunk whose batch this is. A reset happens
// only with that batch (the chunk still pending, so this is its first commit), only to a chunk
// that is done, and only while the ingestion is processing.
const RESET_GUARD = `${STILL_PROCESSING}
  AND (SELECT status FROM ingestion_chunks WHERE ingestion_id = ?1 AND chunk_index = ?3) = 'pending'
  AND (SELECT status FROM ingestion_chunks WHERE ingestion_id = ?1 AND chunk_index = ?2) = 'done'`;

export const RESET_CHUNK = [
  // A done chunk's generators are exactly the sequence numbers listed in its plant parts.
  `DELETE FROM generators WHERE ingestion_id = ?1 AND seq IN (
     SELECT j.value FROM plant_parts AS p, json_each(p.seqs) AS j WHERE p.ingestion_id = ?1 AND p.chunk_index = ?2)
   AND ${RESET_GUARD}`,
  `DELETE FROM plant_parts WHERE ingestion_id = ?1 AND chunk_index = ?2 AND ${RESET_GUARD}`,
  `DELETE FROM rejected_rows WHERE ingestion_id = ?1
     AND line >= (SELECT first_line FROM ingestion_chunks WHERE ingestion_id = ?1 AND chunk_index = ?2)
     AND line < coalesce((SELECT first_line FROM ingestion_chunks WHERE ingestion_id = ?1 AND chunk_index = ?2 + 1),
       9223372036854775807)
     AND ${RESET_GUARD}`,
  `UPDATE ingestion_chunks SET status = 'pending', rows_read = 0, rows_loaded = 0, rows_rejected = 0,
     completed_at = NULL, warning = NULL, plant_key_sample = NULL
   WHERE ingestion_id = ?1 AND chunk_index = ?2 AND ${RESET_GUARD}`,
];

/**
 * Statements that undo later chunks which stored copies of this chunk's rows, to run first in
 * this chunk's batch (one transaction): the later chunks become pending again with nothing
 * written, and are sent again (see processChunk), to be parsed anew, now rejecting their copies.
 */
export function resetStatements(
  db: D1Database,
  ingestionId: string,
  chunkIndex: number,
  laterChunks: Iterable<number>,
): D1PreparedStatement[] {
  const statements = RESET_CHUNK.map((sql) => db.prepare(sql));
  return [...laterChunks].flatMap((later) =>
    statements.map((statement) => statement.bind(ingestionId, later, chunkIndex)),
  );
}

// Mirrors the reason parseGeneratorRecords gives a duplicate: "duplicate of line 5 (same sequence number 3)".
const duplicateReason = (line: string, seq: string) =>
  `'duplicate of line ' || (${line}) || ' (same sequence number ' || (${seq}) || ')'`;

/**
 * A copy that a later chunk rejected as a duplicate of a row this chunk now takes over (a third
 * copy, or more) names the line this chunk keeps: the same reason whatever order chunks commit in.
 * Runs only after a conflict, over the ingestion's rejected-row sample (at most 25 per chunk).
 */
export const RENAME_DUPLICATES = `UPDATE rejected_rows SET reason = ${duplicateReason("t.value ->> 2", "t.value ->> 0")}
  FROM json_each(?2) AS t
  WHERE rejected_rows.ingestion_id = ?1 AND rejected_rows.reason = ${duplicateReason("t.value ->> 1", "t.value ->> 0")}
    AND ${STILL_PROCESSING}
    AND (SELECT status FROM ingestion_chunks WHERE ingestion_id = ?1 AND chunk_index = ?3) = 'pending'`;

/** Renames duplicate reasons from the lines later chunks held to the lines this chunk keeps: [seq, old, new]. */
export function renameStatements(
  db: D1Database,
  ingestionId: string,
  chunkIndex: number,
  takenOver: Array<[number, number, number]>,
): D1PreparedStatement[] {
  if (takenOver.length === 0) return [];
  return [db.prepare(RENAME_DUPLICATES).bind(ingestionId, JSON.stringify(takenOver), chunkIndex)];
}
