// Response bodies of the shapes the API contract documents (docs/api.md, issue #11 item 3).
import type { DatasetVersion, Ingestion, YearDatasets } from "../../../web/src/lib/api";

export function ingestion(id: string, extra: Partial<Ingestion> = {}): Ingestion {
  return {
    id,
    bucket: "egrid-uploads",
    objectKey: `uploads/${id}.csv`,
    status: "done",
    error: null,
    holdReason: null,
    active: false,
    dataYear: 2023,
    sizeBytes: 1000,
    rows: { read: 10, loaded: 10, rejected: 0 },
    plantCount: 4,
    chunks: { total: 2, done: 2 },
    attempts: 1,
    replacedIngestionId: null,
    supersededBy: null,
    uploadedBy: "owner@example.com",
    timings: {
      uploadedAt: "2026-11-30T10:00:00Z",
      queuedAt: "2026-11-30T10:00:00Z",
      startedAt: null,
      completedAt: null,
      durationMs: null,
    },
    ...extra,
  };
}

export function version(ingestionId: string, extra: Partial<DatasetVersion> = {}): DatasetVersion {
  return {
    ingestionId,
    objectKey: `uploads/${ingestionId}.csv`,
    status: "done",
    active: false,
    holdReason: null,
    plantCount: 12_345,
    generatorCount: 26_601,
    uploadedAt: "2026-11-30T10:00:00Z",
    completedAt: "2026-11-30T10:01:00Z",
    uploadedBy: "owner@example.com",
    rowsStored: 38_946,
    canActivate: true,
    cannotActivateReason: null,
    ...extra,
  };
}

export function year(y: number, extra: Partial<YearDatasets> = {}): YearDatasets {
  return {
    year: y,
    state: "published",
    activeIngestionId: null,
    activatedAt: "2026-11-30T10:01:00Z",
    activatedBy: "owner@example.com",
    withdrawnAt: null,
    withdrawnIngestionId: null,
    versions: [],
    ...extra,
  };
}
