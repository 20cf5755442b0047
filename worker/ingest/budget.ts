import type { Room } from "../db/sql/runner";
import type { StatementCounter } from "./d1-counter";

/**
 * Statements one queue invocation may run. D1 allows 1,000 queries per Worker invocation (50 on
 * the Free plan), and a queue batch of up to 10 messages is ONE invocation. Chunks and
 * notifications are bounded per message (a few to a few dozen statements); publishing grows with
 * the file (~540-840 statements for the 1.4 M plants of a 200 MB upload at 20,000 plants per
 * statement), so it runs after the batch's other messages, within what this leaves, and carries
 * on in finalize messages (worker/ingest/finalize.ts). Half of D1's limit leaves the other half
 * for the batch's chunk messages and the bookkeeping.
 */
export const STATEMENTS_PER_INVOCATION = 500;

/** The budget for this environment (INGEST_STATEMENTS_PER_INVOCATION overrides; tests lower it). */
export function statementsPerInvocation(env: Pick<Env, "INGEST_STATEMENTS_PER_INVOCATION">): number {
  return Number(env.INGEST_STATEMENTS_PER_INVOCATION) || STATEMENTS_PER_INVOCATION;
}

/**
 * Statements an invocation that ran nothing else may always spend on publishing: its prelude (3)
 * and the largest unit (the decision, 7), so even a budget set below that makes progress.
 */
const LEAST_PROGRESS = 16;

/**
 * The room left in an invocation whose statements `used` counts, keeping `reserve` statements
 * for what follows the work (recording each message's statements, or its failure).
 */
export function invocationRoom(used: StatementCounter, limit: number, reserve: number): Room {
  const ceiling = used.statements === 0 ? Math.max(limit, reserve + LEAST_PROGRESS) : limit;
  return (statements) => used.statements + statements + reserve <= ceiling;
}
