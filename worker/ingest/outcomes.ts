import { CREATE_ACTIONS, DELETE_ACTIONS, ingestionIdFor, isR2EventNotification } from "../../domain/r2-events";
import { readIngestionRecord } from "../db/ingestions";
import type { StatementCounter } from "./d1-counter";
import type { FinalizeRequest } from "./finalize";
import { IngestionFailure, isChunkMessage, isFinalizeMessage, isPurgeMessage } from "./messages";
import { RecordTooLongError } from "./parse/csv-records";
import { ObjectChangedError } from "./r2-stream";
import { retractObject } from "./retract";
import { endIngestion } from "./rows";

// What becomes of a queue message once its work ran: recorded and acknowledged, retried with
// backoff, ended for good (a problem with the file), or given up on the dead-letter queue.

/** A message's work in this invocation, and the publishing it asks for, if any. */
export interface Handled {
  message: Message;
  counter: StatementCounter;
  started: number;
  finalize?: FinalizeRequest;
}

/**
 * After a failure: a problem with the file itself ends the ingestion (the message is
 * acknowledged); anything else retries the message with backoff.
 */
export async function retryOrEnd(env: Env, message: Message, error: unknown): Promise<void> {
  const ingestionId = await ingestionIdOf(message.body);
  if (error instanceof IngestionFailure || error instanceof ObjectChangedError || error instanceof RecordTooLongError) {
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

/** Exponential backoff: 10 s, 20 s, 40 s … capped at 5 minutes; after max_retries the DLQ takes over. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 10 * 2 ** Math.max(0, attempts - 1));
}

export async function ingestionIdOf(body: unknown): Promise<string | undefined> {
  if (isChunkMessage(body) || isPurgeMessage(body) || isFinalizeMessage(body)) return body.ingestionId;
  if (isR2EventNotification(body) && body.object.eTag && CREATE_ACTIONS.has(body.action)) {
    return ingestionIdFor(body.bucket, body.object.key, body.object.eTag);
  }
  return undefined;
}

const kindOf = (body: unknown) =>
  isChunkMessage(body)
    ? "chunk"
    : isPurgeMessage(body)
      ? "purge"
      : isFinalizeMessage(body)
        ? "finalize"
        : "notification";

/** One log line per handled message, and the statement count kept on the ingestion record. */
export async function recordWork(env: Env, { message, counter, started }: Handled): Promise<void> {
  const ingestionId = await ingestionIdOf(message.body);
  const { statements } = counter;
  const ms = Date.now() - started;
  console.log(JSON.stringify({ event: "ingest_message", kind: kindOf(message.body), ingestionId, statements, ms }));
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
export async function giveUp(env: Env, message: Message): Promise<void> {
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
