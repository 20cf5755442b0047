import { fetchStateSummary } from "../../lib/analysis-api";
import { FUEL_STYLES, type FuelCategory } from "../../lib/fuels";
import { useApiRequest } from "../../lib/session-context";
import type { MapShare } from "../us-map";

/** Requests in flight at once: a browser's per-host connection limit, so none waits in its queue. */
const PARALLEL = 6;

/**
 * A fuel's share of each state's net generation for the map (GET /states/{code}?year= per state,
 * each cached by the API per dataset version). Nothing is fetched while the map shows totals.
 */
export function useMapShare(fuel: FuelCategory | null, year: number | null, codes: string[]) {
  const key = fuel && codes.length > 0 ? `map-share:${fuel}:${year}:${codes.join(",")}` : null;
  const request = useApiRequest(key, async (token, signal): Promise<MapShare> => {
    const pct = new Map<string, number | null>();
    const queue = [...codes];
    const worker = async () => {
      for (let code = queue.shift(); code; code = queue.shift()) {
        const { data } = await fetchStateSummary(token, code, year, signal);
        // No fuel column that year (fuels null): unknown, not 0%.
        pct.set(code, data.fuels ? (data.fuels.find((f) => f.category === fuel)?.sharePct ?? 0) : null);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, codes.length) }, worker));
    return { fuelLabel: fuel ? FUEL_STYLES[fuel].label : "", pct };
  });
  return key ? request : null;
}
