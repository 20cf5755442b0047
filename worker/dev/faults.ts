/**
 * Local fault switches, set through POST /__dev/faults (dev routes only, so never in production).
 * Isolate memory: local dev runs one isolate, which is all a fault drill needs.
 * - `d1`: "down" makes every D1 call of the API fail.
 * - `d1LatencyMs`: added before every D1 round trip of the API, to stand for a far edge location
 *   (bench:api uses 80 ms).
 */
export const faults = { d1: "up" as "up" | "down", d1LatencyMs: 0 };

/** The most latency a drill may add: more would only trip client timeouts. */
export const MAX_D1_LATENCY_MS = 5_000;
