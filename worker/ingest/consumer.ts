import { CREATE_ACTIONS, DELETE_ACTIONS, ingestionIdFor, isR2EventNotification } from "../../domain/r2-events";
import { readIngestionRecord } from "../db/ingestions";
import type { ChunkRow, IngestionRow } from "../db/rows";
import { processChunk } from "./chunk";
import { countingD1, type StatementCounter } from "./d1-counter";
import { finalizeIfComplete } from "./finalize";
import { IngestionFailure, isChunkMessage, isPurgeMessage, sendAll } from "./messages";
import { RecordTooLongError } from "./parse/csv-records";
import { ObjectChangedError } from "./r2-stream";
import { purgeIngestionRows, retractObject } from "./retract";
import { endIngestion } from "./rows";
import { startIngestion } from "./start";

/** Messages of one batch handled at the same time (see handleQueue). */
const MESSAGE_CONCURRENCY = 2;

/** Hooks for fault-injection tests: called as each stage begins; a throw simulates a crash there. */
export interface PipelineHooks {
  stage?(
    name: "start" | "chunk" | "finalize",
    detail: { ingestionId: string; chunkIndex?: number },
  ): void | Promise<void>;
}

/**
 * Queue consumer for the ingest queue and its dead-letter queue. Each message is acknowledged
 * only after its work is committed; a transient failure (D1, R2) retries it with backoff, and a
 * problem with the file itself ends the ingestion with a message for the data owner.
 */
