import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countingD1, type StatementCounter } from "../../../worker/ingest/d1-counter";
import { decidePublication } from "../../../worker/publication/publish";
import { deliverBatch, type SteppedEnv, steppedEnv } from "../helpers/drive";
import { genCsv, syntheticRows } from "../helpers/gen-csv";
import { hostileCsv } from "../helpers/hostile-csv";
import { ingestionIdOfKey, putObject } from "../helpers/ingest";

// D1 runs at most 1,000 statements per Worker invocation, and a queue batch is one invocation;
// Miniflare does not enforce it. Here each batch's statements are counted around the real
// consumer (countingD1 over the test's D1), with statements of 7 plants and a budget far below
// what publishing this file takes, so publishing has to continue over several invocations.

const PER_STATEMENT = 7;
const BUDGET = 60;
const BATCH_SIZE = 4;

/** A message the consumer sends to go on publishing (worker/ingest/messages.ts). */
const isFinalize = (body: unknown) => (body as { type?: string } | null)?.type === "finalize";

interface Run {
  id: string;
  /** Statements of each invocation (batch), in delivery order. */
  invocations: number[];
  /** Finalize messages delivered. */
  finalizes: number;
}

/**
 * Ingests `csv` at `key` through the real consumer, delivering what it sends in batches of up
 * to BATCH_SIZE, each counted as one invocation. A finalize message for which `duplicate` is
 * true is delivered twice more, each time in a batch of its own: in the next round (its chain
 * has moved on and a second chain starts from it) and after everything else is done.
 */
async function ingest(
  csv: string,
  key: string,
  budget: number,
  duplicate: (message: unknown) => boolean = () => false,
): Promise<Run> {
  const testEnv: SteppedEnv = steppedEnv({
    INGEST_CHUNK_BYTES: "1000",
    INGEST_PLANTS_PER_STATEMENT: String(PER_STATEMENT),
    INGEST_STATEMENTS_PER_INVOCATION: String(budget),
  });
  const run: Run = { id: "", invocations: [], finalizes: 0 };
  const invoke = async (bodies: unknown[]) => {
    const counter: StatementCounter = { statements: 0 };
    const result = await deliverBatch({ ...testEnv, DB: countingD1(env.DB, counter) }, bodies);
    expect(result.retryMessages).toEqual([]);
    run.invocations.push(counter.statements);
    run.finalizes += bodies.filter(isFinalize).length;
  };
  const late: unknown[] = [];
  const drain = async () => {
    let copies: unknown[] = [];
    for (let pending = testEnv.INGEST_QUEUE.take(); pending.length > 0; pending = testEnv.INGEST_QUEUE.take()) {
      for (let i = 0; i < pending.length; i += BATCH_SIZE) await invoke(pending.slice(i, i + BATCH_SIZE));
      for (const copy of copies) await invoke([copy]);
      copies = pending.filter((body) => isFinalize(body) && duplicate(body));
      late.push(...copies);
    }
  };
  await invoke([await putObject(key, csv)]);
  run.id = await ingestionIdOfKey(key);
  await drain();
  for (const copy of late.splice(0)) await invoke([copy]);
  await drain();
  return run;
}

/** What readers are served from an ingestion: its record's totals and every precomputed row, ids left out. */
async function published(id: string, previous: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out.record = await env.DB.prepare(
    "SELECT status, rows_read, rows_loaded, rows_rejected, plant_count, warnings FROM ingestions WHERE id = ?1",
  )
    .bind(id)
    .first();
  for (const table of [
    "plants",
    "plant_fuels",
    "state_fuels",
    "state_summaries",
    "plant_years",
    "plant_name_tokens",
    "plant_changes",
  ]) {
    const { results } = await env.DB.prepare(
      `SELECT * FROM ${table} WHERE ingestion_id = ?1 AND ${table === "plant_changes" ? "previous_ingestion_id = ?2" : "?2 IS NOT NULL"}`,
    )
      .bind(id, previous)
      .all();
    out[table] = results.map((r) => JSON.stringify({ ...r, ingestion_id: "" })).sort();
  }
  return out;
}

