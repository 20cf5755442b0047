import { and, desc, eq, getTableColumns, inArray, lte, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { bareEtag } from "../../../domain/etag";
import { datasets, ingestions, users } from "../../db/schema";
import { cannotPublishReason } from "../../publication/publish";

/** Versions listed per year at most (newest uploads first); retention keeps far fewer with rows. */
const VERSIONS_PER_YEAR = 20;

/** One complete version of a year's data, as an owner manages it. */
export interface DatasetVersionView {
  ingestionId: string;
  objectKey: string;
  status: "done" | "held";
  active: boolean;
  holdReason: string | null;
  plantCount: number | null;
  generatorCount: number;
  uploadedAt: string | null;
  completedAt: string | null;
  uploadedBy: string | null;
  rowsStored: number;
  canActivate: boolean;
  cannotActivateReason: string | null;
}

/** What is published for a year, and the versions that could be. */
export interface YearDatasetsView {
  year: number;
  /** `unpublished`: complete versions exist (e.g. held) but none was ever published. */
  state: "published" | "withdrawn" | "unpublished";
  activeIngestionId: string | null;
  activatedAt: string | null;
  activatedBy: string | null;
  withdrawnAt: string | null;
  /** The version that was published when the year was withdrawn: what restoring brings back. */
  withdrawnIngestionId: string | null;
  versions: DatasetVersionView[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Every year with a dataset or a complete version: what is published (or withdrawn), and its
 * versions, newest upload first, each saying whether it can be published by hand and why not.
 * Only versions with stored rows are looked up in R2 (a few per year).
 */
export async function listYearDatasets(d1: D1Database, bucket: R2Bucket, year?: number): Promise<YearDatasetsView[]> {
  const db = drizzle(d1);
  // Each year's newest uploads first, numbered, in a subquery: only the first few are listed.
  const ranked = db
    .select({
      id: ingestions.id,
      dataYear: ingestions.dataYear,
      objectKey: ingestions.objectKey,
      etag: ingestions.etag,
      status: ingestions.status,
      holdReason: ingestions.holdReason,
      plantCount: ingestions.plantCount,
      rowsLoaded: ingestions.rowsLoaded,
      uploadedAt: ingestions.uploadedAt,
      completedAt: ingestions.completedAt,
      uploadedBy: ingestions.uploadedBy,
      uploadedByEmail: sql<string | null>`${users.email}`.as("uploaded_by_email"),
      purgedAt: ingestions.purgedAt,
      n: sql<number>`row_number() OVER (PARTITION BY ${ingestions.dataYear} ORDER BY ${ingestions.uploadedAt} DESC, ${ingestions.id})`.as(
        "n",
      ),
    })
    .from(ingestions)
    .leftJoin(users, eq(users.id, ingestions.uploadedBy))
    .where(
      and(inArray(ingestions.status, ["done", "held"]), year === undefined ? undefined : eq(ingestions.dataYear, year)),
    )
    .as("ranked");
  const [yearRows, rows] = await db.batch([
    db
      .select({ ...getTableColumns(datasets), changedByEmail: users.email })
      .from(datasets)
      .leftJoin(users, eq(users.id, datasets.changedBy))
      .where(year === undefined ? undefined : eq(datasets.dataYear, year)),
    db
      .select()
      .from(ranked)
      .where(lte(ranked.n, VERSIONS_PER_YEAR))
      .orderBy(desc(ranked.dataYear), desc(ranked.uploadedAt), ranked.id),
  ]);
  const byYear = new Map(yearRows.map((d) => [d.dataYear, d]));
  const present = await Promise.all(
    rows.map(async (v) => {
      if (v.purgedAt !== null) return false;
      const head = await bucket.head(v.objectKey);
      return head !== null && bareEtag(head.etag) === v.etag;
    }),
  );
  const years = [...new Set([...byYear.keys(), ...rows.map((r) => r.dataYear as number)])].sort((a, b) => b - a);
  return years.map((y) => {
    const d = byYear.get(y);
    const withdrawn = d?.withdrawnAt != null;
    const activeId = d && !withdrawn ? d.ingestionId : null;
    return {
      year: y,
      state: !d ? "unpublished" : withdrawn ? "withdrawn" : "published",
      activeIngestionId: activeId,
      activatedAt: d ? iso(d.activatedAt) : null,
      activatedBy: d ? (d.changedByEmail ?? d.changedBy) : null,
      withdrawnAt: d ? iso(d.withdrawnAt) : null,
      withdrawnIngestionId: withdrawn ? (d?.ingestionId ?? null) : null,
      versions: rows
        .map((v, i) => ({ v, present: present[i] as boolean }))
        .filter(({ v }) => v.dataYear === y)
        .map(({ v, present }) => {
          const active = v.id === activeId;
          const reason = active
            ? "This version is published."
            : cannotPublishReason({ status: v.status, purged_at: v.purgedAt, object_key: v.objectKey }, present);
          return {
            ingestionId: v.id,
            objectKey: v.objectKey,
            status: v.status as "done" | "held", // the only statuses listed
            active,
            holdReason: v.status === "held" ? v.holdReason : null,
            plantCount: v.plantCount,
            generatorCount: v.rowsLoaded,
            uploadedAt: iso(v.uploadedAt),
            completedAt: iso(v.completedAt),
            uploadedBy: v.uploadedByEmail ?? v.uploadedBy,
            rowsStored: v.purgedAt === null ? v.rowsLoaded + (v.plantCount ?? 0) : 0,
            canActivate: reason === null,
            cannotActivateReason: reason,
          };
        }),
    };
  });
}

/** Rows stored in the data tables, all versions together: one statement (drizzle's $count would take three). */
export async function storedRows(db: D1Database): Promise<{ generators: number; plants: number; plantParts: number }> {
  const row = await db
    .prepare(
      `SELECT (SELECT count(*) FROM generators) AS generators, (SELECT count(*) FROM plants) AS plants,
              (SELECT count(*) FROM plant_parts) AS plantParts`,
    )
    .first<{ generators: number; plants: number; plantParts: number }>();
  return row ?? { generators: 0, plants: 0, plantParts: 0 };
}
