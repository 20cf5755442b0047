export const DEFAULT_SAMPLE_ROWS: number;
export const SYNTHETIC_PREFIX: string;

export interface SamplePlantFact {
  state: string;
  name: string;
  orispl: number;
  netGenerationMwh: number;
}

/** What {@link writeSampleGenCsv} wrote: the facts a pipeline must reproduce from the file. */
export interface SampleFacts {
  path: string;
  bytes: number;
  year: number;
  seed: number;
  full: boolean;
  rows: number;
  plants: number;
  unknownGenerators: number;
  negativeGenerators: number;
  namesWithCommas: number;
  totalKnownMwh: number;
  states: string[];
  topPlants: SamplePlantFact[];
  bottomPlant: SamplePlantFact | null;
}

export interface SampleOptions {
  rows?: number;
  bytes?: number;
  year?: number;
  seed?: number;
  full?: boolean;
}

export function writeSampleGenCsv(path: string, options?: SampleOptions): Promise<SampleFacts>;
export function sampleColumns(options?: { year?: number; full?: boolean }): string[];
export function csvField(value: unknown): string;
export function formatMwh(value: number | null): string;
export function parseByteSize(text: string): number;
