import { and, desc, eq, exists, getTableColumns, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { IngestionStatus } from "../../../domain/ingestions";
import { datasets, ingestionChunks, ingestions, rejectedRows } from "../../db/schema";
import type { IngestionDetail, IngestionView } from "../schemas/ingestions";

/** Every column of the ingestion, with its progress and whether its year serves it. */
function selectIngestions(db: ReturnType<typeof drizzle>) {
  return db
    .select({
      ...getTableColumns(ingestions),
      chunksDone: db.$count(
        ingestionChunks,
        and(eq(ingestionChunks.ingestionId, ingestions.id), eq(ingestionChunks.status, "done")),
      ),
      active: sql<boolean>`${exists(
        db
          .select({ one: sql`1` })
          .from(datasets)
          .where(and(eq(datasets.ingestionId, ingestions.id), isNull(datasets.withdrawnAt))),
      )}`.mapWith((v) => v === 1),
    })
    .from(ingestions);
}

type Selected = Awaited<ReturnType<ReturnType<typeof selectIngestions>["all"]>>[number];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toView(r: Selected): IngestionView {
  return {
    id: r.id,
    bucket: r.bucket,
    objectKey: r.objectKey,
    status: r.status,
    error: r.error,
    holdReason: r.status === "held" ? r.holdReason : null,
    active: r.active,
    dataYear: r.dataYear,
    sizeBytes: r.sizeBytes,
    rows: { read: r.rowsRead, loaded: r.rowsLoaded, rejected: r.rowsRejected },
    plantCount: r.plantCount,
    chunks: { total: r.chunkCount, done: r.chunksDone },
    attempts: r.attempts,
    replacedIngestionId: r.replacedIngestionId,
    supersededBy: r.supersededBy,
    uploadedBy: r.uploadedBy,
    timings: {
      uploadedAt: iso(r.uploadedAt),
      queuedAt: new Date(r.queuedAt).toISOString(),
      startedAt: iso(r.startedAt),
      completedAt: iso(r.completedAt),
      durationMs: r.completedAt !== null && r.startedAt !== null ? r.completedAt - r.startedAt : null,
    },
  };
}

/** Newest ingestions first, optionally of one status. */
export async function listIngestions(
  d1: D1Database,
  options: { limit: number; status?: IngestionStatus },
): Promise<IngestionView[]> {
  const db = drizzle(d1);
  const rows = await selectIngestions(db)
    .where(options.status ? eq(ingestions.status, options.status) : undefined)
    .orderBy(desc(ingestions.queuedAt))
    .limit(options.limit);
  return rows.map(toView);
}

/** One ingestion with a sample of its rejected rows (one D1 batch), or null. */
export async function getIngestion(d1: D1Database, id: string, sampleSize: number): Promise<IngestionDetail | null> {
  const db = drizzle(d1);
  const [found, rejectedSample] = await db.batch([
    selectIngestions(db).where(eq(ingestions.id, id)),
    db
      .select({ line: rejectedRows.line, reason: rejectedRows.reason, raw: rejectedRows.raw })
      .from(rejectedRows)
      .where(eq(rejectedRows.ingestionId, id))
      .orderBy(rejectedRows.line)
      .limit(sampleSize),
  ]);
  const r = found[0];
  return r ? { ...toView(r), rejectedSample } : null;
}
