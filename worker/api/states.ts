import { isStateCode as isKnownCode, STATE_CODES } from "../ingest/parse/states";
import { ProblemError } from "./problem";

export { STATE_CODES, STATE_NAMES } from "../ingest/parse/states";

/** True for a known code in any case and with surrounding spaces ("tx", " TX"). */
export function isStateCode(raw: string): boolean {
  return isKnownCode(raw.trim().toUpperCase());
}

/**
 * Normalises a `state` parameter (any case) to its code, or throws a 400 problem listing the
 * valid codes. Absent or empty means the whole country (null).
 */
export function parseStateParam(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === "") return null;
  const code = raw.trim().toUpperCase();
  if (isKnownCode(code)) return code;
  throw new ProblemError(
    400,
    "invalid-parameter",
    "Invalid request parameter",
    `state: unknown state code "${raw}"; use a two-letter code such as TX (any case), one of: ${STATE_CODES.join(", ")}`,
    { errors: [{ in: "query", name: "state", detail: "unknown state code" }], validStates: STATE_CODES },
  );
}
