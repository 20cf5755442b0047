/**
 * Statements run one at a time, for work cut into bounded statements (publishing, year-pair
 * changes). Locally D1 is SQLite inside the API's own workerd, so every request waits while a
 * statement runs; on Cloudflare a statement over 30 s fails (D1's limit).
 */

/**
 * Plants per publishing statement (the merge, the precomputes, year-pair changes): bounded, so D1
 * keeps answering readers between statements. 50,000 held D1 up to ~0.9 s per merge statement on
 * a 100 MB file (bench:load); 20,000 keeps most statements to a few hundred ms. A 700,000-plant
 * file then takes ~270-420 publishing statements and a 200 MB upload ~540-840, more than the
 * budget of one invocation (D1 allows 1,000 queries): publishing continues in further
 * invocations (worker/ingest/budget.ts).
 */
export const PLANTS_PER_STATEMENT = 20_000;

/** Plants per publishing statement for this environment (INGEST_PLANTS_PER_STATEMENT overrides). */
export function plantsPerStatement(env: Pick<Env, "INGEST_PLANTS_PER_STATEMENT">): number {
  return Number(env.INGEST_PLANTS_PER_STATEMENT) || PLANTS_PER_STATEMENT;
}

/**
 * Asked before each unit of publishing work (a range, a rank page, the publishing batch): may
 * `statements` more run in this invocation (worker/ingest/budget.ts)? When it says no, the work
 * returns where it stopped.
 */
export type Room = (statements: number) => boolean;

/** No budget: direct calls (tests, a movers request computing a missing year pair). */
export const UNLIMITED: Room = () => true;

/** Runs one statement with its parameters. */
export type StatementRunner = <R = Record<string, unknown>>(sql: string, ...params: unknown[]) => Promise<D1Result<R>>;

/** A runner without timing or yields (tests, the migrations' forms). */
export function plainRunner(db: D1Database): StatementRunner {
  return <R>(sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .bind(...params)
      .run<R>();
}

/** What a timed runner counted: statements run, the longest one and how its SQL begins. */
export interface RunStats {
  statements: number;
  maxStatementMs: number;
  slowest?: string;
}

/**
 * A runner that times each statement into `stats` and yields the thread after it, so requests
 * that arrived meanwhile are served before the next statement (a timer is a macrotask: see
 * worker/ingest/yield-thread.ts; `scheduler.wait` is workerd's promise-returning timer).
 */
export function timedRunner(db: D1Database, stats: RunStats): StatementRunner {
  const plain = plainRunner(db);
  return async <R>(sql: string, ...params: unknown[]) => {
    const at = Date.now();
    const result = await plain<R>(sql, ...params);
    stats.statements += 1;
    const ms = Date.now() - at;
    if (ms >= stats.maxStatementMs) {
      stats.maxStatementMs = ms;
      stats.slowest = sql.replace(/\s+/g, " ").slice(0, 48);
    }
    await scheduler.wait(0);
    return result;
  };
}
