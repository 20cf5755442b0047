export interface SeedFile {
  /** The data year when known before loading (the shipped files and the sample). */
  year: number | null;
  path: string;
  key: string;
  synthetic: boolean;
}

export interface SeedResult extends SeedFile {
  ingestionId: string;
  status: string;
  error: string | null;
  /** Why a held file was not published (status "held"). */
  holdReason?: string | null;
  rowsLoaded: number;
  plantCount: number | null;
  /** False when the file's ingestion was already done (a later start). */
  loadedNow: boolean;
  /** True when this file is the dataset its year serves. */
  active: boolean;
  /** What the year serves instead, when not this file. */
  activeKey: string | null;
}

export const REAL_FILES: { year: number; path: string }[];
export const SYNTHETIC_KEY: string;
export function seedFiles(seed: string, tempDir: string): Promise<SeedFile[]>;
export function expectedIngestionId(bucket: string, key: string, path: string): Promise<string>;
export function loadSeedFiles(options: {
  files: SeedFile[];
  persistDir: string;
  apiUrl: string;
  login: { email: string; password: string };
  bucket: string;
  log: (message: string) => void;
}): Promise<SeedResult[]>;
export function displayPath(path: string): string;
export function describeSeedResult(result: SeedResult): string;
export function describeSeeded(seeded: SeedResult[], seedName: string): string;
