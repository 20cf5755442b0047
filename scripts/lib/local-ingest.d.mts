export const FINAL_STATUSES: Set<string>;
export interface Ingestion {
  id: string;
  status: string;
  key: string | null;
  dataYear: number | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  plantCount: number | null;
  chunkCount: number | null;
  chunksDone: number;
  error: string | null;
  holdReason: string | null;
  uploadedAt: number | null;
  /** True when this version is what its year serves. */
  active: boolean;
  startedAt: number | null;
  completedAt: number | null;
  rejected: { line: number; reason: string; raw?: string | null }[];
}
export function normalizeIngestion(body: unknown): Ingestion;
export function uploadsBucketName(configPath?: string): string;
export function defaultObjectKey(file: string): string;
export function putLocalObject(options: {
  file: string;
  key: string;
  persistDir: string;
  bucket?: string;
}): Promise<void>;
export function notifyLocal(apiUrl: string, key: string): Promise<{ ingestionId: string }>;
export function deleteLocalObject(options: { key: string; persistDir: string; bucket?: string }): Promise<void>;
export function notifyLocalDelete(apiUrl: string, key: string): Promise<{ key: string; ingestionIds: string[] }>;
export function waitForRetraction(
  apiUrl: string,
  ids: string[],
  options?: { timeoutMs?: number; intervalMs?: number },
): Promise<Ingestion[]>;
export function getIngestion(apiUrl: string, id: string, options?: { timeoutMs?: number }): Promise<Ingestion>;
export function waitForIngestion(
  apiUrl: string,
  id: string,
  options?: {
    onProgress?: (ingestion: Ingestion) => void;
    onBusy?: (error: Error) => void;
    /** Wait until the record's upload time is at least this (ms): the consumer took this put. */
    uploadedSince?: number;
    timeoutMs?: number;
    intervalMs?: number;
    /** Per poll; a poll that times out counts as "busy" and is retried. */
    requestTimeoutMs?: number;
  },
): Promise<Ingestion>;
export function localD1Query(persistDir: string, sql: string): Promise<Record<string, unknown>[]>;
export function localRejections(
  persistDir: string,
  id: string,
  limit?: number,
): Promise<{ line: number; reason: string; raw: string | null }[]>;
