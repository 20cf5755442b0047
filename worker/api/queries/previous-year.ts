import type { ActiveDataset } from "../../publication/active";
import { roundTo } from "./top-plants";

/** How a plant of one year was found in another year. */
export type MatchedBy = "orispl" | "name";

/** The same plant in the nearest earlier published year with data. */
export interface PreviousYear {
  year: number;
  plantId: string;
  netGenerationMwh: number | null;
  rank: number;
  matchedBy: MatchedBy;
}

/** What a row gains (schemas/previous-year.ts ChangeFieldsSchema). */
export interface ChangeFields {
  previous: PreviousYear | null;
  changeMwh: number | null;
  changePct: number | null;
}

/** A row of previousMatchSql. */
export interface MatchRow {
  plant_key: string;
  previous_key: string;
  national_rank: number;
  state_rank: number;
  net_generation_mwh: number | null;
  matched_by: MatchedBy;
}

const MATCH_COLUMNS = `c.plant_key, p.plant_key AS previous_key, p.national_rank, p.state_rank,
    pp.net_generation_mwh`;
const PREVIOUS_PLANT = "CROSS JOIN plants AS pp ON pp.ingestion_id = p.ingestion_id AND pp.plant_key = p.plant_key";

/**
 * The plants named by `keys` (a SELECT of one column of plant keys) of ingestion ?1 found in the
 * baseline ingestion bound as `?{base}`: by ORISPL when both rows carry one, else by state and
 * name key. The keys are read once (a materialized CTE shared by both branches), then key seeks
 * only: plant_years by primary key, its ORISPL or name index in the other ingestion, plants by
 * primary key. CROSS JOIN fixes the join order (SQLite never reorders it): the few keys first,
 * the baseline year's index last, whatever the planner's statistics say.
 */
export function previousMatchSql(keys: string, base: number): string {
  const current = `k CROSS JOIN plant_years AS c ON c.ingestion_id = ?1 AND c.plant_key = k.value`;
  return `WITH k(value) AS MATERIALIZED (${keys})
SELECT ${MATCH_COLUMNS}, 'orispl' AS matched_by
  FROM ${current}
  CROSS JOIN plant_years AS p ON p.ingestion_id = ?${base} AND p.orispl = c.orispl
  ${PREVIOUS_PLANT}
  WHERE c.orispl IS NOT NULL
UNION ALL
SELECT ${MATCH_COLUMNS}, 'name' AS matched_by
  FROM ${current}
  CROSS JOIN plant_years AS p ON p.ingestion_id = ?${base} AND p.state = c.state AND p.name_key = c.name_key
  ${PREVIOUS_PLANT}
  WHERE c.orispl IS NULL OR p.orispl IS NULL`;
}

/**
 * The previous-year match of the plants a page query returns (`pageSql`, taking `binds` numbered
 * parameters, ?1 the ingestion): the keys come from the page SQL itself, run again inside the
 * statement, and the baseline ingestion is the next parameter. So it runs in the same batch as
 * the page and needs no round trip to learn the page's keys.
 */
export function pageMatchSql(pageSql: string, binds: number): string {
  return previousMatchSql(`SELECT plant_key FROM (${pageSql})`, binds + 1);
}

/** The pageMatchSql statement of a page for the dataset's baseline year; null without one. */
export function previousOfPage(
  db: D1Database,
  dataset: ActiveDataset,
  pageSql: string,
  pageBinds: readonly unknown[],
): D1PreparedStatement | null {
  if (!dataset.previous) return null;
  return db.prepare(pageMatchSql(pageSql, pageBinds.length)).bind(...pageBinds, dataset.previous.ingestionId);
}

/**
 * The cache version of an answer that shows change: the dataset's ingestion and its baseline's,
 * so republishing or withdrawing the earlier year changes the key as publishing this one does.
 */
export function versionWithBaseline(dataset: ActiveDataset): string {
  return dataset.previous ? `${dataset.ingestionId}~${dataset.previous.ingestionId}` : dataset.ingestionId;
}

/** The change from `previous` to `current` MWh: both fields null when either is unknown. */
export function changeOf(
  current: number | null,
  previous: number | null | undefined,
): Pick<ChangeFields, "changeMwh" | "changePct"> {
  if (current === null || previous === null || previous === undefined) return { changeMwh: null, changePct: null };
  const changeMwh = roundTo(current - previous, 3) as number;
  return { changeMwh, changePct: previous === 0 ? null : roundTo((changeMwh / Math.abs(previous)) * 100, 2) };
}

/**
 * Each row with its plant in the dataset's baseline year (dataset.previous) and the change, from
 * the rows of a previousMatchSql statement; the rank taken in the rows' scope (`state` given: the
 * state, else the nation). A plant matching several earlier plants takes the one ranked highest.
 */
export function withPrevious<T extends { plantId: string; netGenerationMwh: number | null }>(
  dataset: ActiveDataset,
  state: string | null,
  rows: T[],
  matches: readonly MatchRow[],
): (T & ChangeFields)[] {
  const base = dataset.previous;
  const found = new Map<string, MatchRow>();
  for (const m of matches) {
    const known = found.get(m.plant_key);
    if (!known || m.national_rank < known.national_rank) found.set(m.plant_key, m);
  }
  return rows.map((row) => {
    const m = found.get(row.plantId);
    if (!base || !m) return { ...row, previous: null, changeMwh: null, changePct: null };
    const netGenerationMwh = roundTo(m.net_generation_mwh, 3);
    const previous: PreviousYear = {
      year: base.year,
      plantId: m.previous_key,
      netGenerationMwh,
      rank: state ? m.state_rank : m.national_rank,
      matchedBy: m.matched_by,
    };
    return { ...row, previous, ...changeOf(row.netGenerationMwh, netGenerationMwh) };
  });
}
