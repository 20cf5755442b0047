import { plantsPerStatement } from "../db/sql/runner";
import type { GeneratorRow } from "./parse/generator-row";

/** At most every this many parts, a chunk records one plant key as a sample (see plantKeySampleStep). */
const PLANT_KEY_SAMPLE_STEP = 500;
/** Sampled keys per merge statement at least, so that statement sizes stay close to the target. */
const SAMPLES_PER_STATEMENT = 4;

/** How many of its parts each sampled plant key of a chunk stands for. */
export function plantKeySampleStep(env: Pick<Env, "INGEST_PLANTS_PER_STATEMENT">): number {
  return Math.max(1, Math.min(PLANT_KEY_SAMPLE_STEP, Math.floor(plantsPerStatement(env) / SAMPLES_PER_STATEMENT)));
}

/**
 * What one chunk's generators contribute to one plant. Publishing merges a plant's parts with the
 * same rules as summing its generators directly: sums of known values (NULL when none is
 * known), counts, the greatest state / name / ORISPL, and as primary fuel the fuel of the largest
 * generator that has one (capacity descending, unknown capacity last, then file order).
 */
export interface PlantPart {
  plantKey: string;
  state: string;
  name: string;
  orispl: number | null;
  net: CompensatedSum;
  generatorCount: number;
  unknownGeneratorCount: number;
  capacity: CompensatedSum;
  fuel: string | null;
  fuelCapacityMw: number | null;
  fuelLine: number | null;
  seqs: number[];
}

/** A floating-point sum with Neumaier compensation (as SQLite's sum() does), NULL until a value is added. */
export interface CompensatedSum {
  known: boolean;
  sum: number;
  compensation: number;
}

function emptySum(): CompensatedSum {
  return { known: false, sum: 0, compensation: 0 };
}

function add(acc: CompensatedSum, value: number | null): void {
  if (value === null) return;
  const t = acc.sum + value;
  acc.compensation += Math.abs(acc.sum) >= Math.abs(value) ? acc.sum - t + value : value - t + acc.sum;
  acc.sum = t;
  acc.known = true;
}

export function sumOf(acc: CompensatedSum): number | null {
  return acc.known ? acc.sum + acc.compensation : null;
}

/** SQLite's max() on text (BINARY collation: UTF-8 byte order, which is code point order). */
export function maxText(a: string, b: string): string {
  if (a === b) return a;
  const x = a[Symbol.iterator]();
  const y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next();
    const q = y.next();
    if (p.done) return b;
    if (q.done) return a;
    const cp = p.value.codePointAt(0) as number;
    const cq = q.value.codePointAt(0) as number;
    if (cp !== cq) return cp > cq ? a : b;
  }
}

/** Collects the plant parts of one chunk, row by row, in file order. */
export class PlantPartCollector {
  private readonly parts = new Map<string, PlantPart>();
  private sorted: string[] | undefined;
  /** The part of the previous row: a plant's rows usually follow each other. */
  private last: PlantPart | undefined;

  add(row: GeneratorRow): void {
    this.sorted = undefined;
    let part = this.last?.plantKey === row.plantKey ? this.last : this.parts.get(row.plantKey);
    if (!part) {
      part = {
        plantKey: row.plantKey,
        state: row.state,
        name: row.plantName,
        orispl: row.orispl,
        net: emptySum(),
        generatorCount: 0,
        unknownGeneratorCount: 0,
        capacity: emptySum(),
        fuel: null,
        fuelCapacityMw: null,
        fuelLine: null,
        seqs: [],
      };
      this.parts.set(row.plantKey, part);
    } else {
      part.state = maxText(part.state, row.state);
      part.name = maxText(part.name, row.plantName);
      if (row.orispl !== null && (part.orispl === null || row.orispl > part.orispl)) part.orispl = row.orispl;
    }
    part.generatorCount++;
    if (row.netGenerationMwh === null) part.unknownGeneratorCount++;
    add(part.net, row.netGenerationMwh);
    add(part.capacity, row.capacityMw);
    if (row.fuel !== null && isLargerFuelCandidate(part, row.capacityMw)) {
      part.fuel = row.fuel;
      part.fuelCapacityMw = row.capacityMw;
      part.fuelLine = row.line;
    }
    part.seqs.push(row.seq);
    this.last = part;
  }

  /**
   * The plant keys in order. The default sort (UTF-16 order, no comparator calls) is close enough
   * to SQLite's order to keep inserts appending and samples representative; it need not be exact.
   */
  private keys(): string[] {
    this.sorted ??= [...this.parts.keys()].sort();
    return this.sorted;
  }

  /**
   * Every `step`-th plant key in order, each from the middle of its `step` keys: each stands for
   * `step` parts of this chunk, and a chunk of n parts gives about n / step of them, rounded.
   */
  keySample(step: number): string[] {
    const keys = this.keys();
    const sample: string[] = [];
    for (let i = Math.floor((step - 1) / 2); i < keys.length; i += step) sample.push(keys[i] as string);
    return sample;
  }

  /**
   * The parts as JSON tuples in plant-key order (the table's key order within a chunk, so inserts
   * append): key, state, name, net, generators, unknown, sequence numbers, then the values that a
   * file without ORISPL, FUELG1 or NAMEPCAP leaves unknown (ORISPL, capacity, fuel, fuel
   * capacity, fuel line), their trailing nulls left out (`->>` past the end is NULL).
   */
  tuples(): string[] {
    return this.keys().map((key) => {
      const p = this.parts.get(key) as PlantPart;
      const tuple: unknown[] = [
        p.plantKey,
        p.state,
        p.name,
        sumOf(p.net),
        p.generatorCount,
        p.unknownGeneratorCount,
        p.seqs,
        p.orispl,
        sumOf(p.capacity),
        p.fuel,
        p.fuelCapacityMw,
        p.fuelLine,
      ];
      while (tuple[tuple.length - 1] === null) tuple.pop();
      return JSON.stringify(tuple);
    });
  }
}

/** Rows arrive in file order, so on equal capacity the earlier line (already kept) wins. */
function isLargerFuelCandidate(part: PlantPart, capacity: number | null): boolean {
  if (part.fuel === null) return true;
  if (capacity === null) return false;
  return part.fuelCapacityMw === null || capacity > part.fuelCapacityMw;
}
