import { STATE_CODES } from "../../domain/states";
import type { StatementRunner } from "../db/sql/runner";
import { type Room, UNLIMITED } from "./budget";

/**
 * plant_years in pages of about `size` plants in rank order, instead of one window over every
 * plant (insertPlantYears, kept for migration 0013's backfill): a 100 MB file has ~700,000
 * plants, and one statement ranking them all held D1 for 21 s (bench:load, docs/benchmarks.md). There is no national index
 * (migration 0008), so each page is a merge of every state's walk of plants_state_top_idx from
 * a keyset cursor, as top-N pages are (worker/api/queries/top-plants.ts): only the page is read
 * and sorted. Ranks are the page's row numbers plus the rows before it: nationally the plants
 * walked so far, per state the state's plants among them (counted from the pages' rows). Pages
 * only insert absent rows, and a run started again first walks past the plants already ranked
 * (a run continued in another invocation goes on from its cursor and counts), so finalizing
 * again after a crash completes the work with the same ranks.
 *
 * Order: net generation descending (unknown last), then name, as top-N ranks; plants equal in
 * both follow state then rowid, the order the single window gives them (it sorts stably the
 * rows of plants_state_top_idx, which holds a state's ties in rowid order).
 */

/** A plant in rank order: its rowid, net generation, name and state. */
type Plant = { id: number; net: number | null; name: string; state: string };
/** Where a page starts: after this plant; null before the first. */
export type Cursor = Plant | null;
/** A state of a page: its plant count, beside the page's last plant. */
type PageRow = Plant & { page_state: string; n: number };

const COMPOUND_TERMS = 5; // D1's SQLITE_LIMIT_COMPOUND_SELECT (see top-plants.ts)
const ORDER = "ORDER BY net DESC, name, state, id";

/** Within a tie of net generation (?2), the plants after the cursor's (name ?3, state ?4, rowid ?5). */
const afterTie = (state: string) => `name >= ?3 AND (name > ?3 OR '${state}' > ?4 OR ('${state}' = ?4 AND rowid > ?5))`;

/** One state's walks after the cursor, each an ordered seek of plants_state_top_idx. */
function stateWalks(state: string, cursor: Cursor): string[] {
  const base = `SELECT rowid AS id, net_generation_mwh AS net, name, '${state}' AS state FROM plants
    WHERE ingestion_id = ?1 AND state = '${state}'`;
  if (cursor === null) return [base];
  if (cursor.net === null) return [`${base} AND net_generation_mwh IS NULL AND ${afterTie(state)}`];
  return [
    `${base} AND net_generation_mwh = ?2 AND ${afterTie(state)}`,
    `${base} AND net_generation_mwh < ?2`,
    `${base} AND net_generation_mwh IS NULL`,
  ];
}

/** The walks merged in rank order, nested a few terms at a time. */
function merged(walks: readonly string[]): string {
  if (walks.length <= COMPOUND_TERMS) return `${walks.join("\n UNION ALL ")} ${ORDER}`;
  const size = Math.ceil(walks.length / COMPOUND_TERMS);
  const groups: string[] = [];
  for (let i = 0; i < walks.length; i += size) groups.push(`SELECT * FROM (${merged(walks.slice(i, i + size))})`);
  return `${groups.join("\n UNION ALL ")} ${ORDER}`;
}

/** Every plant after the cursor, in rank order, as (id, net, name, state); ?1 the ingestion, ?2..?5 the cursor. */
export function walkAfter(cursor: Cursor): string {
  return merged(STATE_CODES.flatMap((state) => stateWalks(state, cursor)));
}

/**
 * The next ?6 plants, as one row per state: how many the state has, and beside each the page's
 * last plant (where the next page starts). One walk instead of two; no row when none is left.
 */
