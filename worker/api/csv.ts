import { parseAccept } from "hono/utils/accept";

/**
 * Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection"):
 * `=`, `+`, `-`, `@`, tab and carriage return at the start of the cell.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Quotes a CSV field when it holds a comma, quote or line break (RFC 4180); null is empty. Text
 * that a spreadsheet would run as a formula (a plant named `=HYPERLINK(...)`) is prefixed with a
 * single quote, as OWASP recommends, so Excel shows it as text; numbers stay numbers (a negative
 * net generation is written as `-1034280`).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Serialises rows as CSV with a header row, in the order of `columns`. Text cells are made formula-safe. */
export function toCsv<T extends object>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((col) => csvField(row[col])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** The quality (RFC 9110 q-value) the Accept header gives a media type: exact, then type/*, then * / *. */
function quality(accepted: ReturnType<typeof parseAccept>, type: string): number {
  const [major] = type.split("/");
  const match =
    accepted.find((a) => a.type === type) ??
    accepted.find((a) => a.type === `${major}/*`) ??
    accepted.find((a) => a.type === "*/*");
  return match?.q ?? 0;
}

/**
 * CSV when `format=csv`, or when no format is given and the client prefers text/csv to JSON by
 * the Accept header's q-values (ties go to JSON, the default; `text/csv;q=0` never gets CSV).
 */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === "csv";
  if (!accept) return false;
  const accepted = parseAccept(accept);
  const csv = quality(accepted, "text/csv");
  const json = quality(accepted, "application/json");
  if (csv === 0 || csv < json) return false;
  if (csv > json) return true;
  // Equal q-values: the first listed wins, as before; a wildcard alone means JSON.
  const order = (type: string) => accepted.findIndex((a) => a.type === type);
  return order("text/csv") >= 0 && (order("application/json") < 0 || order("text/csv") < order("application/json"));
}
