/** Largest accepted upload. A full eGRID GEN file is ~100 MB at most. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Content types a browser or client may send for a .csv file. */
export const CSV_CONTENT_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];

const MAGIC: [string, number[]][] = [
  ["a ZIP archive (or .xlsx workbook)", [0x50, 0x4b, 0x03, 0x04]],
  ["a gzip archive", [0x1f, 0x8b]],
  ["a PDF document", [0x25, 0x50, 0x44, 0x46]],
  ["a PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["a JPEG image", [0xff, 0xd8, 0xff]],
  ["a GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["a legacy Excel workbook (.xls)", [0xd0, 0xcf, 0x11, 0xe0]],
];

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * Reasons the first bytes of an upload are not a text CSV (empty list = looks fine): known
 * binary signatures, NUL bytes, invalid UTF-8, no comma in the first line.
 */
export function csvProblems(head: Uint8Array, complete: boolean): string[] {
  if (head.byteLength === 0) return ["the body is empty"];
  for (const [what, magic] of MAGIC) {
    if (magic.every((b, i) => head[i] === b)) return [`the content is ${what}, not CSV text`];
  }
  const reasons: string[] = [];
  if (head.includes(0)) reasons.push("the content has NUL bytes, so it is binary, not CSV text");
  let text = "";
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sniffed bytes.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(head, { stream: !complete });
  } catch {
    reasons.push("the content is not valid UTF-8 text (save the CSV as UTF-8)");
  }
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  if (text && !firstLine.includes(",")) reasons.push("the first line has no comma, so it is not a CSV header");
  return reasons;
}

/**
 * A safe R2 key for an upload: `uploads/<yyyy-mm-dd>/<uuid>-<name>.csv`, where the name keeps
 * only letters, digits, dot, dash and underscore (no path separators, no `..`).
 */
export function uploadKey(filename: string | undefined, now = new Date()): string {
  const base = (filename ?? "upload")
    .split(/[\\/]/)
    .pop()
    ?.replace(/\.csv$/i, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/^[._-]+/, "")
    .slice(0, 80);
  return `uploads/${now.toISOString().slice(0, 10)}/${crypto.randomUUID()}-${base || "upload"}.csv`;
}
