// One function per issue #15 endpoint (fuels, years and change), same-origin under /api/v1.
// Kept apart from api.ts so the two can change independently; both call the API through its `call`.
import type { z } from "@hono/zod-openapi";
import type {
  HistoryEntrySchema,
  MoverSchema,
  MoversSchema,
  PlantHistorySchema,
  PlantSearchSchema,
} from "../../../worker/api/schemas/change";
import type { FuelMixEntrySchema } from "../../../worker/api/schemas/fuels";
import type {
  StateDetailSchema,
  StateHistorySchema,
  StateSummarySchema,
} from "../../../worker/api/schemas/state-detail";
import { call, query, type TopPlantsResponse } from "./api";
import type { FuelCategory } from "./fuels";

// Response types are inferred from the zod schemas that validate and document the API (type-only
// imports: nothing of the Worker reaches the bundle), as in api.ts.
export type StateSummary = z.infer<typeof StateSummarySchema>;
export type StateDetailResponse = z.infer<typeof StateDetailSchema>;
export type StateHistoryResponse = z.infer<typeof StateHistorySchema>;
export type FuelMixEntry = z.infer<typeof FuelMixEntrySchema>;

export type MoversResponse = z.infer<typeof MoversSchema>;
export type MoverRow = z.infer<typeof MoverSchema>;
export type PlantHistoryResponse = z.infer<typeof PlantHistorySchema>;
export type PlantHistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type PlantSearchResponse = z.infer<typeof PlantSearchSchema>;

/** Most movers the API answers at once (GET /plants/movers `n`, 1-100). */
export const MOVERS_MAX = 100;

export interface TopByFuelQuery {
  n: number;
  state: string | null;
  year: number | null;
  fuel: FuelCategory | null;
}

/** URL of GET /api/v1/plants/top with the fuel filter; `csv` asks for format=csv. */
export function topPath(q: TopByFuelQuery, csv = false): string {
  return `/api/v1/plants/top${query({ n: q.n, state: q.state, year: q.year, fuel: q.fuel, format: csv ? "csv" : null })}`;
}

/** GET /api/v1/plants/top?fuel= (422 when the year's file has no fuel column). */
export async function fetchTop(token: string, q: TopByFuelQuery, signal?: AbortSignal): Promise<TopPlantsResponse> {
  return (await call(topPath(q), { token, signal })).json();
}

/** GET /api/v1/plants/top?format=csv with the fuel filter: the API's own CSV of the rows. */
export async function fetchTopCsv(token: string, q: TopByFuelQuery): Promise<Blob> {
  return (await call(topPath(q, true), { token, accept: "text/csv" })).blob();
}

export interface MoversQuery {
  year: number | null;
  state: string | null;
  fuel: FuelCategory | null;
  n: number;
  direction: "up" | "down";
}

/** GET /api/v1/plants/movers */
export async function fetchMovers(token: string, q: MoversQuery, signal?: AbortSignal): Promise<MoversResponse> {
  const n = Math.min(q.n, MOVERS_MAX);
  const path = `/api/v1/plants/movers${query({ year: q.year, state: q.state, fuel: q.fuel, n, direction: q.direction })}`;
  return (await call(path, { token, signal })).json();
}

/** GET /api/v1/plants/{plantId}/history; `year` is the year whose plant id this is. */
export async function fetchPlantHistory(
  token: string,
  plantId: string,
  year: number | null,
  signal?: AbortSignal,
): Promise<PlantHistoryResponse> {
  return (
    await call(`/api/v1/plants/${encodeURIComponent(plantId)}/history${query({ year })}`, { token, signal })
  ).json();
}

/** GET /api/v1/states/{code}?year= ("US" = the nation) */
export async function fetchStateSummary(
  token: string,
  code: string,
  year: number | null,
  signal?: AbortSignal,
): Promise<StateDetailResponse> {
  return (await call(`/api/v1/states/${encodeURIComponent(code)}${query({ year })}`, { token, signal })).json();
}

/** GET /api/v1/states/{code}/history */
export async function fetchStateHistory(
  token: string,
  code: string,
  signal?: AbortSignal,
): Promise<StateHistoryResponse> {
  return (await call(`/api/v1/states/${encodeURIComponent(code)}/history`, { token, signal })).json();
}

/** GET /api/v1/plants?search=&year= */
export async function searchPlants(
  token: string,
  search: string,
  year: number | null,
  signal?: AbortSignal,
): Promise<PlantSearchResponse> {
  return (await call(`/api/v1/plants${query({ search, year, limit: 10 })}`, { token, signal })).json();
}
