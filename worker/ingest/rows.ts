import { and, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { IngestionRow } from "../db/rows";
import { ingestions } from "../db/schema";
import type { FileHead } from "./parse/head";

export function headOf(ingestion: IngestionRow): FileHead {
  if (!ingestion.layout) throw new Error(`ingestion ${ingestion.id} has no layout yet`);
  return JSON.parse(ingestion.layout) as FileHead;
}

/** Ends an ingestion that is not finished yet with a message for the data owner. */
export async function endIngestion(
  db: D1Database,
  id: string,
  status: "failed" | "skipped",
  error: string,
): Promise<void> {
  await drizzle(db)
    .update(ingestions)
    .set({ status, error, completedAt: Date.now() })
    .where(and(eq(ingestions.id, id), inArray(ingestions.status, ["queued", "processing"])));
}
