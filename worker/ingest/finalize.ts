import { and, eq, sum } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { bareEtag } from "../../domain/etag";
import { readIngestionRecord } from "../db/ingestions";
import type { IngestionRow } from "../db/rows";
import { ingestionChunks } from "../db/schema";
import { INSERT_PLANTS_RANGE, INSERT_PLANTS_REST, SAMPLED_KEYS } from "../db/sql/plant-parts";
import type { Room, StatementRunner } from "../db/sql/runner";
import { plantsPerStatement } from "../db/sql/runner";
import type { PairAt } from "../publication/change-pairs";
import { refreshDatasetsPointer } from "../publication/pointer";
import { decidePublication } from "../publication/publish";
import { plantKeySampleStep } from "./plant-parts";
import { type FuelsAt, fuelWarning, precomputeFuels, recordFuelWarning } from "./precompute-fuels";
import { precomputeYears, type YearsAt } from "./precompute-years";
import { applyRetention } from "./retention";
import { endIngestion } from "./rows";
import { StepLog } from "./step-log";

/** Publishing, step by step; a finalize message resumes at one of them. */
export const FINALIZE_STEPS = ["plants", "fuels", "years", "publish", "pointer-and-changes", "retention"] as const;
export type FinalizeStep = (typeof FINALIZE_STEPS)[number];

/** Where publishing resumes: a step and, when it had begun, where inside it (the step's own JSON). */
export interface FinalizeCursor {
  step: FinalizeStep;
  at?: unknown;
}

/** Publishing asked for by a message: the ingestion, and where to resume (absent: from the start). */
export interface FinalizeRequest {
  ingestionId: string;
  from?: FinalizeCursor;
}

/** Where writing plants stopped: the index in the key sample of the next range's end, after the last range's end. */
interface PlantsAt {
  index: number;
  after: string;
}

/** Where the pointer step stopped: the pointer written, the year pairs to resume (absent: not begun). */
interface PointerAt {
  changes?: PairAt;
}

/** completedIngestion's statements: the record, its pending chunks, its totals. */
const PRELUDE_STATEMENTS = 3;
/** The decision's statements: the facts, its batch of 3, the outcome, then the fuel warning read and recorded. */
const PUBLISH_STATEMENTS = 7;
/** Before the pointer step: the datasets read, then a year pair's check, first range and record. */
const POINTER_STATEMENTS = 5;
/** Returned by the publish step when nothing was published or held: the later steps are skipped. */
const UNCHANGED = Symbol("unchanged");

/**
 * Writes the plants of an ingestion that is not published yet, range by range. Each chunk sampled
 * every step-th of its plant keys, so about `step` parts of the ingestion lie between two
 * consecutive keys of all samples: every (perStatement / step)-th of them ends a range of about
 * perStatement plants. The ranges tile the keys whatever the samples are, so a missing or skewed
 * sample only changes statement sizes, never the result. Readers never see these plants before
 * the publishing batch points the year here, and plants already written by an earlier attempt
 * are kept (ON CONFLICT DO NOTHING), so this can run again after a crash. The sample is fixed
 * once every chunk is done, so a position in it stays valid in a later invocation.
 */
async function writePlants(
  env: Env,
  ingestionId: string,
  run: StatementRunner,
  room: Room,
  from?: PlantsAt,
): Promise<PlantsAt | null> {
  const every = Math.max(1, Math.round(plantsPerStatement(env) / plantKeySampleStep(env)));
  let { index, after } = from ?? { index: every - 1, after: "" };
  if (!room(2)) return { index, after };
  const { results: sampled } = await run<{ plant_key: string }>(SAMPLED_KEYS, ingestionId);
  for (; index < sampled.length; index += every) {
    if (!room(1)) return { index, after };
    const end = (sampled[index] as { plant_key: string }).plant_key;
    await run(INSERT_PLANTS_RANGE, ingestionId, after, end);
    after = end;
  }
  if (!room(1)) return { index, after };
  await run(INSERT_PLANTS_REST, ingestionId, after);
  return null;
}

/**
 * The ingestion when it is still processing with all its chunks done and some rows loaded;
 * otherwise null, after ending it when its object changed or nothing could be loaded.
 */
