import { ProblemError } from "./problem";

/** eGRID plant states: the 50 states, DC, Puerto Rico and the other US territories. */
export const STATE_NAMES: Readonly<Record<string, string>> = {
  AK: "Alaska",
  AL: "Alabama",
  AR: "Arkansas",
  AS: "American Samoa",
  AZ: "Arizona",
  CA: "California",
  CO: "Colorado",
  CT: "Connecticut",
  DC: "District of Columbia",
  DE: "Delaware",
  FL: "Florida",
  GA: "Georgia",
  GU: "Guam",
  HI: "Hawaii",
  IA: "Iowa",
  ID: "Idaho",
  IL: "Illinois",
  IN: "Indiana",
  KS: "Kansas",
  KY: "Kentucky",
  LA: "Louisiana",
  MA: "Massachusetts",
  MD: "Maryland",
  ME: "Maine",
  MI: "Michigan",
  MN: "Minnesota",
  MO: "Missouri",
  MP: "Northern Mariana Islands",
  MS: "Mississippi",
  MT: "Montana",
  NC: "North Carolina",
  ND: "North Dakota",
  NE: "Nebraska",
  NH: "New Hampshire",
  NJ: "New Jersey",
  NM: "New Mexico",
  NV: "Nevada",
  NY: "New York",
  OH: "Ohio",
  OK: "Oklahoma",
  OR: "Oregon",
  PA: "Pennsylvania",
  PR: "Puerto Rico",
  RI: "Rhode Island",
  SC: "South Carolina",
  SD: "South Dakota",
  TN: "Tennessee",
  TX: "Texas",
  UT: "Utah",
  VA: "Virginia",
  VI: "U.S. Virgin Islands",
  VT: "Vermont",
  WA: "Washington",
  WI: "Wisconsin",
  WV: "West Virginia",
  WY: "Wyoming",
};

/** Valid codes, sorted. */
export const STATE_CODES = Object.keys(STATE_NAMES).sort();

/** True for a known code in any case and with surrounding spaces ("tx", " TX"). */
export function isStateCode(raw: string): boolean {
  return Boolean(STATE_NAMES[raw.trim().toUpperCase()]);
}

/**
 * Normalises a `state` parameter (any case) to its code, or throws a 400 problem listing the
 * valid codes. Absent or empty means the whole country (null).
 */
export function parseStateParam(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === "") return null;
  const code = raw.trim().toUpperCase();
  if (STATE_NAMES[code]) return code;
  throw new ProblemError(
    400,
    "invalid-parameter",
    "Invalid request parameter",
    `state: unknown state code "${raw}"; use a two-letter code such as TX (any case), one of: ${STATE_CODES.join(", ")}`,
    { errors: [{ in: "query", name: "state", detail: "unknown state code" }], validStates: STATE_CODES },
  );
}
