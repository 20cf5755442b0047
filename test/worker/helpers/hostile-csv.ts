// A GEN file built to break publishing shortcuts (bounded-publish.test.ts, finalize-budget.test.ts).

const HEADER =
  "Generator file sequence number,Data Year,Plant state abbreviation,Plant name,DOE/EIA ORIS plant or facility code,Generator ID,Generator primary fuel,Generator nameplate capacity (MW),Generator annual net generation (MWh)\r\n" +
  "SEQGEN,YEAR,PSTATABB,PNAME,ORISPL,GENID,FUELG1,NAMEPCAP,GENNTAN\r\n";

// Few values, so plants tie: same net generation, same names (in one state and across states,
// told apart by ORISPL), accents and spacing for the name keys, unknown values, odd fuel codes.
const STATES = ["TX", "CA", "AK", "WY"];
const NAMES = ["Twin Peak", "Café Solar", "Cafe  Solar", "São Wind", "Élan Hydro", "Big-Dam", "Twin Peak 2"];
const NETS = ["100", "100", "250.5", "0", "(5)", "", "1,000,000", "0.1", "0.2"];
const FUELS = ["NG", "WND", "SUN", "WAT", "XYZ", "", "ng", "Q9"];
const CAPACITIES = ["10", "", "2.5", "100"];

/** A deterministic hostile GEN file: plants' generators scattered, sequence numbers shuffled. */
export function hostileCsv(year: number, plants: number): string {
  let seed = year;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  const rows: string[][] = [];
  for (let p = 0; p < plants; p++) {
    const state = pick(STATES);
    const name = pick(NAMES);
    // A third without ORISPL (keyed by state and name); the rest share a few codes' names.
    const orispl = rand() < 0.33 ? "" : String(500 + p);
    const generators = 1 + Math.floor(rand() * 4);
    for (let g = 0; g < generators; g++) {
      rows.push([state, name, orispl, `G${g}`, pick(FUELS), pick(CAPACITIES), pick(NETS)]);
    }
  }
  // Scatter each plant's generators through the file, so plants span chunks.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j] as string[], rows[i] as string[]];
  }
  const seqs = rows.map((_, i) => i + 1).sort(() => rand() - 0.5);
  return (
    HEADER +
    rows
      .map((r, i) => {
        const [state, name, orispl, id, fuel, capacity, net] = r as [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
        ];
        return `${seqs[i]},${year},${state},${name},${orispl},${id},${fuel},${capacity},"${net}"\r\n`;
      })
      .join("")
  );
}
