import { STATE_CODES, stateCodeOf } from "../../domain/states";
import { ProblemError } from "./problem";

/**
 * Normalises a `state` parameter (any case) to its code, or throws a 400 problem listing the
 * valid codes. Absent or empty means the whole country (null).
 */
export function parseStateParam(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === "") return null;
  const code = stateCodeOf(raw);
  if (code) return code;
  throw new ProblemError(
    400,
    "invalid-parameter",
    "Invalid request parameter",
    `state: unknown state code "${raw}"; use a two-letter code such as TX (any case), one of: ${STATE_CODES.join(", ")}`,
    { errors: [{ in: "query", name: "state", detail: "unknown state code" }], validStates: STATE_CODES },
  );
}
