import { type RunStats, type StatementRunner, timedRunner } from "../db/sql/runner";

/**
 * Times the publishing work of one ingestion, step by step, and logs one JSON line per step (per
 * invocation: a step continued in another invocation logs again there):
 * `{"event":"finalize_step","ingestionId","step","ms","statements","maxStatementMs","slowest"}`.
 * Locally D1 is SQLite inside the same workerd as the API, so every request waits while a
 * statement runs: `maxStatementMs` is the longest any reader could have waited behind this step
 * (bench:load reads these lines); in production a statement over 30 s fails (D1's limit).
 */
export class StepLog {
  constructor(
    private readonly db: D1Database,
    private readonly ingestionId: string,
  ) {}

  /** Runs `work`, handing it a timedRunner (each statement timed, the thread yielded after it), and logs the step. */
  async step<T>(name: string, work: (run: StatementRunner) => Promise<T>): Promise<T> {
    const started = Date.now();
    const stats: RunStats = { statements: 0, maxStatementMs: 0 };
    const result = await work(timedRunner(this.db, stats));
    console.log(
      JSON.stringify({
        event: "finalize_step",
        ingestionId: this.ingestionId,
        step: name,
        ms: Date.now() - started,
        ...stats,
      }),
    );
    return result;
  }
}