const pageSql = (cursor: Cursor) => `WITH page AS MATERIALIZED (
    SELECT id, net, name, state, row_number() OVER () AS k FROM (SELECT * FROM (${walkAfter(cursor)}) LIMIT ?6))
  SELECT page.state AS page_state, count(*) AS n, last.id, last.net, last.name, last.state
  FROM page, (SELECT * FROM page ORDER BY k DESC LIMIT 1) AS last GROUP BY page.state`;

/**
 * Inserts the next ?8 plants: national rank ?6 + row number, state rank (the state's count in
 * the JSON object ?7) + row number in the state. `rowid IN` alone: see top-plants.ts.
 */
const insertPageSql = (cursor: Cursor) => `INSERT INTO plant_years (ingestion_id, plant_key, orispl, state, name_key,
    national_rank, state_rank)
  SELECT * FROM (
    SELECT p.ingestion_id, p.plant_key, p.orispl, p.state, lower(p.name),
      ?6 + row_number() OVER (ORDER BY p.net_generation_mwh DESC, p.name, p.state, p.rowid),
      coalesce((SELECT o.value FROM json_each(?7) AS o WHERE o.key = p.state), 0)
        + row_number() OVER (PARTITION BY p.state ORDER BY p.net_generation_mwh DESC, p.name, p.rowid)
    FROM plants AS p WHERE p.rowid IN (SELECT id FROM (SELECT * FROM (${walkAfter(cursor)}) LIMIT ?8))
  ) WHERE true
  ON CONFLICT DO NOTHING`;

/** The statements of one page (for plan tests): the page's states and end, the insert. */
export function pageStatements(cursor: Cursor): string[] {
  return [pageSql(cursor), insertPageSql(cursor)];
}

const cursorParams = (c: Cursor): unknown[] => (c === null ? [null, null, null, null] : [c.net, c.name, c.state, c.id]);

/** Where the rank pages stopped: after `cursor`, `walked` plants in, with `counts` of them per state. */
export interface RankAt {
  cursor: Cursor;
  walked: number;
  counts: Record<string, number>;
}

/**
 * Fills plant_years of an ingestion whose plants are written, `size` plants per statement. Stops
 * where `room` says the invocation's statements are spent and returns where to resume (`from`),
 * or null once every plant is ranked.
 */
export async function insertPlantYearsPaged(
  run: StatementRunner,
  ingestionId: string,
  size: number,
  room: Room = UNLIMITED,
  from?: RankAt,
): Promise<RankAt | null> {
  // Plants already ranked by an earlier run (always the first ones in rank order: pages go in
  // in order): the first pages only walk past them. A resumed run goes on from its own cursor.
  let already = 0;
  if (!from) {
    const { results } = await run<{ n: number }>(
      "SELECT count(*) AS n FROM plant_years WHERE ingestion_id = ?1",
      ingestionId,
    );
    already = results[0]?.n ?? 0;
  }
  let cursor: Cursor = from?.cursor ?? null;
  let walked = from?.walked ?? 0;
  const counts = new Map(Object.entries(from?.counts ?? {}));
  for (;;) {
    if (!room(2)) return { cursor, walked, counts: Object.fromEntries(counts) };
    const step = walked < already ? Math.min(size, already - walked) : size;
    const params: unknown[] = [ingestionId, ...cursorParams(cursor)];
    const result: D1Result<PageRow> = await run<PageRow>(pageSql(cursor), ...params, step);
    const page: PageRow[] = result.results;
    if (walked >= already && page.length > 0) {
      await run(insertPageSql(cursor), ...params, walked, JSON.stringify(Object.fromEntries(counts)), step);
    }
    for (const r of page) counts.set(r.page_state, (counts.get(r.page_state) ?? 0) + r.n);
    const last: PageRow | undefined = page[0];
    if (!last || page.reduce((total: number, r: PageRow) => total + r.n, 0) < step) return null;
    cursor = { id: last.id, net: last.net, name: last.name, state: last.state };
    walked += step;
  }
}