export async function handleQueue(batch: MessageBatch, env: Env, hooks: PipelineHooks = {}): Promise<void> {
  const deadLetters = batch.queue.endsWith("-dlq");
  const handle = async (message: Message): Promise<void> => {
    try {
      if (deadLetters) await giveUp(env, message);
      else {
        const counter: StatementCounter = { statements: 0 };
        const started = Date.now();
        await handleIngestMessage({ ...env, DB: countingD1(env.DB, counter) }, message.body, hooks);
        await recordWork(env, message.body, counter.statements, Date.now() - started);
      }
      message.ack();
    } catch (error) {
      const ingestionId = await ingestionIdOf(message.body);
      if (
        error instanceof IngestionFailure ||
        error instanceof ObjectChangedError ||
        error instanceof RecordTooLongError
      ) {
        if (ingestionId) await endIngestion(env.DB, ingestionId, "failed", error.message);
        message.ack();
        return;
      }
      console.error(
        JSON.stringify({ event: "ingest_retry", ingestionId, attempts: message.attempts, error: String(error) }),
      );
      if (ingestionId) await noteAttempt(env, ingestionId, message.attempts, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  };
  // Two messages at a time: one chunk parses while the other's D1 batch is in flight. With
  // 512 KiB chunks that keeps at most ~1 MiB of rows in memory, as one 1 MiB chunk would.
  const pending = [...batch.messages];
  const worker = async () => {
    for (let message = pending.shift(); message; message = pending.shift()) await handle(message);
  };
  await Promise.all(Array.from({ length: MESSAGE_CONCURRENCY }, worker));
}

/** Exponential backoff: 10 s, 20 s, 40 s … capped at 5 minutes; after max_retries the DLQ takes over. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 10 * 2 ** Math.max(0, attempts - 1));
}

/** Does the work one queue message asks for. Exported for tests that drive the pipeline step by step. */
export async function handleIngestMessage(env: Env, body: unknown, hooks: PipelineHooks = {}): Promise<void> {
  if (isChunkMessage(body)) {
    const ingestion = await readIngestionRecord(env.DB, body.ingestionId);
    if (ingestion?.status !== "processing") return;
    const chunk = await env.DB.prepare("SELECT * FROM ingestion_chunks WHERE ingestion_id = ? AND chunk_index = ?")
      .bind(body.ingestionId, body.chunkIndex)
      .first<ChunkRow>();
    if (!chunk) throw new IngestionFailure(`Chunk ${body.chunkIndex} of ingestion ${body.ingestionId} does not exist.`);
    await hooks.stage?.("chunk", { ingestionId: ingestion.id, chunkIndex: chunk.chunk_index });
    await processChunk(env, ingestion, chunk);
    await hooks.stage?.("finalize", { ingestionId: ingestion.id });
    await finalizeIfComplete(env, ingestion.id);
    return;
  }
  if (isPurgeMessage(body)) {
    if (!(await purgeIngestionRows(env, body.ingestionId))) await sendAll(env.INGEST_QUEUE, [body]);
    return;
  }
  if (!isR2EventNotification(body)) {
    console.warn(JSON.stringify({ event: "ingest_unknown_message", body: JSON.stringify(body).slice(0, 200) }));
    return;
  }
  if (DELETE_ACTIONS.has(body.action)) {
    await retractObject(env, body.bucket, body.object.key);
    return;
  }
  if (!CREATE_ACTIONS.has(body.action)) return;
  const ingestion = await startIngestion(env, body);
  if (!ingestion) return;
  await hooks.stage?.("start", { ingestionId: ingestion.id });
  await runPendingChunks(env, ingestion, hooks);
}

/**
 * A one-chunk file is processed right here (small files are visible in about a second); larger
 * ones fan out as one message per pending chunk. Re-sending a chunk that is being processed is
 * harmless: chunk writes are idempotent.
 */
async function runPendingChunks(env: Env, ingestion: IngestionRow, hooks: PipelineHooks): Promise<void> {
  const { results: pending } = await env.DB.prepare(
    "SELECT * FROM ingestion_chunks WHERE ingestion_id = ? AND status = 'pending' ORDER BY chunk_index",
  )
    .bind(ingestion.id)
    .all<ChunkRow>();
  if (ingestion.chunk_count === 1 && pending[0]) {
    await hooks.stage?.("chunk", { ingestionId: ingestion.id, chunkIndex: 0 });
    await processChunk(env, ingestion, pending[0]);
  } else if (pending.length > 0) {
    await sendAll(
      env.INGEST_QUEUE,
      pending.map((c) => ({ type: "chunk", ingestionId: ingestion.id, chunkIndex: c.chunk_index })),
    );
    return;
  }
  await hooks.stage?.("finalize", { ingestionId: ingestion.id });
  await finalizeIfComplete(env, ingestion.id);
}

async function ingestionIdOf(body: unknown): Promise<string | undefined> {
  if (isChunkMessage(body) || isPurgeMessage(body)) return body.ingestionId;
  if (isR2EventNotification(body) && body.object.eTag && CREATE_ACTIONS.has(body.action)) {
    return ingestionIdFor(body.bucket, body.object.key, body.object.eTag);
  }
  return undefined;
}

/** One log line per handled message, and the statement count kept on the ingestion record. */
async function recordWork(env: Env, body: unknown, statements: number, ms: number): Promise<void> {
  const ingestionId = await ingestionIdOf(body);
  const kind = isChunkMessage(body) ? "chunk" : isPurgeMessage(body) ? "purge" : "notification";
  console.log(JSON.stringify({ event: "ingest_message", kind, ingestionId, statements, ms }));
  if (!ingestionId || statements === 0) return;
  await env.DB.prepare("UPDATE ingestions SET d1_statements = d1_statements + ?2 WHERE id = ?1")
    .bind(ingestionId, statements + 1)
    .run();
}

async function noteAttempt(env: Env, ingestionId: string, attempts: number, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  try {
    await env.DB.prepare(
      "UPDATE ingestions SET attempts = attempts + 1, error = ?2 WHERE id = ?1 AND status IN ('queued', 'processing')",
    )
      .bind(ingestionId, `Attempt ${attempts} failed, retrying: ${message.slice(0, 500)}`)
      .run();
  } catch {
    // D1 itself may be what failed; the retry is scheduled either way.
  }
}

/**
 * A message that exhausted its retries. A delete is retried as a retraction here (a throw retries
 * it on the dead-letter queue; past that, the reconciler finds the object gone); any other
 * message's ingestion fails, keeping the last reason.
 */
async function giveUp(env: Env, message: Message): Promise<void> {
  const body = message.body;
  if (isR2EventNotification(body) && DELETE_ACTIONS.has(body.action)) {
    await retractObject(env, body.bucket, body.object.key);
    return;
  }
  const ingestionId = await ingestionIdOf(body);
  if (!ingestionId) return;
  const ingestion = await readIngestionRecord(env.DB, ingestionId);
  const last = ingestion?.error?.replace(/^Attempt \d+ failed, retrying: /, "") ?? "unknown error";
  await endIngestion(
    env.DB,
    ingestionId,
    "failed",
    `Gave up after ${ingestion?.attempts ?? "repeated"} failed attempts: ${last}. Fix the cause, then upload the file again (the same file is fine).`,
  );
}
