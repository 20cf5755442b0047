// One function per API endpoint the page uses (issue 3's contract), all same-origin under
// /api/v1. Every failure becomes an ApiError carrying the problem document's `detail`.
import type { z } from "@hono/zod-openapi";
import type { AuditEntrySchema, AuditPageSchema } from "../../../worker/api/schemas/audit";
import type { TokenSchema } from "../../../worker/api/schemas/auth";
import type { SourceSchema } from "../../../worker/api/schemas/common";
import type { DatasetsSchema, DatasetVersionSchema, YearDatasetsSchema } from "../../../worker/api/schemas/datasets";
import type { IngestionDetailSchema, IngestionSchema } from "../../../worker/api/schemas/ingestions";
import type { ApiKeySchema, CreatedApiKeySchema } from "../../../worker/api/schemas/keys";
import type {
  GeneratorSchema,
  PlantDetailSchema,
  TopPlantSchema,
  TopPlantsSchema,
} from "../../../worker/api/schemas/plants";
import type { StatesSchema, YearsSchema } from "../../../worker/api/schemas/states";
import type { UploadAcceptedSchema } from "../../../worker/api/schemas/uploads";

// Response types come from the zod schemas that validate and document the API (type-only
// imports: nothing of the Worker reaches the bundle), so the page cannot drift from the contract.
export type TopPlant = z.infer<typeof TopPlantSchema>;
export type Source = z.infer<typeof SourceSchema>;
export type TopPlantsResponse = z.infer<typeof TopPlantsSchema>;
export type Generator = z.infer<typeof GeneratorSchema>;
export type PlantDetailResponse = z.infer<typeof PlantDetailSchema>;
export type StatesResponse = z.infer<typeof StatesSchema>;
export type StateTotal = StatesResponse["data"][number];
export type YearsResponse = z.infer<typeof YearsSchema>;
export type Ingestion = z.infer<typeof IngestionSchema>;
export type IngestionDetail = z.infer<typeof IngestionDetailSchema>;
/** One complete version of a year's data (GET /api/v1/datasets), newest upload first. */
export type DatasetVersion = z.infer<typeof DatasetVersionSchema>;
/** A year: what is published (or withdrawn) and its versions. "unpublished": none ever was. */
export type YearDatasets = z.infer<typeof YearDatasetsSchema>;
export type DatasetsResponse = z.infer<typeof DatasetsSchema>;
export type UploadAccepted = z.infer<typeof UploadAcceptedSchema>;
/** An API key as GET /api/v1/keys lists it (never the secret). */
export type ApiKey = z.infer<typeof ApiKeySchema>;
/** POST /api/v1/keys's answer: the only time the secret is ever sent. */
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;
/** One audit-trail entry (GET /api/v1/audit). */
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditPage = z.infer<typeof AuditPageSchema>;
export type Token = z.infer<typeof TokenSchema>;

/** An API failure: HTTP status (0 = no response) and the problem document's words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Reads an RFC 9457 problem document (or anything else) from a failed response. */
export async function problemFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const problem = JSON.parse(text) as { title?: unknown; detail?: unknown };
    if (typeof problem.detail === "string") {
      return new ApiError(response.status, String(problem.title ?? response.statusText), problem.detail);
    }
  } catch {
    // Not JSON: a proxy or platform error page. Fall through to a generic message.
  }
  return new ApiError(
    response.status,
    response.statusText || "Error",
    `The API answered ${response.status} ${response.statusText}.`.trim(),
  );
}

/** The status check: throws ApiError unless the response is 2xx. */
export async function checkStatus(response: Response): Promise<Response> {
  if (response.ok) return response;
  throw await problemFrom(response);
}

interface CallOptions {
  token?: string | null;
  signal?: AbortSignal;
  method?: string;
  body?: BodyInit;
  accept?: string;
  contentType?: string;
}

/**
 * The one way the page calls the API: bearer token, Accept, no-cache revalidation; a network
 * failure becomes ApiError status 0 (an abort stays an AbortError), any non-2xx a problem ApiError.
 */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.contentType) headers["Content-Type"] = options.contentType;
  let response: Response;
  try {
    // "no-cache" = revalidate every time: the API answers `Cache-Control: private, max-age=60`
    // with an ETag, so an unchanged result costs a 304, while a finished ingestion (a new year, new
    // numbers) shows at once instead of up to a minute later.
    response = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: options.body,
      signal: options.signal,
      cache: "no-cache",
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "Network error", "Could not reach the API. Check your connection and try again.");
  }
  return checkStatus(response);
}

/** Query string from the values that are set (null, undefined and "" are left out). */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : "";
}

/** POST /api/v1/auth/token */
export async function signIn(email: string, password: string): Promise<Token> {
  const response = await call("/api/v1/auth/token", {
    method: "POST",
    body: JSON.stringify({ email, password }),
    contentType: "application/json",
  });
  return response.json();
}

