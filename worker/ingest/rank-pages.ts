import { nameKey } from "../../domain/plant-names";
import { STATE_CODES } from "../../domain/states";
import { type Room, type StatementRunner, UNLIMITED } from "../db/sql/runner";

/**
 * plant_years in pages of about `size` plants in rank order, instead of one window over every
 * plant (insertPlantYears, kept for migration 0013's backfill): a 100 MB file has ~700,000
 * plants, and one statement ranking them all held D1 for 21 s (bench:load, docs/benchmarks.md).
 * There is no national index (migration 0008), so each page is a merge of every state's walk of
 * plants_state_top_idx from a keyset cursor, as top-N pages are (worker/api/queries/top-plants.ts):
 * only the page is read, once. Ranks are the page's positions plus the plants before it: nationally the plants walked
 * so far, per state those already ranked. Name keys are computed with the ranks, so each row is
 * written once (a key computed in SQL took up to four UPDATEs, each rewriting the name index).
 * Inserts go in rank order and only add absent rows, and a resumed run first walks past the
 * plants already ranked, so finalizing again after a crash completes the work with the same ranks.
 *
 * Order: net generation descending (unknown last), then name, as top-N ranks; plants equal in
 * both follow state then rowid, the order the single window gives them (it sorts stably the
 * rows of plants_state_top_idx, which holds a state's ties in rowid order).
 */

/** A plant in rank order: its rowid, net generation, name and state. */
type Plant = { id: number; net: number | null; name: string; state: string };
/** Where a page starts: after this plant; null before the first. */
export type Cursor = Plant | null;

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

/** The next ?6 plants after the cursor, in rank order: (id, net, name, state). */
const pageSql = (cursor: Cursor) => `SELECT * FROM (${walkAfter(cursor)}) LIMIT ?6`;

/**
 * Inserts ranked plants given as a JSON array ?2 of [rowid, national rank, state rank, name
 * key], reading the rest of each plant by rowid (CROSS JOIN keeps that order: joined the
 * other way, SQLite walks every plant of the ingestion through its index). Rows go in in rank
 * order, the JSON's: where a later year's plant matches several plants of this year by name key,
 * the first found in plant_years_name_idx (by rowid, so the best ranked) is the one its change is
 * computed against (change-pairs.ts, previous-year.ts). Inserting them sorted by plant_key changed
 * those matches (bounded-publish.test.ts caught it).
 */
const INSERT_RANKED = `INSERT INTO plant_years (ingestion_id, plant_key, orispl, state, name_key, national_rank,
    state_rank)
  SELECT p.ingestion_id, p.plant_key, p.orispl, p.state, j.value ->> 3, j.value ->> 1, j.value ->> 2
  FROM json_each(?2) AS j CROSS JOIN plants AS p ON p.rowid = j.value ->> 0
  WHERE p.ingestion_id = ?1
  ON CONFLICT DO NOTHING`;

/** JSON characters per insert: a bound string may be up to 2 MB (see chunk-write.ts). */
const INSERT_JSON_CHARS = 900_000;

/** The statements of one page (for plan tests): the walk, the insert. */
export function pageStatements(cursor: Cursor): string[] {
  return [pageSql(cursor), INSERT_RANKED];
}

const cursorParams = (c: Cursor): unknown[] => (c === null ? [null, null, null, null] : [c.net, c.name, c.state, c.id]);

/**
 * Where the rank pages stopped: after `cursor`, `walked` plants in, with `counts` of them per
 * state; `rankedBefore` when the first run found plants ranked by an earlier one.
 */
export interface RankAt {
  cursor: Cursor;
  walked: number;
  counts: Record<string, number>;
  rankedBefore: boolean;
}

/**
 * Fills plant_years of an ingestion whose plants are written, `size` plants per walk: each page
 * is read once, ranked here (national: its position; state: the state's count so far plus its
 * position in the state) with each name's key (domain/plant-names.ts nameKey, the JS twin of the
 * SQL steps), and inserted by rowid in rank order, in statements of at most INSERT_JSON_CHARS.
 * Before each statement it asks `room`; when the invocation's statements are spent it returns
 * where to resume (`stopped`, after the last plant inserted), else null once every plant is
 * ranked. `rankedBefore`: plants were already ranked when the work began (a crash, perhaps of
 * a version that keyed names afterwards). `insertChars` is lowered by tests only.
 */
export async function insertPlantYearsPaged(
  run: StatementRunner,
  ingestionId: string,
  size: number,
  room: Room = UNLIMITED,
  from?: RankAt,
  insertChars = INSERT_JSON_CHARS,
): Promise<{ stopped: RankAt | null; rankedBefore: boolean }> {
  // Plants already ranked by an earlier run (always the first ones in rank order: they go in in
  // order): the first pages only walk past them. A resumed run goes on from its own cursor.
  let already = 0;
  if (!from) {
    const { results } = await run<{ n: number }>(
      "SELECT count(*) AS n FROM plant_years WHERE ingestion_id = ?1",
      ingestionId,
    );
    already = results[0]?.n ?? 0;
  }
  const rankedBefore = from?.rankedBefore ?? already > 0;
  let cursor: Cursor = from?.cursor ?? null;
  let walked = from?.walked ?? 0;
  const counts = new Map(Object.entries(from?.counts ?? {}));
  const stop = () => ({ stopped: { cursor, walked, counts: Object.fromEntries(counts), rankedBefore }, rankedBefore });
  const count = (plant: Plant) => {
    const n = (counts.get(plant.state) ?? 0) + 1;
    counts.set(plant.state, n);
    return n;
  };
  for (;;) {
    if (!room(2)) return stop();
    const start = walked;
    const step = start < already ? Math.min(size, already - start) : size;
    const result: D1Result<Plant> = await run<Plant>(pageSql(cursor), ingestionId, ...cursorParams(cursor), step);
    const page: Plant[] = result.results;
    const at = (end: number) => {
      cursor = page[end - 1] as Plant;
      walked = start + end;
    };
    if (start < already) {
      page.forEach(count);
      if (page.length > 0) at(page.length);
    }
    // Inserted up to `end`; a stop before the next statement resumes after it.
    for (let end = start < already ? page.length : 0; end < page.length; ) {
      if (end > 0 && !room(1)) return stop();
      const rows: string[] = [];
      for (let chars = 0; end < page.length && chars < insertChars; end++) {
        const plant = page[end] as Plant;
        const row = JSON.stringify([plant.id, start + end + 1, count(plant), nameKey(plant.name)]);
        rows.push(row);
        chars += row.length + 1;
      }
      await run(INSERT_RANKED, ingestionId, `[${rows.join(",")}]`);
      at(end);
    }
    if (page.length < step) break;
  }
  return { stopped: null, rankedBefore };
}
