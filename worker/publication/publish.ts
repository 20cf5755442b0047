/**
 * What gets published for a year: the owner's latest intent. Of the files of one year the most
 * recently *uploaded* wins, whatever order they finish in; a file that looks like a mistake is
 * held instead of published; an owner can publish any stored version or withdraw the year by hand
 * (worker/api/routes/datasets.ts), and a later upload wins over that again.
 *
 * Raw SQL on purpose: every write below is guarded inside D1 (FROM_GUARD, NOT_OLDER) and shares
 * its bound parameters (?1 ingestion, ?2 year, ?3 hold reason) with the guard; drizzle would
 * spell the same conditions as sql`` fragments and lose the one place that shows them together.
 */

/** eGRID's first data year (1996); earlier years cannot be eGRID data. */
export const FIRST_EGRID_YEAR = 1996;
/** A file with less than this share of the published file's plants or generators is held. */
export const HOLD_BELOW_SHARE = 0.5;

// The publish time is read inside the transaction, not before it: D1 runs batches one at a time,
// so timestamps agree with the order in which publications committed.
const SQL_NOW = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

/** Counts of a version, for the guard. */
export interface VersionCounts {
  plants: number;
  generators: number;
}

/**
 * Why a completed version must not replace the year's published one by itself, or null when it
 * may: an implausible data year (before eGRID began, or after next calendar year), or far fewer
 * plants or generators than the published version (a truncated or partial file). The reason
 * gives both counts and says how to publish anyway.
 */
export function holdReason(
  year: number,
  candidate: VersionCounts,
  published: VersionCounts | null,
  now = new Date(),
): string | null {
  const howTo = `To publish it anyway, use Publish on the ingestions page or POST /api/v1/datasets/${year}/active.`;
  const latest = now.getUTCFullYear() + 1;
  if (year < FIRST_EGRID_YEAR || year > latest) {
    return `Held: the file says its data year is ${year}, but eGRID data years run from ${FIRST_EGRID_YEAR} to ${latest}; check the YEAR column. ${howTo}`;
  }
  if (!published) return null;
  const share = Math.round(HOLD_BELOW_SHARE * 100);
  for (const [what, now, before] of [
    ["plants", candidate.plants, published.plants],
    ["generators", candidate.generators, published.generators],
  ] as const) {
    if (now < before * HOLD_BELOW_SHARE) {
      const counted = `${now.toLocaleString("en-US")} ${now === 1 ? what.slice(0, -1) : what}`;
      return `Held: this file has ${counted}, less than ${share}% of the ${before.toLocaleString("en-US")} ${what} of the published ${year} file, so it was not published; it may be truncated or partial. ${howTo}`;
    }
  }
  return null;
}

/** Where the version stands before the decision: a finished ingestion, or a stored version put again. */
export type PublishFrom = "processing" | "stored";

const FROM_GUARD: Record<PublishFrom, string> = {
  processing: "(SELECT status FROM ingestions WHERE id = ?1) = 'processing'",
  stored: "(SELECT status IN ('done', 'held') AND purged_at IS NULL AND data_year = ?2 FROM ingestions WHERE id = ?1)",
};

/** No owner intent for the year is newer than this version's upload. */
const NOT_OLDER = `NOT EXISTS (SELECT 1 FROM datasets WHERE data_year = ?2
  AND intent_at > (SELECT uploaded_at FROM ingestions WHERE id = ?1))`;

/** Rows, plants and warnings of a finished ingestion, summed from its chunks. */
const COUNTS = `rows_read = (SELECT sum(rows_read) FROM ingestion_chunks WHERE ingestion_id = ?1),
    rows_loaded = (SELECT sum(rows_loaded) FROM ingestion_chunks WHERE ingestion_id = ?1),
    rows_rejected = (SELECT sum(rows_rejected) FROM ingestion_chunks WHERE ingestion_id = ?1),
    plant_count = (SELECT count(*) FROM plants WHERE ingestion_id = ?1),
    warnings = (SELECT group_concat(warning, char(10)) FROM ingestion_chunks WHERE ingestion_id = ?1 AND warning IS NOT NULL),
    completed_at = ${SQL_NOW},`;

/**
 * The statements that decide and record, in one D1 batch (one transaction), what happens to a
 * version of `year` uploaded at `ingestions.uploaded_at`: with no hold reason and no newer owner
 * intent for the year, it becomes the published version (the old one is marked superseded);
 * with a hold reason it is held; when a newer intent exists it is only recorded as done,
 * superseded by what is published. Bind: ?1 ingestion id, ?2 year, ?3 hold reason or NULL.
 */
function decisionStatements(from: PublishFrom): string[] {
  const guard = FROM_GUARD[from];
  const publish = `${guard} AND ?3 IS NULL AND ${NOT_OLDER}`;
  const hold = `?3 IS NOT NULL AND ${NOT_OLDER}`;
  return [
    `UPDATE ingestions SET superseded_by = ?1
      WHERE id = (SELECT ingestion_id FROM datasets WHERE data_year = ?2) AND id <> ?1 AND ${publish}`,
    `INSERT INTO datasets (data_year, ingestion_id, activated_at, intent_at, changed_by, withdrawn_at)
      SELECT ?2, ?1, ${SQL_NOW}, (SELECT uploaded_at FROM ingestions WHERE id = ?1), NULL, NULL WHERE ${publish}
      ON CONFLICT (data_year) DO UPDATE SET ingestion_id = excluded.ingestion_id, activated_at = excluded.activated_at,
        intent_at = excluded.intent_at, changed_by = NULL, withdrawn_at = NULL`,
    `UPDATE ingestions SET ${from === "processing" ? COUNTS : ""}
        status = CASE WHEN ${hold} THEN 'held' ELSE 'done' END,
        hold_reason = CASE WHEN ${hold} THEN ?3 ELSE NULL END,
        error = NULL,
        superseded_by = CASE WHEN ${hold} THEN NULL
          ELSE (SELECT ingestion_id FROM datasets WHERE data_year = ?2 AND ingestion_id <> ?1) END,
        replaced_ingestion_id = CASE WHEN (SELECT ingestion_id FROM datasets WHERE data_year = ?2) = ?1
          THEN (SELECT id FROM ingestions WHERE superseded_by = ?1 ORDER BY completed_at DESC LIMIT 1)
          ELSE replaced_ingestion_id END
      WHERE id = ?1 AND ${guard}`,
  ];
}