/** GET /api/v1/plants/{plantId}: one plant with a page of its generators (after `cursor`, if given). */
export async function fetchPlant(
  token: string,
  plantId: string,
  year: number | null,
  signal?: AbortSignal,
  cursor?: string,
): Promise<PlantDetailResponse> {
  return (
    await call(`/api/v1/plants/${encodeURIComponent(plantId)}${query({ year, cursor })}`, { token, signal })
  ).json();
}

/** GET /api/v1/states */
export async function fetchStates(token: string, year: number | null, signal?: AbortSignal): Promise<StatesResponse> {
  return (await call(`/api/v1/states${query({ year })}`, { token, signal })).json();
}

/** GET /api/v1/years */
export async function fetchYears(token: string, signal?: AbortSignal): Promise<YearsResponse> {
  return (await call("/api/v1/years", { token, signal })).json();
}

/** GET /api/v1/ingestions (owner) */
export async function fetchIngestions(token: string, signal?: AbortSignal): Promise<{ data: Ingestion[] }> {
  return (await call("/api/v1/ingestions", { token, signal })).json();
}

/** GET /api/v1/ingestions/{id} (owner) */
export async function fetchIngestion(token: string, id: string, signal?: AbortSignal): Promise<IngestionDetail> {
  return (await call(`/api/v1/ingestions/${encodeURIComponent(id)}`, { token, signal })).json();
}

/** GET /api/v1/datasets (owner): per year, newest first. */
export async function fetchDatasets(token: string, signal?: AbortSignal): Promise<DatasetsResponse> {
  return (await call("/api/v1/datasets", { token, signal })).json();
}

/** POST /api/v1/datasets/{year}/active (owner): publishes a stored version; 409 says why not. */
export async function publishVersion(token: string, year: number, ingestionId: string): Promise<YearDatasets> {
  const response = await call(`/api/v1/datasets/${year}/active`, {
    token,
    method: "POST",
    body: JSON.stringify({ ingestionId }),
    contentType: "application/json",
  });
  return response.json();
}

/** DELETE /api/v1/datasets/{year}/active (owner): no data served for the year until republished. */
export async function withdrawYear(token: string, year: number): Promise<YearDatasets> {
  return (await call(`/api/v1/datasets/${year}/active`, { token, method: "DELETE" })).json();
}

/**
 * POST /api/v1/uploads (owner) with the raw file as the body. XMLHttpRequest, not fetch, because
 * only XHR reports upload progress; the browser sets Content-Length from the File.
 */
export function uploadCsv(
  token: string,
  file: File,
  onProgress: (loaded: number, total: number) => void,
): { done: Promise<UploadAccepted>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadAccepted>((resolve, reject) => {
    xhr.open("POST", `/api/v1/uploads${query({ filename: file.name })}`);
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Content-Type", "text/csv");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const response = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText });
      checkStatus(response)
        .then((r) => r.json() as Promise<UploadAccepted>)
        .then(resolve, reject);
    };
    xhr.onerror = () =>
      reject(new ApiError(0, "Network error", "The upload was interrupted. Check your connection and try again."));
    xhr.onabort = () => reject(new ApiError(0, "Cancelled", "Upload cancelled."));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** GET /api/v1/keys: own keys (admins: everyone's), newest first. */
export async function fetchKeys(token: string, signal?: AbortSignal): Promise<{ data: ApiKey[] }> {
  return (await call("/api/v1/keys", { token, signal })).json();
}

/** POST /api/v1/keys; `expiresAt` is ISO 8601 and must be in the future (400 otherwise). */
export async function createKey(token: string, name: string, expiresAt: string | null): Promise<CreatedApiKey> {
  const response = await call("/api/v1/keys", {
    token,
    method: "POST",
    body: JSON.stringify(expiresAt ? { name, expiresAt } : { name }),
    contentType: "application/json",
  });
  return response.json();
}

/** DELETE /api/v1/keys/{id}: 204; the key stops working at once. */
export async function revokeKey(token: string, id: string): Promise<void> {
  await call(`/api/v1/keys/${encodeURIComponent(id)}`, { token, method: "DELETE" });
}

export interface AuditQuery {
  /** One action, or null for all. */
  action: string | null;
  actor: string | null;
  since: string | null;
  until: string | null;
  cursor?: string | null;
  limit?: number;
}

/** GET /api/v1/audit (admin): newest first; `nextCursor` fetches the next (older) page. */
export async function fetchAudit(token: string, q: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  const path = `/api/v1/audit${query({ action: q.action, actor: q.actor, since: q.since, until: q.until, cursor: q.cursor, limit: q.limit })}`;
  return (await call(path, { token, signal })).json();
}
