import { bareEtag } from "../../../domain/etag";
import { cannotPublishReason } from "../../ingest/publish";

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

interface VersionRow {
  id: string;
  data_year: number;
  object_key: string;
  etag: string;
  status: "done" | "held";
  hold_reason: string | null;
  plant_count: number | null;
  rows_loaded: number;
  uploaded_at: number | null;
  completed_at: number | null;
  uploaded_by: string | null;
  uploaded_by_email: string | null;
  purged_at: number | null;
}

interface DatasetRow {
  data_year: number;
  ingestion_id: string;
  activated_at: number;
  changed_by_email: string | null;
  changed_by: string | null;
  withdrawn_at: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Every year with a dataset or a complete version: what is published (or withdrawn), and its
 * versions, newest upload first, each saying whether it can be published by hand and why not.
 * Only versions with stored rows are looked up in R2 (a few per year).
 */
export async function listYearDatasets(db: D1Database, bucket: R2Bucket, year?: number): Promise<YearDatasetsView[]> {
  const [datasets, versions] = await db.batch([
    db
      .prepare(
        `SELECT d.*, u.email AS changed_by_email FROM datasets d LEFT JOIN users u ON u.id = d.changed_by
        WHERE ?1 IS NULL OR d.data_year = ?1`,
      )
      .bind(year ?? null),
    db
      .prepare(
        `SELECT * FROM (SELECT i.*, u.email AS uploaded_by_email,
          row_number() OVER (PARTITION BY i.data_year ORDER BY i.uploaded_at DESC, i.id) AS n
        FROM ingestions i LEFT JOIN users u ON u.id = i.uploaded_by
        WHERE i.status IN ('done', 'held') AND (?1 IS NULL OR i.data_year = ?1))
       WHERE n <= ${VERSIONS_PER_YEAR} ORDER BY data_year DESC, uploaded_at DESC, id`,
      )
      .bind(year ?? null),
  ]);
  const byYear = new Map<number, DatasetRow>();
  for (const d of (datasets?.results ?? []) as DatasetRow[]) byYear.set(d.data_year, d);
  const rows = (versions?.results ?? []) as VersionRow[];
  const present = await Promise.all(
    rows.map(async (v) => {
      if (v.purged_at !== null) return false;
      const head = await bucket.head(v.object_key);
      return head !== null && bareEtag(head.etag) === v.etag;
    }),
  );
  const years = [...new Set([...byYear.keys(), ...rows.map((r) => r.data_year)])].sort((a, b) => b - a);
  return years.map((y) => {
    const d = byYear.get(y);
    const withdrawn = d?.withdrawn_at != null;
    const activeId = d && !withdrawn ? d.ingestion_id : null;
    return {
      year: y,
      state: !d ? "unpublished" : withdrawn ? "withdrawn" : "published",
      activeIngestionId: activeId,
      activatedAt: d ? iso(d.activated_at) : null,
      activatedBy: d ? (d.changed_by_email ?? d.changed_by) : null,
      withdrawnAt: d ? iso(d.withdrawn_at) : null,
      withdrawnIngestionId: withdrawn ? (d?.ingestion_id ?? null) : null,
      versions: rows
        .map((v, i) => ({ v, present: present[i] as boolean }))
        .filter(({ v }) => v.data_year === y)
        .map(({ v, present }) => {
          const active = v.id === activeId;
          const reason = active ? "This version is published." : cannotPublishReason(v, present);
          return {
            ingestionId: v.id,
            objectKey: v.object_key,
            status: v.status,
            active,
            holdReason: v.status === "held" ? v.hold_reason : null,
            plantCount: v.plant_count,
            generatorCount: v.rows_loaded,
            uploadedAt: iso(v.uploaded_at),
            completedAt: iso(v.completed_at),
            uploadedBy: v.uploaded_by_email ?? v.uploaded_by,
            rowsStored: v.purged_at === null ? v.rows_loaded + (v.plant_count ?? 0) : 0,
            canActivate: reason === null,
            cannotActivateReason: reason,
          };
        }),
    };
  });
}

/** Rows stored in the data tables, all versions together. */
export async function storedRows(db: D1Database): Promise<{ generators: number; plants: number; plantParts: number }> {
  const row = await db
    .prepare(
      `SELECT (SELECT count(*) FROM generators) AS generators, (SELECT count(*) FROM plants) AS plants,
              (SELECT count(*) FROM plant_parts) AS plantParts`,
    )
    .first<{ generators: number; plants: number; plantParts: number }>();
  return row ?? { generators: 0, plants: 0, plantParts: 0 };
}