export type PublishOutcome = "published" | "held" | "superseded" | "unchanged";

/**
 * Decides what happens to a complete version of `year` and records it atomically. The hold
 * guard compares with the version published (or, for a withdrawn year, last published) for the
 * year when the decision is made.
 */
export async function decidePublication(
  db: D1Database,
  ingestionId: string,
  year: number,
  from: PublishFrom,
): Promise<PublishOutcome> {
  const facts = await db
    .prepare(
      `SELECT (SELECT count(*) FROM plants WHERE ingestion_id = ?1) AS plants,
              (SELECT ${from === "processing" ? "sum(rows_loaded) FROM ingestion_chunks WHERE ingestion_id = ?1" : "rows_loaded FROM ingestions WHERE id = ?1"}) AS generators,
              p.plant_count AS publishedPlants, p.rows_loaded AS publishedGenerators
         FROM (SELECT 1) LEFT JOIN datasets d ON d.data_year = ?2 LEFT JOIN ingestions p ON p.id = d.ingestion_id AND p.id <> ?1`,
    )
    .bind(ingestionId, year)
    .first<{
      plants: number;
      generators: number;
      publishedPlants: number | null;
      publishedGenerators: number | null;
    }>();
  const published =
    facts?.publishedPlants != null
      ? { plants: facts.publishedPlants, generators: facts.publishedGenerators ?? 0 }
      : null;
  const reason = holdReason(year, { plants: facts?.plants ?? 0, generators: facts?.generators ?? 0 }, published);
  const results = await db.batch(
    decisionStatements(from).map((sql) => db.prepare(sql).bind(ingestionId, year, reason)),
  );
  if ((results[2]?.meta.changes ?? 0) === 0) return "unchanged";
  if ((results[1]?.meta.changes ?? 0) > 0) return "published";
  const status = await db
    .prepare("SELECT status FROM ingestions WHERE id = ?")
    .bind(ingestionId)
    .first<string>("status");
  return status === "held" ? "held" : "superseded";
}

/** Why an owner cannot publish a version by hand (shown as a 409 / on the datasets page), or null. */
export function cannotPublishReason(
  version: { status: string; purged_at: number | null; object_key: string },
  objectPresent: boolean,
): string | null {
  if (version.status !== "done" && version.status !== "held") {
    return `This ingestion is ${version.status}: it has no complete data to publish. Upload the file again.`;
  }
  if (version.purged_at !== null) {
    return `Its rows were reclaimed to save space; put the file (${version.object_key}) again to reload and publish it.`;
  }
  if (!objectPresent) {
    return `Its file ${version.object_key} was deleted or overwritten in the bucket; put it again to publish it.`;
  }
  return null;
}

/**
 * Publishes a stored version of `year` by hand, in one D1 batch: the year points at it from the
 * next request on, whatever was published or withdrawn before, and files uploaded before this
 * moment no longer replace it. Returns false when the version changed meanwhile (e.g. purged).
 */
export async function publishByHand(db: D1Database, ingestionId: string, year: number, userId: string | null) {
  const guard = FROM_GUARD.stored;
  const results = await db.batch([
    db
      .prepare(
        `UPDATE ingestions SET superseded_by = ?1
          WHERE id = (SELECT ingestion_id FROM datasets WHERE data_year = ?2) AND id <> ?1 AND ${guard}`,
      )
      .bind(ingestionId, year),
    db
      .prepare(
        `INSERT INTO datasets (data_year, ingestion_id, activated_at, intent_at, changed_by, withdrawn_at)
          SELECT ?2, ?1, ${SQL_NOW}, ${SQL_NOW}, ?3, NULL WHERE ${guard}
          ON CONFLICT (data_year) DO UPDATE SET ingestion_id = excluded.ingestion_id, activated_at = excluded.activated_at,
            intent_at = excluded.intent_at, changed_by = excluded.changed_by, withdrawn_at = NULL`,
      )
      .bind(ingestionId, year, userId),
    db
      .prepare(`UPDATE ingestions SET status = 'done', superseded_by = NULL WHERE id = ?1 AND ${guard}`)
      .bind(ingestionId, year),
  ]);
  return (results[1]?.meta.changes ?? 0) > 0;
}

/**
 * Withdraws a year: no data is served for it from the next request on, as for a year never
 * loaded, and files uploaded before this moment do not publish it again; a later upload, or
 * publishing a version by hand, does. Returns false when the year has no dataset at all.
 */
export async function withdrawYear(db: D1Database, year: number, userId: string | null): Promise<boolean> {
  const row = await db
    .prepare(
      `UPDATE datasets SET withdrawn_at = coalesce(withdrawn_at, ${SQL_NOW}), intent_at = ${SQL_NOW}, changed_by = ?2
        WHERE data_year = ?1 RETURNING data_year`,
    )
    .bind(year, userId)
    .first();
  return row !== null;
}