describe("publishing within D1's statements per invocation", () => {
  it("spreads publishing over invocations that each stay within the budget, with the same result", async () => {
    const earlier = await ingest(hostileCsv(2015, 40), "budget/gen-2015.csv", 100_000);
    const csv = hostileCsv(2016, 100);
    // The reference: the whole publishing in the invocation of the last chunk.
    const whole = await ingest(csv, "budget/whole-2016.csv", 100_000);
    const reference = await published(whole.id, earlier.id);
    expect(whole.finalizes).toBe(0);
    expect(Math.max(...whole.invocations)).toBeGreaterThan(3 * BUDGET);

    // The same bytes again (a later upload of the year), within the budget; the first finalize
    // message is delivered twice, the copy once its chain has moved on.
    let copied = 0;
    const steps = await ingest(csv, "budget/steps-2016.csv", BUDGET, () => copied++ === 0);
    expect(Math.max(...steps.invocations)).toBeLessThanOrEqual(BUDGET);
    expect(steps.finalizes).toBeGreaterThanOrEqual(4);
    expect(await published(steps.id, earlier.id)).toEqual(reference);
    const year = await env.DB.prepare("SELECT ingestion_id FROM datasets WHERE data_year = 2016").first("ingestion_id");
    expect(year).toBe(steps.id);
    // The decision is guarded in D1: a chain that reaches it after another decided changes nothing.
    expect(await decidePublication(env.DB, steps.id, 2016, "processing")).toBe("unchanged");
    expect(await decidePublication(env.DB, whole.id, 2016, "processing")).toBe("unchanged");
    expect(await env.DB.prepare("SELECT ingestion_id FROM datasets WHERE data_year = 2016").first("ingestion_id")).toBe(
      steps.id,
    );
  });

  it("keeps a batch of small files within the budget, publishing each in the batch or after it", async () => {
    const budget = 200;
    const testEnv: SteppedEnv = steppedEnv({ INGEST_STATEMENTS_PER_INVOCATION: String(budget) });
    const years = [2001, 2002, 2003, 2004, 2005];
    const notes = [];
    for (const year of years) notes.push(await putObject(`budget/small-${year}.csv`, genCsv(syntheticRows(6, year))));
    const invocations: number[] = [];
    const invoke = async (bodies: unknown[]) => {
      const counter: StatementCounter = { statements: 0 };
      const result = await deliverBatch({ ...testEnv, DB: countingD1(env.DB, counter) }, bodies);
      expect(result.retryMessages).toEqual([]);
      invocations.push(counter.statements);
    };
    // One-chunk files: each is loaded by its notification (~26 statements each here), then
    // published with what is left; the rest goes on in finalize messages.
    await invoke(notes);
    expect(testEnv.INGEST_QUEUE.sent.filter(isFinalize).length).toBeGreaterThanOrEqual(1);
    for (let pending = testEnv.INGEST_QUEUE.take(); pending.length > 0; pending = testEnv.INGEST_QUEUE.take()) {
      expect(pending.every(isFinalize)).toBe(true);
      await invoke(pending);
    }
    expect(Math.max(...invocations)).toBeLessThanOrEqual(budget);
    const { results } = await env.DB.prepare(
      "SELECT status, count(*) AS n FROM ingestions WHERE object_key LIKE 'budget/small-%' GROUP BY status",
    ).all();
    expect(results).toEqual([{ status: "done", n: years.length }]);
    const pairs = await env.DB.prepare(
      "SELECT count(*) AS n FROM change_pairs WHERE ingestion_id IN (SELECT ingestion_id FROM datasets WHERE data_year BETWEEN 2002 AND 2005)",
    ).first<number>("n");
    expect(pairs).toBeGreaterThanOrEqual(years.length - 1);
  });
});
