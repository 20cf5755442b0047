import { and, eq, sum } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { bareEtag } from "../../domain/etag";
import { readIngestionRecord } from "../db/ingestions";
import { ingestionChunks } from "../db/schema";
import { INSERT_PLANTS_RANGE, INSERT_PLANTS_REST, SAMPLED_KEYS } from "../db/sql/plant-parts";
import type { StatementRunner } from "../db/sql/runner";
import { plantsPerStatement } from "../db/sql/runner";
import { refreshDatasetsPointer } from "../publication/pointer";
import { decidePublication } from "../publication/publish";
import { plantKeySampleStep } from "./plant-parts";
import { precomputeFuels, recordFuelWarning } from "./precompute-fuels";
import { precomputeYears } from "./precompute-years";
import { applyRetention } from "./retention";
import { endIngestion } from "./rows";
import { StepLog } from "./step-log";

/**
 * Writes the plants of an ingestion that is not published yet, range by range. Each chunk sampled
 * every step-th of its plant keys, so about `step` parts of the ingestion lie between two
 * consecutive keys of all samples: every (perStatement / step)-th of them ends a range of about
 * perStatement plants. The ranges tile the keys whatever the samples are, so a missing or skewed
 * sample only changes statement sizes, never the result. Readers never see these plants before
 * the publishing batch points the year here, and plants already written by an earlier attempt
 * are kept (ON CONFLICT DO NOTHING), so this can run again after a crash.
 */
async function writePlants(env: Env, ingestionId: string, run: StatementRunner): Promise<void> {
  const every = Math.max(1, Math.round(plantsPerStatement(env) / plantKeySampleStep(env)));
  const { results: sampled } = await run<{ plant_key: string }>(SAMPLED_KEYS, ingestionId);
  let after = "";
  for (let i = every - 1; i < sampled.length; i += every) {
    const end = (sampled[i] as { plant_key: string }).plant_key;
    await run(INSERT_PLANTS_RANGE, ingestionId, after, end);
    after = end;
  }
  await run(INSERT_PLANTS_REST, ingestionId, after);
}

/**
 * Publishes an ingestion once all its chunks are done: writes its plant totals (merging the
 * chunks' plant parts, in bounded statements, still invisible), then makes it the active dataset
 * of its year in one small D1 batch, so readers switch from the old numbers to the new ones at
 * once, unless a file of the year uploaded later is already published (upload order wins, not
 * finish order) or the file looks like a mistake (held; see worker/publication/publish.ts).
 * Returns true when this call published it.
 */
export async function finalizeIfComplete(env: Env, ingestionId: string): Promise<boolean> {
  const ingestion = await readIngestionRecord(env.DB, ingestionId);
  if (ingestion?.status !== "processing") return false;
  const db = drizzle(env.DB);
  const pending = await db.$count(
    ingestionChunks,
    and(eq(ingestionChunks.ingestionId, ingestionId), eq(ingestionChunks.status, "pending")),
  );
  if (pending !== 0) return false;

  const current = await env.UPLOADS.head(ingestion.object_key);
  if (!current || bareEtag(current.etag) !== ingestion.etag) {
    await endIngestion(
      env.DB,
      ingestionId,
      "skipped",
      "The object was deleted or overwritten before its ingestion finished; nothing was published.",
    );
    return false;
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
    return false;
  }

  const steps = new StepLog(env.DB, ingestionId);
  await steps.step("plants", (run) => writePlants(env, ingestionId, run));
  const size = plantsPerStatement(env);
  const fuelWarning = await steps.step("fuels", (run) => precomputeFuels(env.DB, ingestionId, run, size));
  await steps.step("years", (run) => precomputeYears(env.DB, ingestionId, run, size));
  const outcome = await steps.step("publish", () =>
    decidePublication(env.DB, ingestionId, ingestion.data_year as number, "processing"),
  );
  if (fuelWarning) await recordFuelWarning(env.DB, ingestionId, fuelWarning);
  if (outcome === "unchanged") return false;
  await steps.step("pointer-and-changes", () => refreshDatasetsPointer(env));
  // Whatever the outcome, versions beyond the retention window are purged. Earlier versions of
  // the same key (overwritten) stay within it: putting their bytes again publishes them at once.
  await steps.step("retention", () => applyRetention(env));
  return outcome === "published";
}
