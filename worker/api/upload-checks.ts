import { sniffBinary } from "../../domain/binary-files";
import { decodeUtf8OrWindows1252 } from "../../domain/text-decoding";

/** Largest accepted upload. A full eGRID GEN file is ~100 MB at most. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Content types a browser or client may send for a .csv file. */
export const CSV_CONTENT_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * Reasons the first bytes of an upload are not a text CSV (empty list = looks fine): known binary
 * signatures and NUL bytes (the pipeline's own check, parse/head.ts), no comma in the first line.
 * Bytes that are not UTF-8 are read as Windows-1252, as the pipeline does (Excel's plain "CSV").
 */
export function csvProblems(head: Uint8Array, complete: boolean): string[] {
  if (head.byteLength === 0) return ["the body is empty"];
  const binary = sniffBinary(head);
  if (binary) return [binary];
  const { text } = decodeUtf8OrWindows1252(head, complete);
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/, 1)[0] ?? "";
  if (!firstLine.includes(",")) return ["the first line has no comma, so it is not a CSV header"];
  return [];
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
