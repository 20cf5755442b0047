export const GEN_HEADER =
  "Generator file sequence number,Data Year,Plant state abbreviation,Plant name,Generator ID,Generator annual net generation (MWh)\r\n" +
  "SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n";

/** A small GEN-sheet CSV in EPA's layout (description row, code row, CRLF). */
export function genCsv(rows: string[], header = GEN_HEADER): string {
  return header + rows.map((row) => `${row}\r\n`).join("");
}

/** `count` generators of year `year`, one per plant, plant i generating i * scale MWh. */
export function syntheticRows(count: number, year = 2023, scale = 1): string[] {
  const states = ["TX", "CA", "NY", "FL", "PA"];
  return Array.from({ length: count }, (_, i) => {
    const mwh = (i + 1) * scale;
    const cell = mwh >= 1000 ? `"${mwh.toLocaleString("en-US")}"` : String(mwh);
    return `${i + 1},${year},${states[i % states.length]},"Plant ${i + 1}, Unit",G1,${cell}`;
  });
}
