// Placeholder until the ingest pipeline lands.
export async function reconcile(_env: Env): Promise<void> {}
