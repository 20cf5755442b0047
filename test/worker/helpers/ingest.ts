import { env } from "cloudflare:workers";
import { bareEtag } from "../../../domain/etag";
import { TERMINAL_STATUSES } from "../../../domain/ingestions";
import { ingestionIdFor, notificationForObject, type R2EventNotification } from "../../../domain/r2-events";
import type { IngestionRow } from "../../../worker/db/rows";

export type { IngestionRow };

/** Reads a real eGRID file shipped in data/egrid/ (through the FIXTURES binding); throws when absent. */
export async function realDataFile(name: string): Promise<Uint8Array> {
  const response = await env.FIXTURES.fetch(`http://fixtures/${encodeURIComponent(name)}`);
  if (!response.ok) throw new Error(`data/egrid/${name} is missing from the repository: ${await response.text()}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Puts an object into the real R2 binding and returns the notification R2 would send for it. */
export async function putObject(key: string, body: string | Uint8Array): Promise<R2EventNotification> {
  const object = await env.UPLOADS.put(key, body);
  if (!object) throw new Error(`put ${key} failed`);
  return notificationForObject(env.UPLOADS_BUCKET_NAME, object);
}

export async function ingestionIdOfKey(key: string): Promise<string> {
  const head = await env.UPLOADS.head(key);
  if (!head) throw new Error(`no object ${key}`);
  return ingestionIdFor(env.UPLOADS_BUCKET_NAME, key, bareEtag(head.etag));
}

/** Polls D1 until the ingestion reaches a terminal status (the consumer runs on the real queue). */
export async function waitForIngestion(id: string, timeoutMs = 50_000): Promise<IngestionRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await env.DB.prepare("SELECT * FROM ingestions WHERE id = ?").bind(id).first<IngestionRow>();
    if (row && TERMINAL_STATUSES.has(row.status)) return row;
    if (Date.now() > deadline) throw new Error(`ingestion ${id} not finished: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The data owner's path end to end: object into R2, R2's notification body onto the real ingest
 * queue, the worker's queue consumer, D1. Resolves with the finished ingestion record.
 */
export async function ingestCsv(
  csv: string | Uint8Array,
  key = `uploads/${crypto.randomUUID()}.csv`,
): Promise<IngestionRow> {
  const notification = await putObject(key, csv);
  await env.INGEST_QUEUE.send(notification);
  return waitForIngestion(await ingestionIdOfKey(key));
}
