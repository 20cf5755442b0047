// Placeholder until the ingest pipeline lands.
export async function handleQueue(batch: MessageBatch, _env: Env): Promise<void> {
  batch.ackAll();
}
