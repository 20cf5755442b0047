// How big each statement of the plant merge (finalize.ts) is, and so how densely each chunk
// samples its plant keys (chunk.ts) for finalize to cut the merge into statements of that size.

/** Plants merged per statement: bounded, so D1 keeps answering readers between statements. */
export const PLANTS_PER_STATEMENT = 50_000;
/** At most every this many parts, a chunk records one plant key as a sample (see plantKeySampleStep). */
const PLANT_KEY_SAMPLE_STEP = 500;
/** Sampled keys per merge statement at least, so that statement sizes stay close to the target. */
const SAMPLES_PER_STATEMENT = 4;

/** Plants per merge statement for this environment (INGEST_PLANTS_PER_STATEMENT overrides). */
export function plantsPerStatement(env: Env): number {
  return Number(env.INGEST_PLANTS_PER_STATEMENT) || PLANTS_PER_STATEMENT;
}

/** How many of its parts each sampled plant key of a chunk stands for. */
export function plantKeySampleStep(env: Env): number {
  return Math.max(1, Math.min(PLANT_KEY_SAMPLE_STEP, Math.floor(plantsPerStatement(env) / SAMPLES_PER_STATEMENT)));
}
