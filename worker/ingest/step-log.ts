import { yieldThread } from "./yield-thread";

/**
 * Times the publishing work of one ingestion, step by step, and logs one JSON line per step:
 * `{"event":"finalize_step","ingestionId","step","ms","statements","maxStatementMs"}`. Locally D1
 * is SQLite inside the same workerd as the API, so every request waits while a statement runs:
 * `maxStatementMs` is the longest any reader could have waited behind this step (bench:load
 * reads these lines); in production a statement over 30 s fails (D1's limit).
 */
export class StepLog {
  constructor(
    private readonly db: D1Database,
    private readonly ingestionId: string,
  ) {}

  /** Runs `work`, handing it a timedRunner, and logs the step. */
  async step<T>(name: string, work: (run: StatementRunner) => Promise<T>): Promise<T> {
    const started = Date.now();
    const stats: RunStats = { statements: 0, maxStatementMs: 0 };
    const result = await work(timedRunner(this.db, stats));
    logStep({ ingestionId: this.ingestionId, step: name, ms: Date.now() - started, ...stats });
    return result;
  }
}

/** What a timed runner counted: statements run, the longest one and how its SQL begins. */
export interface RunStats {
  statements: number;
  maxStatementMs: number;
  slowest?: string;
}

/**
 * A runner that times each statement into `stats` and yields the thread after it, so requests
 * that arrived meanwhile are served before the next statement.
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
    await yieldThread();
    return result;
  };
}

/** Runs one statement with its parameters, timed, then yields the thread. */
export type StatementRunner = <R = Record<string, unknown>>(sql: string, ...params: unknown[]) => Promise<D1Result<R>>;

/** A runner without timing or yields, for callers outside publishing (tests, a movers request). */
export function plainRunner(db: D1Database): StatementRunner {
  return <R>(sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .bind(...params)
      .run<R>();
}

export function logStep(fields: {
  ingestionId: string;
  step: string;
  ms: number;
  statements: number;
  maxStatementMs: number;
  slowest?: string;
}): void {
  console.log(JSON.stringify({ event: "finalize_step", ...fields }));
}
