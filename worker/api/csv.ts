/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180); null is empty. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Serialises rows as CSV with a header row, in the order of `columns`. Values are served verbatim. */
export function toCsv<T extends object>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((col) => csvField(row[col])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** CSV when `format=csv`, or when no format is given and the client accepts text/csv but not JSON first. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === "csv";
  if (!accept) return false;
  const csv = accept.indexOf("text/csv");
  const json = accept.indexOf("application/json");
  return csv >= 0 && (json < 0 || csv < json);
}
