import { and, desc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AuditAction } from "../../domain/audit-actions";
import { auditLog } from "../db/schema/auth";
import { clientNetwork } from "./throttle";

/** Audit rows older than this are deleted by the cron (docs/api.md "Audit trail"). */
export const AUDIT_RETENTION_DAYS = 90;
/** Rows deleted per statement and statements per cron run: bounded work, however big the backlog. */
export const PRUNE_BATCH = 1_000;
export const PRUNE_MAX_BATCHES = 20;

/** Who acted: a user, or for a failed sign-in the email that was tried (id null when unknown). */
export interface AuditActor {
  id: string | null;
  email: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  actor: AuditActor | undefined;
  /** Client address from CF-Connecting-IP (the raw address, not the /64 used for throttling). */
  headers: Headers;
  target?: string | number | null;
  /** A few facts about the action; callers never pass passwords or key secrets. */
  detail?: Record<string, unknown>;
}

// Bounds so a hostile value (a huge email tried at sign-in) cannot bloat the table.
const MAX_TEXT = 254;
const MAX_DETAIL = 2_000;
const clip = (text: string | null | undefined) => (text == null ? null : text.slice(0, MAX_TEXT));

/** The client address as Cloudflare saw it, or null (local use; see clientNetwork). */
function clientAddress(headers: Headers): string | null {
  return clientNetwork(headers) === null ? null : clip(headers.get("cf-connecting-ip")?.trim());
}

/**
 * Appends one audit row. Never throws: the action it records has already happened, and a
 * failing trail must not turn it into an error for the client; the failure is logged instead.
 */
export async function recordAudit(db: D1Database, entry: AuditEntry, now = Date.now()): Promise<void> {
  try {
    let detail = JSON.stringify(entry.detail ?? {});
    if (detail.length > MAX_DETAIL) detail = JSON.stringify({ truncated: detail.slice(0, MAX_DETAIL) });
    await drizzle(db)
      .insert(auditLog)
      .values({
        at: now,
        actorId: clip(entry.actor?.id),
        actorEmail: clip(entry.actor?.email),
        ip: clientAddress(entry.headers),
        action: entry.action,
        target: entry.target == null ? null : clip(String(entry.target)),
        detail,
      });
  } catch (error) {
    console.error(JSON.stringify({ event: "audit-write-failed", action: entry.action, message: String(error) }));
  }
}

export interface AuditFilter {
  action?: AuditAction[];
  /** A user id or an email (case-insensitive). */
  actor?: string;
  since?: number;
  until?: number;
  /** Rows with a smaller id than this (the `nextCursor` of the previous page). */
  before?: number;
  limit: number;
}

/** A page of audit rows, newest first, and the cursor of the next page (null at the end). */
export async function listAudit(db: D1Database, filter: AuditFilter) {
  const where: SQL[] = [];
  if (filter.action?.length) where.push(inArray(auditLog.action, filter.action));
  if (filter.actor) {
    const actor = filter.actor.trim();
    where.push(or(eq(auditLog.actorId, actor), eq(auditLog.actorEmail, actor.toLowerCase())) as SQL);
  }
  if (filter.since !== undefined) where.push(gte(auditLog.at, filter.since));
  if (filter.until !== undefined) where.push(lte(auditLog.at, filter.until));
  if (filter.before !== undefined) where.push(lt(auditLog.id, filter.before));
  const rows = await drizzle(db)
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit + 1)
    .all();
  const page = rows.slice(0, filter.limit);
  return {
    data: page.map((row) => ({
      id: row.id,
      at: new Date(row.at).toISOString(),
      action: row.action,
      actor: { id: row.actorId, email: row.actorEmail },
      ip: row.ip,
      target: row.target,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    })),
    nextCursor: rows.length > filter.limit ? String(page.at(-1)?.id) : null,
  };
}

/**
 * Deletes rows older than the retention, PRUNE_BATCH at a time and at most PRUNE_MAX_BATCHES
 * per call (a D1 statement should stay short); a larger backlog is finished by later runs.
 * Returns how many rows were deleted.
 */
export async function pruneAudit(db: D1Database, now = Date.now()): Promise<number> {
  const cutoff = now - AUDIT_RETENTION_DAYS * 24 * 60 * 60 * 1000;
  let deleted = 0;
  for (let i = 0; i < PRUNE_MAX_BATCHES; i++) {
    const result = await drizzle(db).run(
      sql`DELETE FROM ${auditLog} WHERE ${auditLog.id} IN (SELECT ${auditLog.id} FROM ${auditLog} WHERE ${auditLog.at} < ${cutoff} ORDER BY ${auditLog.id} LIMIT ${PRUNE_BATCH})`,
    );
    const changes = result.meta.changes ?? 0;
    deleted += changes;
    if (changes < PRUNE_BATCH) break;
  }
  return deleted;
}
