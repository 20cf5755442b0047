// CSV of what a view shows, built in the page from the JSON it already has (exact values, never
// the rounded figures on screen), for the views whose endpoint has no format=csv; and the one way
// the page hands a file to the browser.

export type CsvValue = string | number | null | undefined;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function field(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // A leading = + - @ would run as a formula in a spreadsheet (CWE-1236); prefix it with '.
  const safe = /^[=+\-@]/.test(text) && typeof value !== "number" ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Header line, then one line per row, CRLF-terminated as RFC 4180 says. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return [header, ...rows].map((r) => `${r.map(field).join(",")}\r\n`).join("");
}

/** Hands text to the browser as a file download. */
export function downloadText(fileName: string, text: string, type = "text/csv;charset=utf-8"): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

/** Hands a Blob (built here or fetched) to the browser as a file download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the browser reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
