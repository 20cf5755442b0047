import type { R2EventNotification } from "../../domain/r2-events";
import type { FinalizeCursor } from "./finalize";

/** Process one byte range of an ingestion. */
export interface ChunkMessage {
  type: "chunk";
  ingestionId: string;
  chunkIndex: number;
}

/** Delete the generator and plant rows of an ingestion that is no longer published. */
export interface PurgeMessage {
  type: "purge";
  ingestionId: string;
}

/**
 * Publish an ingestion whose chunks are all done, from `from` (the start when absent): sent when
 * publishing needs more statements than one invocation has left (worker/ingest/budget.ts).
 */
export interface FinalizeMessage {
  type: "finalize";
  ingestionId: string;
  from?: FinalizeCursor;
}

/** Everything the ingest queue carries: R2's notifications and the pipeline's own work items. */
export type IngestMessage = R2EventNotification | ChunkMessage | PurgeMessage | FinalizeMessage;

export function isChunkMessage(body: unknown): body is ChunkMessage {
  return (body as ChunkMessage | null)?.type === "chunk" && typeof (body as ChunkMessage).ingestionId === "string";
}

export function isFinalizeMessage(body: unknown): body is FinalizeMessage {
  return (
    (body as FinalizeMessage | null)?.type === "finalize" && typeof (body as FinalizeMessage).ingestionId === "string"
  );
}

export function isPurgeMessage(body: unknown): body is PurgeMessage {
  return (body as PurgeMessage | null)?.type === "purge" && typeof (body as PurgeMessage).ingestionId === "string";
}

/**
 * A problem with the file or object itself: retrying cannot help, so the ingestion is marked
 * failed with this message (written for the data owner) and the message is acknowledged.
 */
export class IngestionFailure extends Error {}

/** Sends any number of messages, in the groups of at most 100 that sendBatch accepts. */
export async function sendAll(queue: Queue, bodies: IngestMessage[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 100) {
    await queue.sendBatch(bodies.slice(i, i + 100).map((body) => ({ body })));
  }
}
