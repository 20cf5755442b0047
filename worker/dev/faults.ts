/**
 * Local fault switches, set through POST /__dev/faults (dev routes only, so never in production).
 * Isolate memory: local dev runs one isolate, which is all a fault drill needs.
 */
export const faults = { d1: "up" as "up" | "down" };
