// The one list of plant-state codes, shared by ingestion (row validation), the API (parameter
// validation, state names) and the page (names, map): a code the API accepts is one a file may
// contain, and one the page can name.

/** eGRID plant states: the 50 states, DC, Puerto Rico and the other US territories, with names. */
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
export const STATE_CODES: readonly string[] = Object.keys(STATE_NAMES).sort();

/** True for a known code, exactly as written (callers upper-case first). */
export function isStateCode(code: string): boolean {
  return Object.hasOwn(STATE_NAMES, code);
}

/** The code a user typed, in any case and with surrounding spaces ("tx", " TX"), or null if unknown. */
export function stateCodeOf(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  return isStateCode(code) ? code : null;
}

/** Full name for a two-letter code in any case ("tx" -> "Texas"); the code itself when unknown. */
export function stateName(code: string): string {
  return STATE_NAMES[code.toUpperCase()] ?? code;
}

/**
 * Census FIPS codes, as us-atlas ids its map features. us-atlas draws none of the territories
 * other than Puerto Rico; the page reaches them through the dropdown.
 */
const STATE_FIPS: Readonly<Record<string, string>> = {
  AL: "01",
  AK: "02",
  AZ: "04",
  AR: "05",
  CA: "06",
  CO: "08",
  CT: "09",
  DE: "10",
  DC: "11",
  FL: "12",
  GA: "13",
  HI: "15",
  ID: "16",
  IL: "17",
  IN: "18",
  IA: "19",
  KS: "20",
  KY: "21",
  LA: "22",
  ME: "23",
  MD: "24",
  MA: "25",
  MI: "26",
  MN: "27",
  MS: "28",
  MO: "29",
  MT: "30",
  NE: "31",
  NV: "32",
  NH: "33",
  NJ: "34",
  NM: "35",
  NY: "36",
  NC: "37",
  ND: "38",
  OH: "39",
  OK: "40",
  OR: "41",
  PA: "42",
  RI: "44",
  SC: "45",
  SD: "46",
  TN: "47",
  TX: "48",
  UT: "49",
  VT: "50",
  VA: "51",
  WA: "53",
  WV: "54",
  WI: "55",
  WY: "56",
  PR: "72",
  AS: "60",
  GU: "66",
  MP: "69",
  VI: "78",
};

/** A U.S. state, DC or territory as eGRID reports it (PSTATEABB) with its Census FIPS code. */
export interface StateInfo {
  code: string;
  name: string;
  fips: string;
}

const byFips = new Map(
  Object.entries(STATE_FIPS).map(([code, fips]) => [fips, { code, name: STATE_NAMES[code] as string, fips }]),
);

/** The state for a FIPS code as us-atlas ids its features ("48" -> Texas). */
export function stateByFips(fips: string): StateInfo | undefined {
  return byFips.get(fips);
}