async function completedIngestion(env: Env, ingestionId: string): Promise<IngestionRow | null> {
  const ingestion = await readIngestionRecord(env.DB, ingestionId);
  if (ingestion?.status !== "processing") return null;
  const db = drizzle(env.DB);
  const pending = await db.$count(
    ingestionChunks,
    and(eq(ingestionChunks.ingestionId, ingestionId), eq(ingestionChunks.status, "pending")),
  );
  if (pending !== 0) return null;

  const current = await env.UPLOADS.head(ingestion.object_key);
  if (!current || bareEtag(current.etag) !== ingestion.etag) {
    await endIngestion(
      env.DB,
      ingestionId,
      "skipped",
      "The object was deleted or overwritten before its ingestion finished; nothing was published.",
    );
    return null;
  }
  const [totals] = await db
    .select({
      read: sum(ingestionChunks.rowsRead).mapWith(Number),
      loaded: sum(ingestionChunks.rowsLoaded).mapWith(Number),
    })
    .from(ingestionChunks)
    .where(eq(ingestionChunks.ingestionId, ingestionId));
  if (!totals?.loaded) {
    await endIngestion(
      env.DB,
      ingestionId,
      "failed",
      `None of the ${totals?.read ?? 0} data rows could be loaded, so the ${ingestion.data_year} data was left as it was. See the rejected rows for the reasons.`,
    );
    return null;
  }
  return ingestion;
}

/**
 * Publishes an ingestion once all its chunks are done: writes its plant totals (merging the
 * chunks' plant parts, in bounded statements, still invisible) and its precomputed tables, then
 * makes it the active dataset of its year in one small D1 batch, so readers switch from the old
 * numbers to the new ones at once, unless a file of the year uploaded later is already published
 * (upload order wins, not finish order) or the file looks like a mistake (held; see
 * worker/publication/publish.ts); then the pointer, the year pairs and retention.
 *
 * Runs from `from` while `room` allows (D1's statements per invocation: worker/ingest/budget.ts)
 * and returns where to resume in another invocation, or null when done or when there is nothing
 * to do (not complete, no longer processing, already decided). Every step writes only what is
 * missing, and the decision is guarded in D1 (only a processing ingestion is decided, once), so
 * a duplicated, retried or concurrent run publishes the same result. Steps after the decision
 * run whatever the status, as the run that decided continues them.
 */
export async function finalizeIngestion(
  env: Env,
  ingestionId: string,
  room: Room,
  from: FinalizeCursor = { step: "plants" },
): Promise<FinalizeCursor | null> {
  const first = Math.max(0, FINALIZE_STEPS.indexOf(from.step));
  let year = 0;
  if (first <= FINALIZE_STEPS.indexOf("publish")) {
    if (!room(PRELUDE_STATEMENTS)) return from;
    const ingestion = await completedIngestion(env, ingestionId);
    if (!ingestion) return null;
    year = ingestion.data_year as number;
  }
  const size = plantsPerStatement(env);
  const work: Record<FinalizeStep, (run: StatementRunner, at: never) => Promise<unknown>> = {
    plants: (run, at: PlantsAt | undefined) => writePlants(env, ingestionId, run, room, at),
    fuels: (run, at: FuelsAt | undefined) => precomputeFuels(env.DB, ingestionId, run, size, room, at),
    years: (run, at: YearsAt | undefined) => precomputeYears(env.DB, ingestionId, run, size, room, at),
    publish: async (run) => {
      if (!room(PUBLISH_STATEMENTS)) return {};
      const outcome = await decidePublication(env.DB, ingestionId, year, "processing");
      const warning = await fuelWarning(run, ingestionId);
      if (warning) await recordFuelWarning(env.DB, ingestionId, warning);
      return outcome === "unchanged" ? UNCHANGED : null;
    },
    "pointer-and-changes": async (_, at: PointerAt = {}) => {
      if (!room(POINTER_STATEMENTS)) return at;
      const changes = await refreshDatasetsPointer(env, room, at.changes);
      return changes && { changes };
    },
    // Whatever the outcome, versions beyond the retention window are purged. Earlier versions of
    // the same key (overwritten) stay within it: putting their bytes again publishes them at once.
    retention: async () => {
      if (!room(1)) return {};
      await applyRetention(env);
      return null;
    },
  };
  const steps = new StepLog(env.DB, ingestionId);
  let at = from.at;
  for (const step of FINALIZE_STEPS.slice(first)) {
    const left = await steps.step(step, (run) => work[step](run, at as never));
    if (left === UNCHANGED) return null;
    if (left !== null) return { step, at: left };
    at = undefined;
  }
  return null;
}
