import { CREATE_ACTIONS, DELETE_ACTIONS, isR2EventNotification } from "../../domain/r2-events";
import { readIngestionRecord } from "../db/ingestions";
import type { ChunkRow, IngestionRow } from "../db/rows";
import { invocationRoom, statementsPerInvocation } from "./budget";
import { processChunk } from "./chunk";
import { countingD1, type StatementCounter } from "./d1-counter";
import { FINALIZE_STEPS, type FinalizeCursor, type FinalizeRequest, finalizeIngestion } from "./finalize";
import { IngestionFailure, isChunkMessage, isFinalizeMessage, isPurgeMessage, sendAll } from "./messages";
import { giveUp, type Handled, recordWork, retryOrEnd } from "./outcomes";
import { purgeIngestionRows, retractObject } from "./retract";
import { startIngestion } from "./start";

export { retryDelaySeconds } from "./outcomes";

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
 *
 * The batch is one invocation, and D1 allows it 1,000 statements: the messages' own work comes
 * first (bounded per message), then the publishing they asked for runs within what is left of
 * the budget (worker/ingest/budget.ts) and continues in a finalize message when that runs out.
 */
export async function handleQueue(batch: MessageBatch, env: Env, hooks: PipelineHooks = {}): Promise<void> {
  const deadLetters = batch.queue.endsWith("-dlq");
  const invocation: StatementCounter = { statements: 0 };
  const counted: Env = { ...env, DB: countingD1(env.DB, invocation) };
  const finalizing: Handled[] = [];
  const handle = async (message: Message): Promise<void> => {
    const work: Handled = { message, counter: { statements: 0 }, started: Date.now() };
    try {
      if (deadLetters) await giveUp(counted, message);
      else {
        const own = { ...counted, DB: countingD1(counted.DB, work.counter) };
        work.finalize = await handleIngestMessage(own, message.body, hooks);
        if (work.finalize) {
          finalizing.push(work);
          return;
        }
        await recordWork(counted, work);
      }
      message.ack();
    } catch (error) {
      await retryOrEnd(counted, message, error);
    }
  };
  // Two messages at a time: one chunk parses while the other's D1 batch is in flight. With
  // 512 KiB chunks that keeps at most ~1 MiB of rows in memory, as one 1 MiB chunk would.
  const pending = [...batch.messages];
  const worker = async () => {
    for (let message = pending.shift(); message; message = pending.shift()) await handle(message);
  };
  await Promise.all(Array.from({ length: MESSAGE_CONCURRENCY }, worker));
  await finalizeRequested(counted, invocation, finalizing, hooks);
  console.log(
    JSON.stringify({
      event: "ingest_batch",
      queue: batch.queue,
      messages: batch.messages.length,
      statements: invocation.statements,
    }),
  );
}

/**
 * Publishes what the batch's messages asked for, one ingestion at a time, after all their other
 * work, so the statements left are known: each run stops before the invocation's budget, keeping
 * one statement per message still to record, and sends a finalize message to go on from there.
 * Requests for the same ingestion run once, from the furthest position any of them carries
 * (a position is only sent once every step before it is done). The messages are acknowledged
 * after that; a failure retries them all.
 */
async function finalizeRequested(
  env: Env,
  invocation: StatementCounter,
  finalizing: Handled[],
  hooks: PipelineHooks,
): Promise<void> {
  const limit = statementsPerInvocation(env);
  const groups = new Map<string, Handled[]>();
  for (const work of finalizing) {
    const id = (work.finalize as FinalizeRequest).ingestionId;
    groups.set(id, [...(groups.get(id) ?? []), work]);
  }
  let unrecorded = finalizing.length;
  for (const [ingestionId, group] of groups) {
    const from = group.map((work) => work.finalize?.from).reduce((a, b) => (stepOf(b) > stepOf(a) ? b : a));
    const lead = group[0] as Handled;
    try {
      await hooks.stage?.("finalize", { ingestionId });
      const room = invocationRoom(invocation, limit, unrecorded);
      const left = await finalizeIngestion({ ...env, DB: countingD1(env.DB, lead.counter) }, ingestionId, room, from);
      if (left) await sendAll(env.INGEST_QUEUE, [{ type: "finalize", ingestionId, from: left }]);
      for (const work of group) {
        unrecorded--;
        await recordWork(env, work);
        work.message.ack();
      }
    } catch (error) {
      for (const work of group) {
        unrecorded--;
        await retryOrEnd(env, work.message, error);
      }
    }
  }
}

const stepOf = (cursor: FinalizeCursor | undefined): number => (cursor ? FINALIZE_STEPS.indexOf(cursor.step) : -1);

/**
 * Does the work one queue message asks for, and returns the publishing it asks for: after a
 * chunk (publishing checks that every chunk is done), or a finalize message. Exported for tests
 * that drive the pipeline step by step.
 */
export async function handleIngestMessage(
  env: Env,
  body: unknown,
  hooks: PipelineHooks = {},
): Promise<FinalizeRequest | undefined> {
  if (isFinalizeMessage(body)) return { ingestionId: body.ingestionId, from: body.from };
  if (isChunkMessage(body)) {
    const ingestion = await readIngestionRecord(env.DB, body.ingestionId);
    if (ingestion?.status !== "processing") return;
    const chunk = await env.DB.prepare("SELECT * FROM ingestion_chunks WHERE ingestion_id = ? AND chunk_index = ?")
      .bind(body.ingestionId, body.chunkIndex)
      .first<ChunkRow>();
    if (!chunk) throw new IngestionFailure(`Chunk ${body.chunkIndex} of ingestion ${body.ingestionId} does not exist.`);
    await hooks.stage?.("chunk", { ingestionId: ingestion.id, chunkIndex: chunk.chunk_index });
    await processChunk(env, ingestion, chunk);
    return { ingestionId: ingestion.id };
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
  return runPendingChunks(env, ingestion, hooks);
}

/**
 * A one-chunk file is processed right here and published in the same invocation when the
 * budget allows (small files are visible in about a second); larger ones fan out as one message
 * per pending chunk. Re-sending a chunk that is being processed is harmless: chunk writes are
 * idempotent.
 */
async function runPendingChunks(
  env: Env,
  ingestion: IngestionRow,
  hooks: PipelineHooks,
): Promise<FinalizeRequest | undefined> {
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
  return { ingestionId: ingestion.id };
}
